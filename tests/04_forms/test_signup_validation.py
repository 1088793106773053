"""The sign-up form is checked on the server: username 3-30 characters and not taken, an e-mail, a password 8-128."""
import pytest

from support import expects, parse
from support.signup import VALID, email_of_length, sign_up

pytestmark = pytest.mark.concept("validating a sign-up form on the server", "validation", zh="在服务器端验证注册表单")

USERNAME_LENGTH = expects.text("A username has 3 to 30 characters.")
USERNAME_TAKEN = expects.text("That username is already taken.")
EMAIL_SHAPE = expects.text("Enter an e-mail address such as ada@example.com.")
PASSWORD_LENGTH = expects.text("A password has 8 to 128 characters.")

expects.route("GET /signup")
expects.form("POST /signup", "username", "email", "password")
expects.element('input[name="email"][type="email"]', 'input[name="password"][type="password"]')


def errors_on(response):
    """Every piece of text in the page's main part, where the error messages are, one string each."""
    return list(parse(response.get_data(as_text=True)).find("main").stripped_strings)


def test_the_form_asks_for_a_username_an_email_and_a_password(client):
    response = client.get("/signup")
    assert response.status_code == 200
    form = parse(response.get_data(as_text=True)).find("form", action="/signup")
    assert form["method"].lower() == "post"
    assert form.find("input", attrs={"name": "username"}) is not None
    assert form.find("input", attrs={"name": "email"})["type"] == "email"
    assert form.find("input", attrs={"name": "password"})["type"] == "password"


def test_a_valid_form_stores_the_user_without_the_password(forms, app_module):
    response = sign_up(forms)
    assert response.status_code < 400
    assert app_module.USERS == [{"username": "ada", "email": "ada@example.com"}]
    assert VALID["password"] not in repr(app_module.USERS)


@pytest.mark.parametrize("username", [
    "abc", "a" * 30, "café ✓ 任务", "<script>alert(1)</script>", "'); DROP TABLE tasks; --",
])
def test_usernames_of_3_to_30_characters_are_accepted_as_typed(forms, app_module, username):
    assert sign_up(forms, username=username).status_code < 400
    assert [user["username"] for user in app_module.USERS] == [username]


@pytest.mark.parametrize("username", ["", "   ", "ab", "  ab  ", "a" * 31, "a" * 10_000])
def test_usernames_that_are_too_short_or_too_long_are_refused(forms, app_module, username):
    """Spaces around a username are trimmed first, so "   " is empty and "  ab  " is two characters."""
    response = sign_up(forms, username=username)
    assert response.status_code == 400
    assert USERNAME_LENGTH in errors_on(response)
    assert app_module.USERS == []


def test_spaces_around_the_username_and_email_are_trimmed(forms, app_module):
    assert sign_up(forms, username="  ada  ", email="  ada@example.com  ").status_code < 400
    assert app_module.USERS == [{"username": "ada", "email": "ada@example.com"}]


@pytest.mark.parametrize("again", ["ada", "ADA", "Ada", "  aDa  "])
def test_a_username_that_is_taken_is_refused_whatever_its_case(forms, app_module, again):
    assert sign_up(forms, username="Ada").status_code < 400
    response = sign_up(forms, username=again, email="other@example.com")
    assert response.status_code == 400
    assert USERNAME_TAKEN in errors_on(response)
    assert len(app_module.USERS) == 1


def test_a_second_user_with_another_name_is_accepted(forms, app_module):
    sign_up(forms, username="ada")
    assert sign_up(forms, username="grace").status_code < 400
    assert [user["username"] for user in app_module.USERS] == ["ada", "grace"]


@pytest.mark.parametrize("email", [
    "ada@example.com", "Ada.Lovelace+course@mail.example.org", "café@例え.jp", email_of_length(254),
])
def test_e_mail_addresses_of_the_right_shape_are_accepted(forms, app_module, email):
    assert sign_up(forms, email=email).status_code < 400
    assert app_module.USERS[0]["email"] == email


@pytest.mark.parametrize("email", [
    "", "   ", "ada", "ada@", "@example.com", "ada@example", "ada @example.com", "ada@exa mple.com",
    "ada@@example.com", "a@b@example.com", "ada@example.", email_of_length(255),
])
def test_e_mail_addresses_of_the_wrong_shape_are_refused(forms, app_module, email):
    response = sign_up(forms, email=email)
    assert response.status_code == 400
    assert EMAIL_SHAPE in errors_on(response)
    assert app_module.USERS == []


@pytest.mark.parametrize("password", ["8 chars!", "x" * 128, "café ✓ 任务!", "'); DROP TABLE tasks; --"])
def test_passwords_of_8_to_128_characters_are_accepted(forms, password):
    assert sign_up(forms, password=password).status_code < 400


@pytest.mark.parametrize("password", ["", "7 chars", "x" * 129, "x" * 10_000])
def test_passwords_that_are_too_short_or_too_long_are_refused(forms, app_module, password):
    response = sign_up(forms, password=password)
    assert response.status_code == 400
    assert PASSWORD_LENGTH in errors_on(response)
    assert app_module.USERS == []


@pytest.mark.parametrize(("missing", "message"), [
    ("username", USERNAME_LENGTH), ("email", EMAIL_SHAPE), ("password", PASSWORD_LENGTH),
])
def test_a_field_missing_from_the_request_is_an_error_not_a_crash(client, forms, app_module, missing, message):
    form = forms.find("/signup", "/signup")
    data = {**VALID, "csrf_token": form.find("input", attrs={"name": "csrf_token"})["value"]}
    del data[missing]
    response = client.post("/signup", data=data)
    assert response.status_code == 400
    assert message in errors_on(response)
    assert app_module.USERS == []
    if missing != "password":
        assert parse(response.get_data(as_text=True)).find("input", attrs={"name": missing})["value"] == ""


@pytest.mark.parametrize("method", ["put", "delete", "patch"])
def test_the_sign_up_page_answers_only_get_and_post(client, method):
    assert getattr(client, method)("/signup").status_code == 405
