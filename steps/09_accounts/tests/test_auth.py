"""Accounts: signing up, in and out; passwords kept
as salted hashes; pages that need an account."""

import re
import sqlite3

import pytest

import taskman.auth
from conftest import AuthActions
from taskman import create_app


def test_sign_up_signs_in_and_opens_the_dashboard(client, auth):
    response = auth.signup("ada")
    assert response.headers["Location"] == "/tasks"
    html = client.get("/tasks").get_data(as_text=True)
    assert "Account created for ada." in html
    assert "Sign out" in html and 'href="/login"' not in html


def test_sign_up_then_the_name_is_taken(auth):
    auth.signup("ada")
    auth.logout()
    again = auth.signup("ADA")
    assert again.status_code == 400
    assert "That username is already taken." in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("username", "ab", "A username has 3 to 30 characters."),
        (
            "username",
            "ada\tlovelace",
            "A username has no tabs, line breaks or other control characters.",
        ),
        (
            "email",
            "ada\x01@example.com",
            "Enter an e-mail address such as ada@example.com.",
        ),
        ("email", "ada", "Enter an e-mail address such as ada@example.com."),
        ("password", "short", "A password has 8 to 128 characters."),
        ("password", "x" * 129, "A password has 8 to 128 characters."),
        ("password", "LOVELACE", "A password must not be the username."),
    ],
)
def test_a_bad_sign_up_is_refused(app, tasks, field, value, message):
    data = dict(
        {
            "username": "lovelace",
            "email": "ada@example.com",
            "password": "long enough",
        },
        **{field: value},
    )
    response = tasks.post("/signup", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert stored_users(app) == []


def test_sign_out_then_sign_in_again(client, auth):
    auth.signup("ada")
    response = auth.logout()
    assert response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert "You are signed out." in html and 'href="/login"' in html
    assert client.get("/tasks").status_code == 302
    response = auth.login("Ada")
    assert response.headers["Location"] == "/tasks"
    assert "Welcome back, ada!" in client.get("/tasks").get_data(as_text=True)


def test_sign_out_is_a_post_with_its_token(client, auth):
    auth.signup("ada")
    assert client.get("/logout").status_code == 405
    # No CSRF token: a forged sign-out
    assert client.post("/logout").status_code == 400
    assert client.get("/tasks").status_code == 200  # still signed in


def test_a_wrong_password_and_an_unknown_user_get_the_same_answer(client, auth):
    auth.signup("ada")
    auth.logout()
    wrong = auth.login("ada", "wrong password")
    unknown = auth.login("nobody", "wrong password")
    assert wrong.status_code == unknown.status_code == 401
    assert "Wrong username or password." in wrong.get_data(as_text=True)

    # The same page but for the name typed; the CSRF tokens are
    # left out: each one is signed with the second it was made
    # in, so two pages made a second apart carry different ones.
    def page(response):
        return re.sub(
            r'name="csrf_token" value="[^"]*"', "", response.get_data(as_text=True)
        )

    assert page(wrong).replace('value="ada"', 'value="nobody"') == page(unknown)
    assert client.get("/tasks").status_code == 302


def test_an_unknown_user_still_costs_one_hash_check(monkeypatch, auth):
    # Answering at once would tell by its speed that there is no such user.
    checked = []
    real_check = taskman.auth.check_password_hash
    monkeypatch.setattr(
        taskman.auth,
        "check_password_hash",
        lambda hashed, password: (
            checked.append(hashed) or real_check(hashed, password)
        ),
    )
    auth.login("nobody", "a password")
    assert len(checked) == 1 and checked[0].startswith("pbkdf2:sha256:1000$")


def stored_users(app):
    """Every row of the users table."""
    with sqlite3.connect(app.config["DATABASE"]) as db:
        return db.execute("SELECT * FROM users").fetchall()


def test_the_database_holds_salted_hashes_never_the_password(app, auth, tmp_path):
    auth.signup("ada", "the same password")
    auth.logout()
    auth.signup("bob", "the same password")
    (ada, bob) = stored_users(app)
    assert not any("the same password" in str(value) for value in ada + bob)
    # A salt of its own for each: one password, two different hashes.
    assert ada[-1] != bob[-1]
    # The file, its write-ahead log and its shared memory
    for path in tmp_path.glob("tasks.db*"):
        assert b"the same password" not in path.read_bytes()


def test_the_production_default_is_scrypt_salted_and_slow(tmp_path):
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 32,
            "DATABASE": str(tmp_path / "tasks.db"),
        }
    )
    assert app.config["PASSWORD_HASH_METHOD"] == "scrypt"
    with app.test_request_context():
        first, second = (
            taskman.auth.hash_password("a password"),
            taskman.auth.hash_password("a password"),
        )
    # scrypt with N = 32768 (2**15), r = 8, p = 1: about
    # 32 MiB of memory and tens of milliseconds a guess.
    assert first.startswith("scrypt:32768:8:1$") and first != second
    assert taskman.auth.check_password_hash(first, "a password")


@pytest.mark.parametrize(
    "path", ["/tasks", "/tasks?page=2", "/tasks/1", "/search?q=milk"]
)
def test_a_page_that_needs_an_account_sends_a_visitor_to_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    location = response.headers["Location"]
    assert location.startswith("/login?next=")
    assert "Please sign in to see that page." in client.get(location).get_data(
        as_text=True
    )


@pytest.mark.parametrize(
    "path", ["/tasks/1/toggle", "/tasks/1/delete", "/tasks/purge", "/tasks"]
)
def test_a_visitor_cannot_change_tasks(client, tasks, path):
    response = tasks.post(path, {"summary": "Forged"})
    assert response.status_code == 302
    # To the sign-in form, without next: after it, a
    # GET of a form's address would only answer 405.
    assert response.headers["Location"] == "/login"


def test_the_api_answers_a_visitor_401_json(client):
    response = client.get("/api/tasks")
    assert response.status_code == 401
    assert "error" in response.get_json()


def test_after_sign_in_back_to_the_page_asked_for(client, auth):
    auth.signup("ada")
    auth.logout()
    next_path = client.get("/tasks?page=1").headers["Location"].split("next=")[1]
    form = client.get(f"/login?next={next_path}").get_data(as_text=True)
    # The form carries next through its POST, in a hidden field.
    assert '<input type="hidden" name="next" value="/tasks?page=1">' in form
    response = client.post(
        "/login",
        data={
            "csrf_token": auth._forms.token(),
            "username": "ada",
            "password": "correct horse",
            "next": "/tasks?page=1",
        },
    )
    assert response.headers["Location"] == "/tasks?page=1"


# Every way to write "another site" that browsers
# are known to follow, or that could be read so.
HOSTILE_NEXT = [
    "https://evil.example/",
    "http://evil.example",
    "//evil.example",
    "///evil.example",
    "/\\evil.example",
    "\\\\evil.example",
    "/\\/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "/\r\n/evil.example",
    " //evil.example",
    "\x00//evil.example",
    "/tasks\\..\\..\\evil",
    "javascript:alert(1)",
    "data:text/html,<script>alert(1)</script>",
    "evil.example",
    "https:evil.example",
    "tasks",
    "//evil.example/%2F..",
    "/\u200b/evil.example",
    "\u3000//evil.example",
    "",
]


@pytest.mark.parametrize("next_path", HOSTILE_NEXT)
def test_next_goes_to_this_site_only(client, auth, next_path):
    auth.signup("ada")
    auth.logout()
    assert 'name="next"' not in client.get(
        "/login", query_string={"next": next_path}
    ).get_data(as_text=True)
    response = auth.login("ada", next_path=next_path)
    assert response.status_code == 302
    assert response.headers["Location"] == "/tasks"


def test_the_session_is_new_after_sign_in(client, auth):
    auth.signup("ada")
    auth.logout()
    with client.session_transaction() as session:
        session["planted"] = "by whoever used this browser before"
    auth.login("ada")
    with client.session_transaction() as session:
        assert "planted" not in session


def test_a_session_cookie_taken_to_another_browser_is_signed_out(client, auth):
    # session_protection = "strong": the session
    # remembers the address and the browser.
    auth.signup("ada")
    assert client.get("/tasks").status_code == 200
    assert (
        client.get("/tasks", headers={"User-Agent": "another browser"}).status_code
        == 302
    )


def test_a_removed_account_is_signed_out(app, client, auth):
    auth.signup("ada")
    with sqlite3.connect(app.config["DATABASE"]) as db:
        db.execute("DELETE FROM users")
    assert client.get("/tasks").status_code == 302


def test_a_session_cookie_kept_after_sign_out_signs_nobody_in(client, auth, tasks):
    """The cookie is signed, not stored: signing out
    changes the session id it names, on the server."""
    auth.signup("ada")
    token = tasks.token("/tasks")
    kept = client.get_cookie("session").value
    auth.logout()
    client.set_cookie("session", kept)
    assert client.get("/api/tasks").status_code == 401
    response = client.post(
        "/tasks", data={"csrf_token": token, "summary": "Replayed"}
    )
    assert response.status_code == 302 and response.headers["Location"].startswith(
        "/login"
    )
    auth.login("ada")
    assert client.get("/api/tasks").get_json() == []


def test_signing_out_signs_out_every_browser_of_the_account(app, client, auth):
    auth.signup("ada")
    other = app.test_client()
    AuthActions(other).login("ada")
    assert other.get("/api/tasks").status_code == 200
    auth.logout()
    assert other.get("/api/tasks").status_code == 401


@pytest.mark.parametrize(
    "look_alike",
    [
        "ａｄａ",
        "𝐚𝐝𝐚",
        "ADA",
        "ада" + "a",
        "ada\u3164",
        "ada\u2800",
        "ada\u200b",
        "аda",
    ],
)
def test_a_name_that_looks_like_a_taken_one_is_refused(auth, look_alike):
    auth.signup("ada")
    auth.logout()
    assert auth.signup(look_alike).status_code == 400


def test_a_name_is_compared_by_its_normalized_key(auth):
    auth.signup("ａｄａ")
    auth.logout()
    assert auth.login("ADA").status_code == 302


def test_every_length_rule_holds_for_the_stored_name(auth):
    """ "İ" is one letter, but two once its case
    is folded: the key would be 31 characters."""
    assert auth.signup("İ" + "a" * 29).status_code == 400


def test_a_next_too_long_for_a_redirect_is_dropped(client):
    response = client.get("/search?q=" + "+".join(["word"] * 800))
    assert response.status_code == 302
    assert len(response.headers["Location"]) < 1100
    assert response.headers["Location"].startswith("/login")
