"""The sign-in form is now a template: shown on GET, checked on POST (a demo account, student / flask)."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("the sign-in form as a template", "sign-in-form", zh="用模板写的登录表单")

expects.route("GET /login")
expects.form("POST /login", "username", "password")


def test_get_shows_the_form_without_an_error(client):
    response = client.get("/login")
    assert response.status_code == 200
    main = parse(response.get_data(as_text=True)).find("main")
    form = main.find("form")
    assert form["action"] == "/login"
    assert form["method"].lower() == "post"
    assert form.find("input", attrs={"name": "username"})["value"] == ""
    assert form.find("input", attrs={"name": "password"})["type"] == "password"
    assert main.find(attrs={"role": "alert"}) is None


def test_the_right_password_welcomes_the_user(forms):
    response = forms.submit("/login", "/login", {"username": "student", "password": "flask"})
    assert response.status_code == 200
    soup = parse(response.get_data(as_text=True))
    assert soup.find("h1").get_text(strip=True) == expects.text("Welcome back, student!")
    assert soup.title.get_text(strip=True) == expects.text("Signed in · Task manager")
    assert soup.find("nav") is not None


@pytest.mark.parametrize(("username", "password"), [
    ("student", "wrong"),
    ("Student", "flask"),
    ("nobody", "flask"),
    ("", ""),
    ("   ", "   "),
    ("student", "flask "),
    ("café ✓ 任务", "flask"),
    ("'); DROP TABLE tasks; --", "flask"),
])
def test_wrong_credentials_are_401_with_a_message_and_the_username_kept(forms, username, password):
    response = forms.submit("/login", "/login", {"username": username, "password": password})
    assert response.status_code == 401
    main = parse(response.get_data(as_text=True)).find("main")
    assert main.select_one(expects.element('[role="alert"]')).get_text(strip=True) == expects.text("Wrong username or password.")
    assert main.find("input", attrs={"name": "username"})["value"] == username
    assert main.find("input", attrs={"name": "password"}).get("value", "") == ""


def test_a_missing_field_is_refused_not_a_crash(client):
    assert client.post("/login", data={"username": "student"}).status_code == 401
    response = client.post("/login", data={})
    assert response.status_code == 401
    assert parse(response.get_data(as_text=True)).find("input", attrs={"name": "username"})["value"] == ""


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405(client, method):
    assert getattr(client, method)("/login").status_code == 405
