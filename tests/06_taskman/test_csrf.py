"""CSRF: every form that changes something carries a token, and a POST without a valid one changes nothing."""
import pytest

from support import expects, parse
from support.messages import expect

pytestmark = pytest.mark.concept("CSRF on every form", "csrf", zh="每个表单都有 CSRF 保护")

expects.form("POST /tasks", "csrf_token")
expects.form("POST /tasks/<int:task_id>/toggle", "csrf_token")
expects.form("POST /tasks/<int:task_id>/delete", "csrf_token")
expects.form("POST /tasks/purge", "csrf_token")


def test_every_post_form_carries_a_token(tasks):
    """The dashboard and a task's page: add, toggle, delete and purge forms all have a csrf_token field."""
    (task_id,) = tasks.add_all("Learn Flask")
    tasks.toggle(task_id)
    for url in ("/tasks", f"/tasks/{task_id}"):
        forms = parse(tasks.page(url)).find_all("form", method="post")
        assert forms, f"{url} has no POST form"
        for form in forms:
            expect(form.find("input", attrs={"name": "csrf_token", "type": "hidden"}), "csrf-missing",
                   page=url, action=form.get("action"))


@pytest.mark.parametrize("url", ["/tasks/{id}/toggle", "/tasks/{id}/delete", "/tasks/purge", "/tasks"])
@pytest.mark.parametrize("token", [None, "", "forged"], ids=["missing", "empty", "forged"])
def test_a_post_without_a_valid_token_is_refused_and_changes_nothing(client, tasks, url, token):
    """Pitfall 5: another site could make a visitor's browser send this POST; without the token it fails.

    陷阱 5：别的网站可以让访客的浏览器发出这个 POST；没有令牌，它就会失败。
    """
    task_id, done_id = tasks.add_all("Learn Flask", "Done already")
    tasks.toggle(done_id)
    before = tasks.rows()
    data = {"summary": "Forged task"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post(url.format(id=task_id), data=data)
    assert response.status_code == 400
    assert tasks.rows() == before
