"""What step 04 built, checked again in steps 05 and 06: sign-in, sign-up with its checks, flashes, health check.

Each of those suites runs these tests with `from support.step04_forms import *`.
"""
import pytest

from support import expects, parse
from support.pages import flashes
from support.signup import email_of_length, sign_up, stored_users

pytestmark = pytest.mark.concept("the forms from step 04, unchanged", "forms-from-step-04", zh="第 04 步的表单，保持不变")

USERNAME_LENGTH = "A username has 3 to 30 characters."
USERNAME_TAKEN = "That username is already taken."
EMAIL_SHAPE = "Enter an e-mail address such as ada@example.com."
PASSWORD_LENGTH = "A password has 8 to 128 characters."

# What these tests compare, for the box "What the checks expect" of each step that runs them (05-08).
expects.route("GET /login", "GET /signup", "GET /healthz")
expects.form("POST /login", "username", "password", "csrf_token")
expects.form("POST /signup", "username", "email", "password", "csrf_token")
expects.element('[role="alert"]', "#username-error", "#email-error", "#password-error", ".error[id]")
expects.text("Wrong username or password.", USERNAME_LENGTH, USERNAME_TAKEN, EMAIL_SHAPE, PASSWORD_LENGTH)
# From step 09 on (whose suite reuses step 08's) there is no demo account, and a new account lands on its dashboard.
expects.text("Welcome back, student!", "Account created for ada.",
             steps=["05_sqlite", "06_taskman", "07_deploy", "08_package"])
expects.json({"status": "ok"})


def test_the_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


@pytest.mark.parametrize("url", ["/login", "/signup"])
def test_the_sign_in_and_sign_up_forms_start_empty(client, url):
    soup = parse(client.get(url).get_data(as_text=True))
    for field in soup.find_all("input", attrs={"name": ["username", "email"]}):
        assert field.get("value", "") == ""
    assert soup.find(attrs={"role": "alert"}) is None


def test_the_demo_account_is_welcomed_on_the_home_page(forms):
    response = forms.submit("/login", "/login", {"username": "student", "password": "flask"}, follow_redirects=True)
    assert response.request.path == "/"
    assert flashes(response) == [(["flash", "success"], "Welcome back, student!")]


@pytest.mark.parametrize(("username", "password"), [("student", "wrong"), ("ada", "flask"), ("", "")])
def test_wrong_credentials_are_401_with_the_username_kept(forms, username, password):
    response = forms.submit("/login", "/login", {"username": username, "password": password})
    assert response.status_code == 401
    soup = parse(response.get_data(as_text=True))
    assert soup.find(attrs={"role": "alert"}).get_text(strip=True) == "Wrong username or password."
    assert soup.find("input", attrs={"name": "username"})["value"] == username


def test_a_valid_sign_up_is_stored_and_welcomed_on_the_home_page(forms, app_module):
    response = sign_up(forms, username="  ada  ", email=" ada@example.com ")
    assert response.status_code == 302
    assert stored_users(app_module) == [{"username": "ada", "email": "ada@example.com"}]
    home = forms.client.get(response.headers["Location"])
    assert home.request.path == "/"
    assert flashes(home) == [(["flash", "success"], "Account created for ada.")]


@pytest.mark.parametrize(("field", "value"), [
    ("username", "abc"), ("username", "a" * 30), ("email", email_of_length(254)),
    ("password", "p" * 8), ("password", "p" * 128),
])
def test_values_at_the_limits_are_accepted(forms, field, value):
    assert sign_up(forms, **{field: value}).status_code == 302


@pytest.mark.parametrize(("field", "value", "message"), [
    ("username", "ab", USERNAME_LENGTH), ("username", "a" * 31, USERNAME_LENGTH),
    ("email", "ada@example", EMAIL_SHAPE), ("email", email_of_length(255), EMAIL_SHAPE),
    ("password", "p" * 7, PASSWORD_LENGTH), ("password", "p" * 129, PASSWORD_LENGTH),
])
def test_a_value_out_of_bounds_is_refused_with_its_message(forms, app_module, field, value, message):
    response = sign_up(forms, **{field: value})
    assert response.status_code == 400
    soup = parse(response.get_data(as_text=True))
    assert soup.find(id=f"{field}-error").get_text(strip=True) == message
    assert len(soup.select(".error[id]")) == 1, "only the wrong field gets a message"
    # What was typed is kept; from step 09 on, cut to the 30 characters a username may have.
    typed = value if field == "username" else "ada"
    assert soup.find("input", attrs={"name": "username"})["value"] in (typed, typed[:30])
    assert stored_users(app_module) == []


@pytest.mark.parametrize(("url", "status", "messages"), [
    ("/login", 401, ["Wrong username or password."]),
    ("/signup", 400, [USERNAME_LENGTH, EMAIL_SHAPE, PASSWORD_LENGTH]),
])
def test_a_form_with_no_fields_is_refused_not_a_crash(client, forms, url, status, messages):
    """Only the CSRF token is sent: each missing field counts as empty, and the form comes back empty."""
    token = forms.find(url, url).find("input", attrs={"name": "csrf_token"})["value"]
    response = client.post(url, data={"csrf_token": token})
    assert response.status_code == status
    soup = parse(response.get_data(as_text=True))
    for message in messages:
        assert message in soup.get_text()
    for field in soup.find_all("input", attrs={"name": ["username", "email"]}):
        assert field.get("value", "") == "", f"the {field['name']} field should be empty"


def test_a_taken_username_is_refused_whatever_its_case_but_another_is_welcome(forms, app_module):
    assert sign_up(forms, username="Ada").status_code == 302
    response = sign_up(forms, username="aDA", email="other@example.com")
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).find(id="username-error").get_text(strip=True) == USERNAME_TAKEN
    assert sign_up(forms, username="grace").status_code == 302
    assert [user["username"] for user in stored_users(app_module)] == ["Ada", "grace"]
