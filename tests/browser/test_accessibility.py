"""Every step's pages are usable with a screen reader, with the keyboard and with low vision.

Checked in Chromium on each page reachable from "/", and on the states a form leads to
(a flash message after adding a task, the error messages of a refused form); where tasks have an owner
(step 09 on), the pages signed in and signed out, the 404 page and the 429 page of too many sign-ins:
- every link, button and field has an accessible name (what a screen reader announces),
- Tab reaches every control, and the focused one looks different (its outline or shadow changes),
- text has a contrast of at least 4.5:1 against its background (3:1 for large text, WCAG 2 AA),
- axe-core finds no WCAG 2.x level A or AA violation.
"""
import pytest

from tools.screenshots import DESKTOP, has_accounts, sign_in
from tools.steps import STEPS

pytestmark = pytest.mark.parametrize("server", STEPS, indirect=True, scope="module")


def views(page, html_pages, accounts=False):
    """Open each page a student can reach, then the states its forms lead to; yield a label for each.

    With accounts, the pages are seen signed in as the sample user, then signed out."""
    if accounts:
        sign_in(page)
    for path in html_pages:
        page.goto(path)
        yield path
    if "/tasks" in html_pages:
        page.goto("/tasks")
        field = page.get_by_label("New task", exact=True)
        if field.count():
            field.fill("A task for the accessibility checks")
            with page.expect_navigation():
                field.press("Enter")
            yield "/tasks after adding a task (its flash message)"
            field.fill("   ")
            with page.expect_navigation():
                field.press("Enter")
            yield "/tasks after sending a blank task (its error message)"
    if accounts:
        page.goto("/tasks/999999")
        yield "/tasks/999999, a task that is not the user's (the 404 page)"
        page.goto("/tasks")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign out").click()
        yield "the page after signing out"
        for path in ("/login", "/signup"):
            page.goto(path)
            yield f"{path}, signed out"
    if "/signup" in html_pages:
        page.goto("/signup")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign up").click()
        yield "/signup sent empty (its error messages)"
    if "/login" in html_pages:
        page.goto("/login")
        page.get_by_label("Username").fill("student")
        page.get_by_label("Password").fill("not the password")
        with page.expect_navigation():
            page.get_by_role("button", name="Sign in").click()
        yield "/login with a wrong password (its error message)"
    if accounts:
        for _ in range(30):  # the limits are 5 per account and 20 per address by default
            page.get_by_label("Username").fill("student")
            page.get_by_label("Password").fill("not the password")
            with page.expect_navigation() as sent:
                page.get_by_role("button", name="Sign in").click()
            if sent.value.status == 429:
                break
        assert sent.value.status == 429, f"30 wrong passwords in a row answered {sent.value.status}, not 429"
        yield "/login after too many wrong passwords (the 429 page)"


@pytest.fixture(scope="module")
def audit(request, browser, server, html_pages, checks):
    """Visit every view once and run every check on it: {check: {view: [problems]}}.

    axe is None when axe-playwright-python is missing (its test then skips, or fails in CI).
    """
    try:
        axe = request.getfixturevalue("axe_core")
    except pytest.skip.Exception:
        axe = None
    context = browser.new_context(base_url=server.url, viewport=DESKTOP)
    page = context.new_page()
    found = {"names": {}, "contrast": {}, "axe": {} if axe else None, "focus": {}}
    try:
        for view in views(page, html_pages, has_accounts(server.step)):
            results = {"names": checks.nameless_controls(page), "contrast": checks.low_contrast(page)}
            if axe:
                results["axe"] = checks.axe_violations(page, axe)
            results["focus"] = checks.focus_problems(page)  # last: it moves the focus
            for check, problems in results.items():
                if problems:
                    found[check][view] = problems
    finally:
        context.close()
    return found


def report(failures):
    """One line per view, with what failed there."""
    return "\n".join(f"  {view}:\n" + "\n".join(f"    - {line}" for line in lines) for view, lines in failures.items())


def test_every_control_has_an_accessible_name(audit):
    """Each link, button and field has a name in Chromium's accessibility tree (what a screen reader says)."""
    assert not audit["names"], "Controls that a screen reader cannot name:\n" + report(audit["names"])


def test_tab_reaches_every_control_and_focus_is_visible(audit):
    """Pressing Tab visits every control, and the focused control's outline or shadow differs from unfocused."""
    assert not audit["focus"], "Keyboard focus problems:\n" + report(audit["focus"])


def test_text_contrast_is_at_least_4_5_to_1(audit):
    """Text is readable: contrast >= 4.5:1 with its background (3:1 for large text), as WCAG 2 AA asks."""
    assert not audit["contrast"], "Text with too little contrast:\n" + report(audit["contrast"])


def test_axe_core_finds_no_wcag_a_or_aa_violation(audit, axe_core):
    """Deque's axe-core, the engine behind most accessibility checkers, finds nothing on any view."""
    assert not audit["axe"], "axe-core found violations:\n" + report(audit["axe"])
