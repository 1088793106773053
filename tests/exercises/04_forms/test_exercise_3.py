"""Exercise 3 of step 04: evil.html forges a sign-up from another site; CSRF protection refuses it."""
from urllib.parse import urlsplit

import pytest

from support import parse
from support.exercises import exercise_concept
from support.messages import say
from support.signup import stored_users

pytestmark = exercise_concept(__file__)


@pytest.fixture
def forged(app_dir):
    """The action and the hidden fields of the form in evil.html."""
    page = app_dir / "evil.html"
    if not page.is_file():
        pytest.fail(say("你的文件夹里没有 evil.html。", "There is no evil.html in your folder."), pytrace=False)
    form = parse(page.read_text(encoding="utf-8")).find("form")
    assert form is not None, say("evil.html 里没有 <form>。", "evil.html has no <form>.")
    action = urlsplit(form.get("action", ""))
    assert (action.scheme, action.hostname, action.port, action.path, form.get("method", "").lower()) == (
        "http", "127.0.0.1", 5000, "/signup", "post"), say(
        "表单应该是 <form action=\"http://127.0.0.1:5000/signup\" method=\"post\">。",
        "The form should be <form action=\"http://127.0.0.1:5000/signup\" method=\"post\">.")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")
              if field.has_attr("name")}
    assert {"username", "email", "password"} <= set(fields), say(
        "表单应该用隐藏字段填好 username、email 和 password；现在有：{names}。",
        "The form should fill in username, email and password as hidden inputs; it has {names}.",
        names=sorted(fields))
    assert form.find(["button", "input"], type="submit") or form.find("button"), say(
        "表单里没有提交按钮。", "The form has no submit button.")
    return fields


def test_the_forged_form_is_refused_and_stores_nothing(client, app_module, forged):
    response = client.post("/signup", data=forged)
    assert response.status_code == 400
    assert stored_users(app_module) == []


def test_without_csrf_protection_the_forgery_would_work(app, client, app_module, forged):
    app.config["WTF_CSRF_ENABLED"] = False
    response = client.post("/signup", data=forged)
    assert response.status_code == 302, say(
        "关掉 CSRF 保护后，伪造的表单应该注册成功（302），却得到了 {got}：它的字段能通过注册的检查吗？",
        "With CSRF protection off, the forged form should sign up (302), but got {got}: do its fields pass the "
        "sign-up's checks?", got=response.status_code)
    assert [user["username"] for user in stored_users(app_module)] == [forged["username"]]
