"""CSRF: the new task form carries a token, and a POST without a valid one is refused."""
import pytest

pytestmark = pytest.mark.concept("the CSRF token on the new task form", "csrf", zh="新建任务表单上的 CSRF 令牌")


def test_the_form_sends_its_csrf_token(tasks):
    """Submitting the dashboard's own form, hidden token included, works."""
    assert tasks.add("With a token").status_code == 302
    assert tasks.summaries() == ["With a token"]


@pytest.mark.parametrize("token", [None, "", "not-the-token"], ids=["missing", "empty", "forged"])
def test_a_post_without_a_valid_token_is_refused_and_stores_nothing(client, tasks, token):
    """Pitfall 5: another site could make a visitor's browser send this POST; without the token it fails.

    陷阱 5：别的网站可以让访客的浏览器发出这个 POST；没有令牌，它就会失败。
    """
    tasks.page("/tasks")  # the browser has a session, as a real visitor would
    data = {"summary": "Forged task"}
    if token is not None:
        data["csrf_token"] = token
    response = client.post("/tasks", data=data)
    assert response.status_code == 400
    assert tasks.summaries() == []
