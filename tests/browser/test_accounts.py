"""Two people with accounts of their own (step 09 and every later step), in Chromium, each in a browser profile.

Ada signs up, adds a task, signs out and in again; Grace signs up in another profile and sees none of Ada's
tasks: not on her dashboard, not in her search, not at the address of Ada's task (a 404), not in the API.
A visitor who is not signed in is sent to the sign-in form, and back to the page they asked for.
"""
import pytest

from support.browser import PASSWORD, TaskManager, sign_out, sign_up, submit
from tools.screenshots import ACCOUNT_STEPS

pytestmark = pytest.mark.parametrize("server", ACCOUNT_STEPS, indirect=True, scope="module")


def test_sign_up_add_a_task_sign_out_and_in_again(anonymous):
    """The whole round: the dashboard asks a visitor to sign in, the new account lands on its dashboard."""
    page = anonymous()
    page.goto("/tasks")
    assert page.url.endswith("/login?next=%2Ftasks"), page.url
    assert sign_up(page, "ada", "ada@example.com").status == 200
    tasks = TaskManager(page)
    assert page.url.endswith("/tasks"), f"After signing up the browser is at {page.url}, not the dashboard"
    assert tasks.flashes() == ["Account created for ada."]
    assert tasks.summaries() == [] and tasks.counts() == {"total": 0, "pending": 0, "done": 0}

    tasks.add("Ada's secret plan")
    assert tasks.summaries() == ["Ada's secret plan"]
    assert tasks.counts() == {"total": 1, "pending": 1, "done": 0}

    sign_out(page)
    assert page.get_by_role("navigation").get_by_role("link", name="Sign in", exact=True).is_visible()
    page.goto("/tasks")
    assert "/login" in page.url, "Signed out, the dashboard should send the browser to the sign-in form"

    page.get_by_label("Username", exact=True).fill("ada")
    page.get_by_label("Password", exact=True).fill("not the password")
    answer = submit(page, "Sign in")
    assert answer.status == 401
    assert page.get_by_role("alert").inner_text() == "Wrong username or password."

    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, "Sign in")
    assert page.url.endswith("/tasks"), f"Signing in from /login?next=/tasks led to {page.url}"
    assert tasks.summaries() == ["Ada's secret plan"], "Signed in again, Ada sees her task"
    # The wrong password's 401 (Chromium logs it in the console too), and nothing else.
    problems = [problem for problem in page.problems.take() if "/login" not in problem or "401" not in problem]
    assert not problems, problems
    assert not page.dialogs.unexpected


def test_a_second_person_sees_none_of_the_first_ones_tasks(anonymous):
    """Grace, in her own profile, finds nothing of Ada's: dashboard, search, the task's address, the API."""
    ada = anonymous()
    sign_up(ada, "ada", "ada@example.com")
    ada_tasks = TaskManager(ada)
    ada_tasks.add("Ada's secret plan")
    ada_task = ada.get_by_role("link", name="Ada's secret plan", exact=True).get_attribute("href")

    grace = anonymous()
    sign_up(grace, "grace", "grace@example.com")
    grace_tasks = TaskManager(grace)
    assert grace_tasks.summaries() == [] and grace_tasks.counts() == {"total": 0, "pending": 0, "done": 0}
    grace_tasks.add("Grace's own task")
    assert grace_tasks.summaries() == ["Grace's own task"]

    assert grace.goto(ada_task).status == 404, f"Grace opened Ada's task at {ada_task}"
    assert "secret plan" not in grace.content()
    grace.goto("/search?q=secret")
    assert "secret plan" not in grace.locator("main").inner_text()
    api = grace.goto("/api/tasks")
    assert [task["summary"] for task in api.json()] == ["Grace's own task"]

    # And Ada, in her profile, still sees only her own.
    ada_tasks.open()
    assert ada_tasks.summaries() == ["Ada's secret plan"]
    assert ada_tasks.counts() == {"total": 1, "pending": 1, "done": 0}
    assert not ada.problems.take()
    assert not ada.dialogs.unexpected and not grace.dialogs.unexpected


def test_signing_in_leads_back_to_the_page_asked_for_and_never_to_another_site(anonymous, server):
    """?next= brings the user back to a page of this site; an address on another site is ignored."""
    page = anonymous()
    sign_up(page, "ada", "ada@example.com")
    TaskManager(page).add("Ada's first task")
    task = page.get_by_role("link", name="Ada's first task", exact=True).get_attribute("href")
    sign_out(page)

    page.goto(task)
    assert "/login?next=" in page.url, f"Signed out, {task} led to {page.url}"
    page.get_by_label("Username", exact=True).fill("ada")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, "Sign in")
    assert page.url == server.url + task, f"After signing in the browser is at {page.url}, not {task}"

    sign_out(page)
    page.goto("/login?next=https://example.com/")
    page.get_by_label("Username", exact=True).fill("ada")
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    submit(page, "Sign in")
    assert page.url == server.url + "/tasks", f"A next on another site led to {page.url}"
