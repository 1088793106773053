"""Signing in now flashes a welcome and redirects home; a wrong password still shows the form with 401."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("signing in: flash and redirect", "sign-in", zh="登录：闪现消息与重定向")

expects.route("GET /login")
expects.form("POST /login", "username", "password")


def test_get_shows_an_empty_form_without_an_error(client):
    response = client.get("/login")
    assert response.status_code == 200
    main = parse(response.get_data(as_text=True)).find("main")
    assert main.find("input", attrs={"name": "username"})["value"] == ""
    assert main.find(attrs={"role": "alert"}) is None


def test_the_demo_account_is_welcomed_on_the_home_page(forms):
    response = forms.submit("/login", "/login", {"username": "student", "password": "flask"}, follow_redirects=True)
    assert response.request.path == "/"
    flash = parse(response.get_data(as_text=True)).select_one(".flash")
    assert flash["class"] == ["flash", "success"]
    assert flash.get_text(strip=True) == expects.text("Welcome back, student!")


@pytest.mark.parametrize(("username", "password"), [
    ("student", "wrong"), ("Student", "flask"), ("", ""), ("   ", "   "), ("student", "flask "),
    ("café ✓ 任务", "flask"), ("'); DROP TABLE tasks; --", "flask"), ("<script>alert(1)</script>", "flask"),
])
def test_wrong_credentials_are_401_with_the_username_kept(forms, username, password):
    response = forms.submit("/login", "/login", {"username": username, "password": password})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "<script>alert" not in html
    main = parse(html).find("main")
    assert main.select_one(expects.element('[role="alert"]')).get_text(strip=True) == expects.text("Wrong username or password.")
    assert main.find("input", attrs={"name": "username"})["value"] == username
    assert main.find("input", attrs={"name": "password"}).get("value", "") == ""
    assert main.select(".flash") == []


def test_the_password_is_never_sent_back(forms):
    response = forms.submit("/login", "/login", {"username": "student", "password": "s3cret-guess"})
    assert "s3cret-guess" not in response.get_data(as_text=True)


def test_a_missing_field_is_refused_not_a_crash(forms):
    response = forms.submit("/login", "/login", {})
    assert response.status_code == 401
    assert parse(response.get_data(as_text=True)).find("input", attrs={"name": "username"})["value"] == ""


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_other_methods_are_405(client, method):
    assert getattr(client, method)("/login").status_code == 405
