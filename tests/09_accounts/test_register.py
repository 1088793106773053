"""Registering: step 04's sign-up checks, now for accounts that keep a password, and sign-ups every worker sees
(step 07's tests, for a visitor without an account); a new account is signed in and lands on its dashboard."""
import sqlite3
from contextlib import closing

import pytest

from support import Forms, expects, parse
from support.accounts import PASSWORD, location_path, register, user_id
from support.reuse import reused_modules
from support.signup import stored_users

globals().update(reused_modules("08_package", {
    # Step 04's demo account is gone, and a new account lands on its dashboard, not on the home page (below).
    "test_step04_forms": {"test_the_demo_account_is_welcomed_on_the_home_page",
                          "test_a_valid_sign_up_is_stored_and_welcomed_on_the_home_page"},
    # A row without a password hash is no account any more (below, with one).
    "test_signups": {"test_the_database_itself_refuses_a_second_account_of_one_name"},
}))

pytestmark = pytest.mark.concept("registering an account", "register", zh="注册账号")

expects.route("GET /signup")
expects.form("POST /signup", "username", "email", "password", "csrf_token")


@pytest.fixture
def client(anonymous):
    """These tests register accounts: they start without one."""
    return anonymous


def test_a_new_account_is_signed_in_and_lands_on_its_own_empty_dashboard(client, forms, app, app_module):
    response = register(forms, "  ada  ", email=" ada@example.com ")
    assert response.status_code == 302
    assert location_path(response) == "/tasks"
    assert stored_users(app_module) == [{"username": "ada", "email": "ada@example.com"}]
    dashboard = client.get("/tasks")
    assert dashboard.status_code == 200, "the new account is signed in"
    assert "ada" in parse(dashboard.get_data(as_text=True)).get_text(), "the page says who is signed in"
    assert expects.text("Nothing to do yet") in dashboard.get_data(as_text=True)


def test_a_refused_sign_up_signs_nobody_in(client, forms):
    assert register(forms, "ada", password="short").status_code == 400
    response = client.get("/tasks")
    assert response.status_code == 302 and location_path(response) == "/login"


def test_the_database_itself_refuses_a_second_account_of_one_name(client, app):
    client.get("/")
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        db.execute("INSERT INTO users (username, username_key, email, password_hash)"
                   " VALUES ('ada', 'ada', 'a@example.com', 'x')")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO users (username, username_key, email, password_hash)"
                       " VALUES ('Ada', 'ada', 'b@example.com', 'x')")


def test_the_form_never_sends_the_password_back(forms):
    """A refused sign-up shows the form again: the name and e-mail as typed, the password field empty."""
    response = register(forms, "ab", password=PASSWORD)
    assert response.status_code == 400
    html = response.get_data(as_text=True)
    assert PASSWORD not in html
    field = parse(html).find("input", attrs={"name": "password"})
    assert field is not None and field.get("type") == "password" and not field.get("value")


def test_taking_a_name_does_not_sign_the_visitor_in_as_its_owner(client, forms, app):
    assert register(forms, "ada").status_code == 302
    other = app.test_client()
    response = register(Forms(other), "ADA", email="other@example.com")
    assert response.status_code == 400
    assert other.get("/tasks").status_code == 302
    assert user_id(app, "ada") is not None


@pytest.mark.parametrize("field, value", [
    ("username", "ada\tlovelace"), ("username", "ada\nlovelace"), ("username", "ada\x1b[31m"),
    ("username", "ada\u2028x"), ("email", "ada\r\n@example.com"), ("email", "ada\x07@example.com"),
])
def test_a_name_or_address_with_a_control_character_is_refused_and_nothing_is_stored(client, forms, app_module,
                                                                                      field, value):
    """A username is shown on every page and typed to sign in: a tab, a line break or an escape sequence in it
    (or in the e-mail address) is refused with the form's message, never stored."""
    fields = dict({"username": "lovelace", "email": "ada@example.com"}, **{field: value})
    response = register(forms, fields["username"], email=fields["email"])
    assert response.status_code == 400, f"a sign-up with {field}={value!r} answered {response.status_code}"
    assert stored_users(app_module) == [], f"a sign-up with {field}={value!r} was stored"
