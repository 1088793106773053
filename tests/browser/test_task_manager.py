"""A student's whole session with the complete task manager (step 06 and every later step), in Chromium.

With the mouse, then with the keyboard alone, then on a phone-sized screen: adding tasks
(unicode, and text that looks like HTML but must show literally), toggling, deleting through
the confirmation dialog, removing the done tasks, the counts and the one-time flash messages.
Each test starts with a database of its own (empty, or the long tasks for the phone).
"""
import pytest

from support.browser import TaskManager
from tools.screenshots import PHONE, TASK_MANAGER_STEPS

pytestmark = pytest.mark.parametrize("server", TASK_MANAGER_STEPS, indirect=True, scope="module")

UNICODE = "café ✓ 任务"
HTML_LOOKING = "<b>bold</b> & <script>alert(1)</script>"

# Counts the mouse presses of the whole tab, across page loads (sessionStorage survives them).
COUNT_MOUSE = """
for (const kind of ["mousedown", "pointerdown", "touchstart"]) {
  window.addEventListener(kind, () => {
    sessionStorage.mousePresses = String(Number(sessionStorage.mousePresses || 0) + 1);
  }, true);
}
"""


@pytest.fixture
def tasks(page, fresh_database):
    """The dashboard of an empty task manager, opened in a fresh tab."""
    manager = TaskManager(page)
    manager.open()
    return manager


def counts(total, pending, done):
    return {"total": total, "pending": pending, "done": done}


def test_a_students_session_with_the_mouse(page, tasks):
    """Add, toggle, delete (after the dialog) and remove done tasks; counts and flashes follow each step."""
    assert tasks.counts() == counts(0, 0, 0)
    assert tasks.summaries() == []

    tasks.add(UNICODE)
    assert tasks.flashes() == ["Task added."]
    tasks.add(HTML_LOOKING)
    assert tasks.summaries() == [HTML_LOOKING, UNICODE], "Newest first, and the HTML-looking text shown literally"
    assert tasks.page.locator(".tasks b, .tasks script").count() == 0, "The summary's tags became real elements"
    assert tasks.counts() == counts(2, 2, 0)
    assert tasks.flashes() == ["Task added."]

    tasks.page.reload()
    assert tasks.flashes() == [], "A flash message is shown once, not again after a reload"

    tasks.submit(tasks.button(f"Done: {UNICODE}"))
    assert tasks.flashes() == ["Task updated."]
    assert tasks.counts() == counts(2, 1, 1)
    assert tasks.row(UNICODE).get_attribute("class") == "done"
    assert tasks.button(f"Undo: {UNICODE}").is_visible()

    before = tasks.state()
    page.dialogs.will(accept=False)
    tasks.button(f"Delete: {HTML_LOOKING}").click()
    assert page.dialogs.messages[-1] == f"Delete “{HTML_LOOKING}”?"
    page.wait_for_load_state()
    assert tasks.state() == before, "Cancelling the dialog keeps the task"

    page.dialogs.will(accept=True)
    tasks.submit(tasks.button(f"Delete: {HTML_LOOKING}"))
    assert tasks.summaries() == [UNICODE]
    assert tasks.counts() == counts(1, 0, 1)
    assert tasks.flashes() == ["Task deleted."]

    tasks.add("Write the tests first")
    before = tasks.state()
    page.dialogs.will(accept=False)
    tasks.button("Remove done tasks").click()
    assert page.dialogs.messages[-1] == "Delete the done tasks (1)?", page.dialogs.messages[-1]
    page.wait_for_load_state()
    assert tasks.state() == before, "Cancelling the dialog removes nothing"

    page.dialogs.will(accept=True)
    tasks.submit(tasks.button("Remove done tasks"))
    assert tasks.summaries() == ["Write the tests first"]
    assert tasks.counts() == counts(1, 1, 0)
    assert tasks.flashes() == ["Removed 1 done task."]
    assert tasks.button("Remove done tasks").count() == 0, "With nothing done there is nothing to remove"

    tasks.page.reload()
    assert tasks.flashes() == []
    assert not page.dialogs.unexpected, f"Dialogs nobody asked for (a script ran?): {page.dialogs.unexpected}"
    assert not page.problems.take()


def press_until_focused(page, target, key="Tab", limit=60):
    """Press key until target has the focus; fail with where the focus went instead."""
    visited = []
    for _ in range(limit):
        page.keyboard.press(key)
        if target.evaluate("element => element === document.activeElement"):
            return
        visited.append(page.evaluate("() => { const e = document.activeElement;"
                                     " return e.getAttribute('aria-label') || e.innerText || e.tagName; }"))
    pytest.fail(f"{limit} presses of {key} never reached {target}; the focus went to: {visited}")


def press_and_wait(page, key):
    """Press a key that sends a form, and wait for the page it leads to."""
    with page.expect_navigation():
        page.keyboard.press(key)


def test_the_same_session_with_the_keyboard_alone(page, tasks):
    """Tab and Shift+Tab to move, typing, Enter and Space to act: no mouse press at all."""
    page.add_init_script(COUNT_MOUSE)
    tasks.open()

    for summary in ("Plan the week", UNICODE):
        press_until_focused(page, tasks.field())
        page.keyboard.type(summary)
        press_and_wait(page, "Enter")
        assert tasks.flashes() == ["Task added."]
    assert tasks.summaries() == [UNICODE, "Plan the week"]

    # Each row is: the Done button, the summary's link, the Delete button. Go past, then come back.
    press_until_focused(page, tasks.button("Delete: Plan the week"))
    press_until_focused(page, tasks.button("Done: Plan the week"), key="Shift+Tab", limit=2)
    press_and_wait(page, "Enter")
    assert tasks.counts() == counts(2, 1, 1)
    assert tasks.flashes() == ["Task updated."]

    press_until_focused(page, tasks.button("Remove done tasks"))
    page.dialogs.will(accept=True)
    press_and_wait(page, "Enter")
    assert tasks.summaries() == [UNICODE]
    assert tasks.flashes() == ["Removed 1 done task."]

    press_until_focused(page, tasks.button(f"Delete: {UNICODE}"))
    page.dialogs.will(accept=False)
    page.keyboard.press("Space")
    page.wait_for_load_state()
    assert tasks.summaries() == [UNICODE], "Cancelling the dialog keeps the task"
    page.dialogs.will(accept=True)
    press_and_wait(page, "Enter")
    assert tasks.summaries() == []
    assert tasks.counts() == counts(0, 0, 0)
    assert tasks.flashes() == ["Task deleted."]

    assert page.evaluate("Number(sessionStorage.mousePresses || 0)") == 0, "The mouse was used"
    assert not page.dialogs.unexpected
    assert not page.problems.take()


LONG_TASKS = [
    "Pneumonoultramicroscopicsilicovolcanoconiosis" * 5,
    "https://example.com/" + "a-very/long/path/" * 12,
    ("Read the whole chapter about deployment, then write down every question that comes up, "
     "and ask them at the next meeting with the rest of the group before Friday. ") * 2,
    f"{UNICODE} " * 20,
    "短" * 150,
]

# The elements whose box or content sticks out on the right, when the page is wider than the window.
TOO_WIDE = """() => [...document.querySelectorAll("body *")]
  .filter(element => element.getBoundingClientRect().right > window.innerWidth + 0.5
                     || (element.scrollWidth > element.clientWidth + 0.5
                         && getComputedStyle(element).display !== "inline"))
  .map(element => `<${element.tagName.toLowerCase()}${element.className ? ` class="${element.className}"` : ""}>`
                  + ` ${Math.round(Math.max(element.scrollWidth, element.getBoundingClientRect().right))}px wide`)
  .slice(0, 5)"""

# Pages a phone must show without sideways scrolling, with the long tasks in the database.
PHONE_VIEWS = {
    "dashboard": ["/tasks"],
    "task pages": None,  # each task's own page, found on the dashboard
    "search results": ["/search?q=Pneumono", "/search?q=example", "/search?q=caf%C3%A9"],
    "other pages": ["/", "/docs", "/signup", "/login"],
}


@pytest.mark.parametrize("view", PHONE_VIEWS)
def test_a_phone_shows_long_tasks_without_sideways_scrolling(page, server, tmp_path, view):
    """At 375x667 no page is wider than the screen, however long a task's words or summary are."""
    server.use_database(tmp_path / "long.db", [(summary[:300], 0) for summary in LONG_TASKS])
    page.set_viewport_size(PHONE)
    tasks = TaskManager(page)
    tasks.open()
    assert len(tasks.summaries()) == len(LONG_TASKS)
    paths = PHONE_VIEWS[view] or page.eval_on_selector_all(".tasks .summary",
                                                           "links => links.map(link => link.pathname)")
    too_wide = {}
    for path in paths:
        page.goto(path)
        width, window = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
        if width > window:
            too_wide[path] = f"{width}px wide in a {window}px window; too wide: {page.evaluate(TOO_WIDE)}"
    assert not too_wide, "Pages that scroll sideways on a phone:\n" + "\n".join(
        f"  {path}: {why}" for path, why in too_wide.items())
