"""Sign-in attempts are limited per account and per address, in a table every worker shares: over the limit,
429 Too Many Requests with a message and Retry-After, even for the right password."""
import time

import pytest

from support import Forms, visible_text
from support.accounts import PASSWORD, Account, comparable, sign_in

pytestmark = pytest.mark.concept("sign-in attempts limited per account and address", "login-limits",
                                 zh="按账号和地址限制登录尝试")

WRONG = "Wrong username or password."


def attempt(app, username, password="not-the-password", address="203.0.113.1"):
    """One sign-in from `address` (nginx's X-Forwarded-For, which ProxyFix trusts), in a fresh browser."""
    return sign_in(Forms(app.test_client()), username, password, headers={"X-Forwarded-For": address},
                   environ_base={"REMOTE_ADDR": "127.0.0.1"})


def refused(response, window=900):
    """The answer over the limit: 429, a message of its own, and when to try again."""
    assert response.status_code == 429, f"{response.status_code}: {visible_text(response)[:300]}"
    retry = response.headers.get("Retry-After", "")
    assert retry.isdigit() and 0 < int(retry) <= window, f"Retry-After: {retry!r}"
    text = visible_text(response)
    assert text and WRONG not in text, "the page says why the sign-in was refused, not that the password was wrong"
    return response


@pytest.fixture
def ada(app):
    return Account(app, "ada")


def test_after_five_failures_even_the_right_password_is_refused_for_a_while(app, ada):
    for _ in range(5):
        assert attempt(app, "ada").status_code == 401
    refused(attempt(app, "ada", PASSWORD))
    refused(attempt(app, "ADA", PASSWORD, address="198.51.100.9"))  # the account's limit, from anywhere


def test_four_failures_still_let_the_right_password_in(app, ada):
    for _ in range(4):
        assert attempt(app, "ada").status_code == 401
    assert attempt(app, "ada", PASSWORD).status_code == 302


def test_failures_from_many_addresses_count_for_the_account(app, ada):
    """An attacker who changes address at every guess is still held by the account's limit."""
    for number in range(5):
        assert attempt(app, "ada", address=f"192.0.2.{number + 10}").status_code == 401
    refused(attempt(app, "ada", PASSWORD, address="192.0.2.99"))


def test_an_unknown_name_is_limited_like_a_real_one(app, ada):
    """The limit tells nothing either: a name without an account is refused after five tries, the same way."""
    for username in ("ada", "nobody"):
        for _ in range(5):
            attempt(app, username, address="198.51.100.1")
    real, unknown = attempt(app, "ada", address="198.51.100.2"), attempt(app, "nobody", address="198.51.100.2")
    refused(real), refused(unknown)
    assert comparable(real, "ada")[:2] == comparable(unknown, "nobody")[:2]


def test_one_address_trying_many_names_is_refused_after_twenty_failures(app, ada):
    for number in range(20):
        assert attempt(app, f"guess{number}", address="203.0.113.50").status_code == 401
    refused(attempt(app, "ada", PASSWORD, address="203.0.113.50"))
    assert attempt(app, "ada", PASSWORD, address="203.0.113.51").status_code == 302


def test_another_account_is_not_held_by_one_accounts_failures(app, ada):
    Account(app, "grace")
    for _ in range(5):
        attempt(app, "ada", address="203.0.113.7")
    assert attempt(app, "grace", PASSWORD, address="203.0.113.8").status_code == 302


def test_the_limit_is_shared_by_every_worker(app, ada, fresh_import):
    """Two workers (two imports of the app on one database): failures counted by one hold in the other."""
    workers = []
    for _ in range(2):
        worker = fresh_import().app
        worker.config.update(TESTING=True, DATABASE=app.config["DATABASE"])
        workers.append(worker)
    for number in range(5):
        assert attempt(workers[number % 2], "ada").status_code == 401
    refused(attempt(workers[0], "ada", PASSWORD))
    refused(attempt(workers[1], "ada", PASSWORD))


def test_the_limits_and_the_window_come_from_the_configuration(app, ada):
    app.config.update(LOGIN_LIMIT=2, LOGIN_LIMIT_PER_ADDRESS=50, LOGIN_WINDOW=1)
    for _ in range(2):
        assert attempt(app, "ada").status_code == 401
    refused(attempt(app, "ada", PASSWORD), window=1)
    time.sleep(1.2)  # the window of one second has passed: the failures no longer count
    assert attempt(app, "ada", PASSWORD).status_code == 302


def test_the_defaults_are_five_twenty_and_a_quarter_of_an_hour(app):
    assert (app.config["LOGIN_LIMIT"], app.config["LOGIN_LIMIT_PER_ADDRESS"], app.config["LOGIN_WINDOW"]) == (5, 20, 900)
