"""Exercise 1 of step 06: /tasks/<id>/edit shows a form with the summary and saves a new one."""
import pytest

from support import assert_valid_page, parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


@pytest.fixture
def task_id(tasks):
    return tasks.add_all("Buy milk")[0]


def test_the_task_page_links_to_a_labelled_form_with_the_summary(tasks, task_id):
    links = [a["href"] for a in parse(tasks.page(f"/tasks/{task_id}")).find_all("a", href=True)]
    assert f"/tasks/{task_id}/edit" in links, say("任务页面上没有指向 /tasks/{id}/edit 的链接。",
                                                   "The task's page has no link to /tasks/{id}/edit.", id=task_id)
    html = tasks.page(f"/tasks/{task_id}/edit")
    assert_valid_page(html, f"/tasks/{task_id}/edit")
    field = parse(html).find("input", attrs={"name": "summary"})
    assert field is not None and field.get("value") == "Buy milk", say(
        "编辑表单里应该有 name=\"summary\" 的输入框，值是当前的摘要。",
        "The edit form should have an input named \"summary\" holding the current summary.")


def test_saving_changes_the_summary_and_redirects_to_the_task(tasks, forms, task_id):
    response = forms.submit(f"/tasks/{task_id}/edit", f"/tasks/{task_id}/edit", {"summary": "  Buy   oat milk "})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/tasks/{task_id}"), say(
        "保存之后应该重定向到 /tasks/{id}，得到了 {status} {location}。",
        "Saving should redirect to /tasks/{id}; it answered {status} {location}.",
        id=task_id, status=response.status_code, location=response.headers.get("Location", ""))
    assert tasks.summaries() == ["Buy oat milk"]


@pytest.mark.parametrize("summary", ["", "   ", "x" * 301])
def test_a_summary_that_adding_refuses_is_refused_and_nothing_changes(tasks, forms, task_id, summary):
    response = forms.submit(f"/tasks/{task_id}/edit", f"/tasks/{task_id}/edit", {"summary": summary})
    assert response.status_code == 400, say("摘要 {summary!r} 应该被拒绝（400），得到了 {status}。",
                                            "The summary {summary!r} should be refused with 400, got {status}.",
                                            summary=summary[:20], status=response.status_code)
    assert tasks.error_in(response.get_data(as_text=True)), say("被拒绝时应该显示原因（role=\"alert\"）。",
                                                                "A refusal should say why (role=\"alert\").")
    assert tasks.summaries() == ["Buy milk"]


def test_a_missing_task_is_a_404(client, tasks, task_id):
    assert client.get(f"/tasks/{task_id + 1}/edit").status_code == 404


def test_a_post_without_the_token_is_refused(client, tasks, task_id):
    assert client.post(f"/tasks/{task_id}/edit", data={"summary": "Forged"}).status_code == 400
    assert tasks.summaries() == ["Buy milk"]
