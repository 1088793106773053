"""A refused sign-up shows every problem at once, with status 400, and keeps what was typed (never the password)."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("every error at once, what was typed kept", "showing-errors", zh="一次显示所有错误，保留已输入的内容")

MESSAGES = {
    "username": expects.text("A username has 3 to 30 characters."),
    "email": expects.text("Enter an e-mail address such as ada@example.com."),
    "password": expects.text("A password has 8 to 128 characters."),
}
SECRET = "hunter2"


def refused(forms, username="ab", email="not-an-email", password=SECRET):
    response = forms.submit("/signup", "/signup", {"username": username, "email": email, "password": password})
    assert response.status_code == 400
    return response.get_data(as_text=True)


def test_every_error_is_shown_at_once(forms):
    main = parse(refused(forms)).find("main")
    for message in MESSAGES.values():
        assert message in main.get_text()
    assert expects.text("Please fix 3 problems below.") in main.get_text()


@pytest.mark.parametrize(("fields", "wrong"), [
    ({"username": "ab"}, ["username"]),
    ({"email": "nope"}, ["email"]),
    ({"password": "short"}, ["password"]),
    ({"username": "ab", "password": "short"}, ["username", "password"]),
])
def test_only_the_fields_that_are_wrong_get_a_message(forms, fields, wrong):
    data = {"username": "ada", "email": "ada@example.com", "password": "correct horse", **fields}
    response = forms.submit("/signup", "/signup", data)
    assert response.status_code == 400
    main = parse(response.get_data(as_text=True)).find("main")
    for field, message in MESSAGES.items():
        assert (message in main.get_text()) is (field in wrong), field
    count, plural = len(wrong), "s" if len(wrong) > 1 else ""
    assert expects.text(f"Please fix {count} problem{plural} below.") in main.get_text()


def test_each_message_is_tied_to_its_field_for_screen_readers(forms):
    soup = parse(refused(forms))
    for field, message in MESSAGES.items():
        control = soup.find("input", attrs={"name": field})
        assert control.get("aria-invalid") == "true", expects.element('input[aria-invalid="true"][aria-describedby]')
        assert soup.find(id=control["aria-describedby"]).get_text(strip=True) == message


def test_what_the_user_typed_is_kept(forms):
    soup = parse(refused(forms, username="ab", email="ada@example"))
    assert soup.find("input", attrs={"name": "username"})["value"] == "ab"
    assert soup.find("input", attrs={"name": "email"})["value"] == "ada@example"


def test_the_password_is_never_sent_back(forms):
    html = refused(forms, password=SECRET)
    assert SECRET not in html
    assert parse(html).find("input", attrs={"name": "password"}).get("value", "") == ""


@pytest.mark.parametrize("typed", ["<script>alert(1)</script>", "café ✓ 任务 <b>", "'); DROP TABLE tasks; --"])
def test_kept_text_comes_back_escaped_and_literal(forms, typed):
    html = refused(forms, username=typed, email=typed, password="short")
    assert "<script>alert" not in html and "<b>" not in html
    soup = parse(html)
    assert soup.find("input", attrs={"name": "email"})["value"] == typed


def test_a_first_visit_shows_no_errors_and_empty_fields(client):
    main = parse(client.get("/signup").get_data(as_text=True)).find("main")
    assert not any(message in main.get_text() for message in MESSAGES.values())
    assert main.find(attrs={"aria-invalid": "true"}) is None
    for field in ("username", "email", "password"):
        assert main.find("input", attrs={"name": field}).get("value", "") == ""
