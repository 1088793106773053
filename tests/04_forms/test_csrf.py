"""Pitfall 5: every POST form carries Flask-WTF's CSRF token, and a POST without a valid one is refused with 400.

陷阱 5：每个 POST 表单都带着 Flask-WTF 的 CSRF 令牌，没有有效令牌的 POST 会被以 400 拒绝。
"""
import pytest

from support import crawl, expects, load_app_module, parse
from support.messages import expect
from support.signup import VALID

pytestmark = pytest.mark.concept("cross-site request forgery and CSRFProtect", "csrf", zh="跨站请求伪造与 CSRFProtect")

LOGIN = {"username": "student", "password": "flask"}

expects.form("POST /signup", "csrf_token")
expects.form("POST /login", "csrf_token")
expects.element('form[method="post"] input[type="hidden"][name="csrf_token"]')


def token_of(html, action):
    """The csrf_token hidden field of the form that posts to `action`, or None."""
    form = parse(html).find("form", action=action)
    assert form is not None, f"no form posts to {action}"
    field = form.find("input", attrs={"name": "csrf_token", "type": "hidden"})
    return field["value"] if field else None


def post_forms(html):
    return [form for form in parse(html).find_all("form") if form.get("method", "get").lower() == "post"]


def test_every_post_form_on_every_page_carries_a_csrf_token(client, app_module):
    starts = ["/", "/signup", "/login"] + [f"/tasks/{task['id']}" for task in app_module.TASKS]
    pages = crawl(client, starts)
    forms_seen = 0
    for url, response in pages.items():
        for form in post_forms(response.get_data(as_text=True)):
            forms_seen += 1
            field = form.find("input", attrs={"name": "csrf_token", "type": "hidden"})
            expect(field is not None and field.get("value"), "csrf-missing", page=url, action=form.get("action"))
    assert forms_seen >= 2


@pytest.mark.parametrize(("action", "data", "status"), [
    ("/signup", {**VALID, "password": "short"}, 400),
    ("/login", {"username": "student", "password": "wrong"}, 401),
])
def test_a_form_shown_again_after_an_error_still_carries_a_working_token(forms, client, action, data, status):
    response = forms.submit(action, action, data)
    assert response.status_code == status
    token = token_of(response.get_data(as_text=True), action)
    assert token
    fixed = VALID if action == "/signup" else LOGIN
    assert client.post(action, data={**fixed, "csrf_token": token}).status_code < 400


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_sign_up_without_a_valid_token_is_400_and_stores_nothing(client, app_module, token):
    client.get("/signup")
    data = dict(VALID) if token is None else {**VALID, "csrf_token": token}
    response = client.post("/signup", data=data)
    assert response.status_code == 400
    assert app_module.USERS == []
    assert "Account created" not in client.get("/").get_data(as_text=True)


@pytest.mark.parametrize("token", [None, "", "not-the-token"])
def test_a_sign_in_without_a_valid_token_is_400_and_does_not_sign_in(client, token):
    client.get("/login")
    data = dict(LOGIN) if token is None else {**LOGIN, "csrf_token": token}
    response = client.post("/login", data=data)
    assert response.status_code == 400
    assert "Welcome back" not in client.get("/").get_data(as_text=True)


def test_a_token_from_another_visitor_is_refused(app, app_module):
    """What a forged request carries: a token from the attacker's own session, not the victim's."""
    attacker, victim = app.test_client(), app.test_client()
    stolen = token_of(attacker.get("/signup").get_data(as_text=True), "/signup")
    victim.get("/signup")
    response = victim.post("/signup", data={**VALID, "csrf_token": stolen})
    assert response.status_code == 400
    assert app_module.USERS == []


def test_a_token_signed_with_another_secret_is_refused(app_dir, monkeypatch, client, app_module):
    monkeypatch.setenv("FLASK_SECRET_KEY", "another secret")
    other = load_app_module(app_dir).app.test_client()
    forged = token_of(other.get("/signup").get_data(as_text=True), "/signup")
    client.get("/signup")
    assert client.post("/signup", data={**VALID, "csrf_token": forged}).status_code == 400
    assert app_module.USERS == []


def test_csrf_protection_stays_on_in_testing(app):
    """CSRFProtect checks every POST; turning it off in the tests would hide a missing token."""
    assert app.config.get("WTF_CSRF_ENABLED", True) is True
    assert "csrf" in app.extensions
