"""Due dates (step 10 and every later step), in Chromium: Ada signs up, adds a task with a due date from the
form's date field and one without, and sees the date on her dashboard; she signs out; Grace signs up in another
profile and sees none of it, not even at the address of Ada's task (a 404)."""
import pytest

from support.browser import TaskManager, sign_out, sign_up
from tools.screenshots import DUE_DATE_STEPS

pytestmark = pytest.mark.parametrize("server", DUE_DATE_STEPS, indirect=True, scope="module")


def test_a_due_date_from_the_date_field_shows_and_another_person_sees_none(anonymous):
    ada = anonymous()
    sign_up(ada, "ada", "ada@example.com")
    tasks = TaskManager(ada)
    tasks.add("Hand in the report", due="2026-12-31")
    tasks.add("Water the plants")
    assert tasks.summaries() == ["Water the plants", "Hand in the report"]
    assert tasks.flashes() == ["Task added."]
    assert tasks.due_date("Hand in the report") == "2026-12-31"
    assert "due 2026-12-31" in tasks.row("Hand in the report").inner_text()
    assert tasks.due_date("Water the plants") is None, "A task added without a due date shows one"
    assert tasks.counts() == {"total": 2, "pending": 2, "done": 0}
    report = ada.get_by_role("link", name="Hand in the report", exact=True).get_attribute("href")
    sign_out(ada)
    ada.goto("/tasks")
    assert "/login" in ada.url, "Signed out, the dashboard should send the browser to the sign-in form"

    grace = anonymous()
    sign_up(grace, "grace", "grace@example.com")
    grace_tasks = TaskManager(grace)
    assert grace_tasks.summaries() == [] and grace_tasks.counts() == {"total": 0, "pending": 0, "done": 0}
    assert "2026-12-31" not in grace.locator("main").inner_text()
    assert grace.goto(report).status == 404, f"Grace opened Ada's task at {report}"
    assert "Hand in the report" not in grace.content()
    api = grace.goto("/api/tasks")
    assert api.json() == []
    assert not ada.problems.take()
    # The 404 of Ada's task, which Chromium logs in the console too, and nothing else.
    problems = [problem for problem in grace.problems.take() if not (report in problem and "404" in problem)]
    assert not problems, problems
    assert not ada.dialogs.unexpected and not grace.dialogs.unexpected
