"""Signing in and out with Flask-Login: one message for every failure, a new session at sign-in, sign-out as a
POST with its CSRF token, and the pages that need an account (one concept for the report, signing in, apart from
the two mistakes it names on their own: two messages and a sign-out by GET)."""
import sqlite3
from contextlib import closing
from urllib.parse import parse_qs, urlsplit

import pytest

from support import Forms, expects, parse
from support.accounts import PASSWORD, Account, comparable, location_path, sign_in, sign_out
from support.messages import expect

pytestmark = pytest.mark.concept("signing in with Flask-Login", "sign-in", zh="用 Flask-Login 登录")
# The tests of what a visitor without an account meets teach a concept of their own (@login_required).
needs_an_account = pytest.mark.concept("pages that need an account", "login-required", zh="需要账户的页面")

WRONG = expects.text("Wrong username or password.")

expects.route("GET /login?next=…")
expects.form("POST /login", "username", "password", "csrf_token")
expects.form("POST /logout", "csrf_token")


@pytest.fixture
def ada(app):
    """An account, signed in in a client of its own."""
    return Account(app, "Ada")


@pytest.fixture
def visitor(anonymous):
    """The sign-in form of a visitor without an account."""
    return Forms(anonymous)


def signed_in_as(client):
    """The name the dashboard says is signed in, or None when it sends the visitor to the sign-in page."""
    response = client.get("/tasks")
    if response.status_code == 302:
        assert location_path(response) == "/login", response.headers["Location"]
        return None
    assert response.status_code == 200
    return parse(response.get_data(as_text=True)).get_text(" ")


def test_the_right_password_signs_in_and_leads_to_the_dashboard(ada, visitor, anonymous):
    response = sign_in(visitor, "Ada", PASSWORD)
    assert response.status_code == 302
    assert location_path(response) == "/tasks"
    assert "Ada" in signed_in_as(anonymous)


def test_the_username_is_found_whatever_its_case(ada, visitor, anonymous):
    """Ada and ada are one account (username_key), so either signs in."""
    assert sign_in(visitor, "ada", PASSWORD).status_code == 302
    assert "Ada" in signed_in_as(anonymous)


def test_the_session_keeps_the_person_signed_in_from_page_to_page(ada):
    for url in ("/tasks", "/search?q=x", "/api/tasks", "/tasks?page=1"):
        assert ada.client.get(url).status_code == 200, url


@pytest.mark.parametrize("username, password", [("Ada", PASSWORD + "x"), ("Ada", ""), ("Ada", PASSWORD.lower()),
                                                ("nobody", PASSWORD), ("", ""), ("Ada ", "")])
def test_a_failed_sign_in_is_401_with_the_one_message_and_signs_nobody_in(ada, visitor, anonymous, username,
                                                                          password):
    response = sign_in(visitor, username, password)
    assert response.status_code == 401
    soup = parse(response.get_data(as_text=True))
    assert soup.find(attrs={"role": "alert"}).get_text(strip=True) == WRONG
    assert signed_in_as(anonymous) is None


@pytest.mark.concept("one message for an unknown user and a wrong password", "one-message",
                     zh="用户不存在和密码错误给同一条提示")
@pytest.mark.parametrize("unknown", ["nobody", "Adam", "ada_", "ad"])
def test_an_unknown_user_and_a_wrong_password_get_the_same_answer(app, ada, unknown):
    """Pitfall 19: "No such user" for one and "Wrong password" for the other tells anyone which names have an
    account: the answers are the same, status and page, apart from the name typed.

    陷阱 19：对一种情况说“没有这个用户”，对另一种说“密码错误”，就等于告诉任何人哪些用户名有账号：两种回答完全一样，状态码和页面都一样，只有输入的用户名不同。
    """
    wrong_password = sign_in(Forms(app.test_client()), "Ada", "not-" + PASSWORD)
    unknown_user = sign_in(Forms(app.test_client()), unknown, PASSWORD)
    first, second = comparable(wrong_password, "Ada"), comparable(unknown_user, unknown)
    difference = (f"{wrong_password.status_code} / {unknown_user.status_code}" if first[0] != second[0]
                  else "the pages differ")
    expect(first == second, "user-enumeration", difference=difference)
    assert first[0] == 401


def test_signing_in_sets_a_new_session_cookie(ada, visitor, anonymous):
    anonymous.get("/login")
    before = anonymous.get_cookie("session")
    response = sign_in(visitor, "Ada", PASSWORD)
    assert any(header.startswith("session=") for header in response.headers.getlist("Set-Cookie"))
    after = anonymous.get_cookie("session")
    assert before is not None and after is not None and after.value != before.value


def test_a_session_fixed_before_sign_in_does_not_carry_the_account(app, ada):
    """Session fixation: an attacker opens the site, keeps the cookie they got and plants it in a victim's browser.
    The victim signs in; the attacker's copy of the cookie must still sign nobody in."""
    attacker = app.test_client()
    attacker.get("/login")
    planted = attacker.get_cookie("session").value
    victim = app.test_client()
    victim.set_cookie("session", planted)
    assert sign_in(Forms(victim), "Ada", PASSWORD).status_code == 302
    assert victim.get_cookie("session").value != planted
    assert "Ada" in signed_in_as(victim)
    assert signed_in_as(attacker) is None


def test_what_the_session_held_before_sign_in_is_dropped(ada, anonymous, visitor):
    """The session is renewed, not extended: the CSRF token given before sign-in is refused after it."""
    page = anonymous.get("/login")
    before = parse(page.get_data(as_text=True)).find("input", attrs={"name": "csrf_token"})["value"]
    assert sign_in(visitor, "Ada", PASSWORD).status_code == 302
    response = anonymous.post("/tasks", data={"summary": "With the old token", "csrf_token": before})
    assert response.status_code == 400
    assert anonymous.get("/api/tasks").get_json() == []


@pytest.mark.concept("signing out with a POST and its CSRF token", "sign-out", zh="用带 CSRF 令牌的 POST 退出登录")
def test_the_sign_out_button_signs_out_and_leads_home(ada):
    response = sign_out(ada.forms)
    assert response.status_code == 302
    assert location_path(response) == "/"
    assert signed_in_as(ada.client) is None
    assert ada.client.get("/api/tasks").status_code == 401


@pytest.mark.concept("signing out with a POST and its CSRF token", "sign-out", zh="用带 CSRF 令牌的 POST 退出登录")
def test_a_get_of_logout_is_405_and_signs_nobody_out(ada):
    """Another site's <img src="https://tasks.example.com/logout"> would sign every visitor out."""
    response = ada.client.get("/logout")
    still_in = signed_in_as(ada.client) is not None
    expect(response.status_code == 405 and still_in, "logout-by-get", status=response.status_code,
           signed_out="" if still_in else "，并且让人退出了登录", signed_out_en="" if still_in else " and signed the person out")


@pytest.mark.concept("signing out with a POST and its CSRF token", "sign-out", zh="用带 CSRF 令牌的 POST 退出登录")
@pytest.mark.parametrize("token", [None, "forged"])
def test_a_sign_out_without_its_csrf_token_is_refused(ada, token):
    response = ada.client.post("/logout", data={} if token is None else {"csrf_token": token})
    assert response.status_code == 400
    assert signed_in_as(ada.client) is not None


@pytest.mark.concept("signing out with a POST and its CSRF token", "sign-out", zh="用带 CSRF 令牌的 POST 退出登录")
def test_every_page_of_a_signed_in_person_has_a_sign_out_button(ada):
    (task,) = ada.add_all("A task, so its page exists")
    for url in ("/", "/tasks", f"/tasks/{task}", "/search?q=task", "/docs"):
        form = ada.forms.find(url, "/logout")
        assert form.get("method", "").lower() == "post", url
        assert form.find("input", attrs={"name": "csrf_token"}), url


def test_an_account_removed_while_signed_in_signs_nobody_in(app, ada):
    """The user loader finds no account: the visitor is anonymous again, not a 500."""
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        db.execute("DELETE FROM users WHERE username_key = 'ada'")
        db.commit()
    assert signed_in_as(ada.client) is None


def test_a_session_signed_with_another_secret_signs_nobody_in(app, ada, fresh_import):
    other = fresh_import(APP_SECRET="another-secret-of-more-than-32-characters").app
    other.config.update(TESTING=True, DATABASE=app.config["DATABASE"])
    visitor = other.test_client()
    visitor.set_cookie("session", ada.client.get_cookie("session").value)
    assert signed_in_as(visitor) is None


NEEDS_AN_ACCOUNT = ["/tasks", "/tasks?page=2", "/tasks/1", "/search", "/search?q=milk&page=1"]


@needs_an_account
@pytest.mark.parametrize("url", NEEDS_AN_ACCOUNT)
def test_a_page_that_needs_an_account_sends_a_visitor_to_sign_in_and_back(app, ada, anonymous, url):
    ada.add_all("Buy milk")
    response = anonymous.get(url)
    assert response.status_code == 302
    location = urlsplit(response.headers["Location"])
    assert location.path == "/login"
    assert parse_qs(location.query).get("next") == [url]
    # Signing in from that page leads back to it.
    signed = sign_in(Forms(anonymous), "Ada", PASSWORD, next=url)
    assert signed.status_code == 302
    assert signed.headers["Location"] in (url, f"http://localhost{url}")


@needs_an_account
@pytest.mark.parametrize("url", ["/tasks", "/tasks/1/toggle", "/tasks/1/delete", "/tasks/purge"])
def test_a_form_sent_without_an_account_changes_nothing(ada, anonymous, url):
    (task,) = ada.add_all("Buy milk")
    ada.toggle(task)
    before = ada.rows()
    token = parse(anonymous.get("/login").get_data(as_text=True)).find("input", attrs={"name": "csrf_token"})["value"]
    response = anonymous.post(url, data={"csrf_token": token, "summary": "Planted"})
    assert response.status_code in (302, 401)
    if response.status_code == 302:
        assert location_path(response) == "/login"
    assert ada.rows() == before
    with closing(sqlite3.connect(ada.path)) as db:
        assert db.execute("SELECT count(*) FROM tasks").fetchone()[0] == 1


@needs_an_account
@pytest.mark.parametrize("url", ["/api/tasks", "/api/tasks?page=2"])
def test_the_api_answers_a_visitor_without_an_account_401_json(anonymous, url):
    response = anonymous.get(url)
    assert response.status_code == 401
    assert response.is_json
    assert isinstance(response.get_json().get("error"), str) and response.get_json()["error"]
    expects.json({"error": "…"})


@needs_an_account
@pytest.mark.parametrize("url", ["/", "/docs", "/login", "/signup", "/healthz"])
def test_the_pages_about_the_site_open_without_an_account(anonymous, url):
    assert anonymous.get(url).status_code == 200
