"""Sign-in attempts are limited per account and address, per
account and per address, in a table every worker shares."""

import threading
import time

import pytest

import taskman.auth


@pytest.fixture
def ada(app, auth):
    """ada has an account and is signed out; the limits are small: 3 per
    account and address, 6 per account from anywhere, 5 per address."""
    app.config.update(
        LOGIN_LIMIT=3, LOGIN_LIMIT_PER_ACCOUNT=6, LOGIN_LIMIT_PER_ADDRESS=5
    )
    auth.signup("ada")
    auth.logout()
    return auth


def test_past_the_limit_the_form_answers_429_even_to_the_right_password(ada):
    for _ in range(3):
        assert ada.login("ada", "wrong password").status_code == 401
    response = ada.login("ada")
    assert response.status_code == 429
    assert (
        "Too many failed sign-ins. Try again in 15 minutes."
        in response.get_data(as_text=True)
    )
    assert 890 <= int(response.headers["Retry-After"]) <= 900


def test_the_limit_counts_the_account_whatever_its_case(ada):
    for name in ["ada", "ADA", "Ada"]:
        ada.login(name, "wrong password")
    assert ada.login("aDa").status_code == 429


def test_a_success_forgets_the_accounts_failures(ada):
    for _ in range(2):
        ada.login("ada", "wrong password")
    assert ada.login("ada").status_code == 302
    ada.logout()
    for _ in range(2):
        assert ada.login("ada", "wrong password").status_code == 401
    assert ada.login("ada").status_code == 302


def test_one_address_trying_many_accounts_is_limited(ada):
    for number in range(5):
        assert ada.login(f"user{number}", "wrong password").status_code == 401
    assert ada.login("ada").status_code == 429


def test_another_address_is_not_limited_by_the_first(app, ada, client):
    for number in range(5):
        ada.login(f"user{number}", "wrong password")
    other = app.test_client()
    html = other.get("/login", environ_base={"REMOTE_ADDR": "192.0.2.7"}).get_data(
        as_text=True
    )
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    response = other.post(
        "/login",
        environ_base={"REMOTE_ADDR": "192.0.2.7"},
        data={"csrf_token": token, "username": "ada", "password": "correct horse"},
    )
    assert response.status_code == 302


def test_after_the_window_the_account_may_try_again(monkeypatch, ada):
    for _ in range(3):
        ada.login("ada", "wrong password")
    later = time.time() + 901
    monkeypatch.setattr(taskman.auth.time, "time", lambda: later)
    assert ada.login("ada").status_code == 302


def test_old_failures_are_pruned(sql, ada):
    sql(
        "INSERT INTO login_failures (key, at) VALUES ('account:old', :at)",
        at=time.time() - 1000,
    )
    ada.login("ada", "wrong password")
    keys = sorted(key for (key,) in sql("SELECT key FROM login_failures"))
    assert keys == [
        "account:ada",
        "account:ada address:127.0.0.1",
        "address:127.0.0.1",
    ]


def login_from(app, address, username="ada", password="correct horse"):
    """Sign in from another address, in a browser of its own."""
    other = app.test_client()
    html = other.get("/login", environ_base={"REMOTE_ADDR": address}).get_data(
        as_text=True
    )
    token = html.split('name="csrf_token" value="')[1].split('"')[0]
    return other.post(
        "/login",
        environ_base={"REMOTE_ADDR": address},
        data={"csrf_token": token, "username": username, "password": password},
    )


def test_a_huge_username_or_address_makes_no_huge_key(app, sql, ada):
    assert ada.login("x" * 100_000, "wrong password").status_code == 401
    assert (
        login_from(
            app, "not an address " * 50, password="wrong password"
        ).status_code
        == 401
    )
    assert sql("SELECT max(length(key)) FROM login_failures") == [
        (len("account:") + 30 + len(" address:127.0.0.1"),)
    ]


def test_a_strangers_failures_do_not_lock_the_owner_out(app, ada):
    for _ in range(3):
        assert (
            login_from(app, "192.0.2.66", password="wrong password").status_code
            == 401
        )
    assert login_from(app, "192.0.2.66").status_code == 429
    assert ada.login("ada").status_code == 302


def test_failures_from_many_addresses_meet_the_accounts_own_limit(app, ada):
    for number in range(6):
        assert (
            login_from(
                app, f"192.0.2.{number + 10}", password="wrong password"
            ).status_code
            == 401
        )
    assert login_from(app, "192.0.2.99").status_code == 429


def test_guesses_sent_at_once_are_held_to_the_limit(app, ada, monkeypatch):
    """The attempt is counted before its password is checked,
    in one step: parallel guesses cannot slip past."""
    checked = []
    check = taskman.auth.check_password_hash
    monkeypatch.setattr(
        taskman.auth,
        "check_password_hash",
        lambda *args: checked.append(1) or check(*args),
    )
    answers = []
    threads = [
        threading.Thread(
            target=lambda: answers.append(
                login_from(app, "192.0.2.5", password="wrong password")
            )
        )
        for _ in range(12)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert (
        sorted(response.status_code for response in answers)
        == [401] * 3 + [429] * 9
    )
    assert len(checked) == 3


def test_sign_ups_from_one_address_are_limited(app, auth):
    app.config.update(SIGNUP_LIMIT=3)
    for number in range(3):
        assert auth.signup(f"user{number}").status_code == 302
        auth.logout()
    response = auth.signup("one_more")
    assert response.status_code == 429
    assert (
        "Too many sign-ups from your address. Try again in 60 minutes."
        in response.get_data(as_text=True)
    )
    assert 0 < int(response.headers["Retry-After"]) <= 3600
