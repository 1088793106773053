"""Every form still carries its CSRF token in production, and every POST without one is refused."""
import pytest

from support import crawl, expects, parse

pytestmark = pytest.mark.concept("CSRF protection on every form", "csrf", zh="每个表单都有 CSRF 保护")

expects.form("POST /tasks", "summary", "csrf_token")
expects.form("POST /tasks/<int:task_id>/toggle", "csrf_token")
expects.form("POST /tasks/<int:task_id>/delete", "csrf_token")
expects.form("POST /tasks/purge", "csrf_token")
expects.form("POST /login", "csrf_token")
expects.form("POST /signup", "csrf_token")


def test_every_post_form_on_every_page_carries_a_csrf_token(client, tasks):
    tasks.insert_many(25, done_every=2)
    forms_seen = 0
    for url, response in crawl(client, ["/", "/tasks", "/tasks?page=2", "/tasks/1"]).items():
        if response.mimetype != "text/html":
            continue
        for form in parse(response.get_data(as_text=True)).find_all("form", method="post"):
            forms_seen += 1
            assert form.find("input", attrs={"name": "csrf_token", "type": "hidden"}), f"{url}: {form.get('action')}"
    assert forms_seen > 20


@pytest.mark.parametrize("action", ["/tasks", "/tasks/1/toggle", "/tasks/1/delete", "/tasks/purge",
                                    "/login", "/signup"])
def test_a_post_without_a_token_is_refused_and_changes_nothing(client, tasks, action):
    """Pitfall 5: another site could make a visitor's browser send this POST.

    陷阱 5：别的网站可以让访客的浏览器发出这个 POST。
    """
    tasks.insert_many(2, done_every=1)
    before = tasks.rows()
    client.get("/tasks")  # the visitor has a session, as a real one would
    response = client.post(action, data={"summary": "Forged", "username": "student", "password": "flask"})
    assert response.status_code == 400
    assert tasks.rows() == before
