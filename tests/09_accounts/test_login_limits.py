"""Sign-in attempts are limited in a table every worker shares, under three keys: one account from one address (5),
one account from anywhere (50), one address for any account (100). Over a limit, 429 Too Many Requests with a
message and Retry-After, even for the right password. The attempt is written down and counted in one step, before
the password is checked, and the keys are the name's normalised key and the address in its one written form."""
import sqlite3
import threading
import time
from contextlib import closing

import pytest

from support import Forms, expects, visible_text
from support.accounts import PASSWORD, Account, comparable, sign_in
from support.messages import expect
from support.tasks import through_sqlalchemy

pytestmark = pytest.mark.concept("sign-in attempts limited per account and address", "login-limits",
                                 zh="按账号和地址限制登录尝试")

WRONG = expects.text("Wrong username or password.")

expects.header("Retry-After: {seconds}")  # with the status 429 Too Many Requests


def attempt(app, username, password="not-the-password", address="203.0.113.1"):
    """One sign-in from `address` (nginx's X-Forwarded-For, which ProxyFix trusts), in a fresh browser."""
    return sign_in(Forms(app.test_client()), username, password, headers={"X-Forwarded-For": address},
                   environ_base={"REMOTE_ADDR": "127.0.0.1"})


def refused(response, window=900):
    """The answer over the limit: 429, a message of its own, and when to try again."""
    answer = response.headers.get("Location") or visible_text(response)[:300]  # a redirect has no page
    assert response.status_code == 429, f"{response.status_code}: {answer}"
    retry = response.headers.get("Retry-After", "")
    assert retry.isdigit() and 0 < int(retry) <= window, f"Retry-After: {retry!r}"
    text = visible_text(response)
    assert text and WRONG not in text, "the page says why the sign-in was refused, not that the password was wrong"
    return response


@pytest.fixture
def ada(app):
    return Account(app, "ada")


def test_after_five_failures_from_one_address_even_the_right_password_is_refused_there(app, ada):
    for _ in range(5):
        assert attempt(app, "ada").status_code == 401
    refused(attempt(app, "ada", PASSWORD))
    refused(attempt(app, "ADA", PASSWORD))  # the same account, however its name is typed


def test_four_failures_still_let_the_right_password_in(app, ada):
    for _ in range(4):
        assert attempt(app, "ada").status_code == 401
    assert attempt(app, "ada", PASSWORD).status_code == 302


@pytest.mark.concept("who a limit holds back", "lockout", zh="限制拦住的是谁")
def test_a_strangers_failures_do_not_lock_the_owner_out(app, ada):
    """Pitfall 26: a limit per account alone lets anyone who knows a username lock its owner out, with five wrong
    passwords every quarter of an hour. The stranger's address is held back; the owner, from their own address,
    signs in.

    陷阱 26：只按账号限制，任何知道用户名的人每刻钟输错五次密码，就能把账号的主人锁在外面。被拦住的是陌生人的地址；主人从自己的地址照样能登录。
    """
    for _ in range(5):
        assert attempt(app, "ada", address="198.51.100.66").status_code == 401
    refused(attempt(app, "ada", PASSWORD, address="198.51.100.66"))
    status = attempt(app, "ada", PASSWORD, address="203.0.113.9").status_code
    expect(status == 302, "stranger-lock-out", user="ada", count=5, status=status)


def test_failures_from_many_addresses_meet_the_accounts_own_limit(app, ada):
    """An attacker who changes address at every guess is still held by the account's limit (LOGIN_LIMIT_PER_ACCOUNT,
    50 by default; 8 here, to keep the test short)."""
    app.config.update(LOGIN_LIMIT_PER_ACCOUNT=8)
    for number in range(8):
        assert attempt(app, "ada", address=f"192.0.2.{number + 10}").status_code == 401, number
    refused(attempt(app, "ada", PASSWORD, address="192.0.2.99"))


def test_an_unknown_name_is_limited_like_a_real_one(app, ada):
    """The limit tells nothing either: a name without an account is refused after five tries, the same way."""
    for username in ("ada", "nobody"):
        for _ in range(5):
            attempt(app, username, address="198.51.100.1")
    real, unknown = attempt(app, "ada", address="198.51.100.1"), attempt(app, "nobody", address="198.51.100.1")
    refused(real), refused(unknown)
    assert comparable(real, "ada")[:2] == comparable(unknown, "nobody")[:2]


def test_one_address_trying_many_names_is_refused(app, ada):
    """One address trying a name after another meets LOGIN_LIMIT_PER_ADDRESS (100 by default; 8 here, to keep the
    test short); another address is not held back."""
    app.config.update(LOGIN_LIMIT_PER_ADDRESS=8)
    for number in range(8):
        assert attempt(app, f"guess{number}", address="203.0.113.50").status_code == 401, number
    refused(attempt(app, "ada", PASSWORD, address="203.0.113.50"))
    assert attempt(app, "ada", PASSWORD, address="203.0.113.51").status_code == 302


def test_another_account_is_not_held_by_one_accounts_failures(app, ada):
    Account(app, "grace")
    for _ in range(5):
        attempt(app, "ada", address="203.0.113.7")
    assert attempt(app, "grace", PASSWORD, address="203.0.113.7").status_code == 302


def test_the_right_password_forgets_this_addresses_failures_for_the_account(app, ada):
    """Four typos, then the right password: the next typos start again from none."""
    for _ in range(4):
        assert attempt(app, "ada").status_code == 401
    assert attempt(app, "ada", PASSWORD).status_code == 302
    for _ in range(4):
        assert attempt(app, "ada").status_code == 401
    assert attempt(app, "ada", PASSWORD).status_code == 302


def test_right_passwords_are_not_counted_as_failures(app, ada):
    """An attempt written down before its password is checked is taken back when the password is right: signing in
    again and again, from one address, never meets a limit."""
    app.config.update(LOGIN_LIMIT=2, LOGIN_LIMIT_PER_ACCOUNT=2, LOGIN_LIMIT_PER_ADDRESS=2)
    for _ in range(4):
        assert attempt(app, "ada", PASSWORD).status_code == 302


def test_a_name_typed_in_its_look_alike_forms_is_counted_as_one_account(app, ada):
    """The failures are counted by the name's normalised key: full-width and bold letters, any case, are "ada"."""
    for typed in ("ada", "ADA", "ａｄａ", "𝐚𝐝𝐚", "Ａｄａ"):
        assert attempt(app, typed).status_code == 401, typed
    refused(attempt(app, "ada", PASSWORD))


def test_one_address_written_in_several_ways_is_counted_as_one(app, ada):
    """2001:db8::7 can be written with capitals, leading zeros or every group: one address, one count."""
    app.config.update(LOGIN_LIMIT_PER_ADDRESS=5)
    spellings = ["2001:db8::7", "2001:DB8::7", "2001:0db8::0007", "2001:db8:0:0::7", "2001:db8:0:0:0:0:0:7"]
    for number, address in enumerate(spellings):
        assert attempt(app, f"guess{number}", address=address).status_code == 401, address
    refused(attempt(app, "ada", PASSWORD, address="2001:0DB8:0000:0000:0000:0000:0000:0007"))


def stored_keys(app):
    """The keys of the failed sign-ins the database holds."""
    found = through_sqlalchemy(app, "SELECT key FROM login_failures")
    if found is not None:
        return [row["key"] for row in found]
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        return [key for (key,) in db.execute("SELECT key FROM login_failures")]


def test_a_huge_name_or_a_forged_address_makes_no_huge_key(app, ada):
    """A name typed longer than any username, or an X-Forwarded-For that is no address, cannot fill the table."""
    assert attempt(app, "x" * 100_000).status_code == 401
    assert attempt(app, "ada", address="not an address " * 200).status_code == 401
    assert attempt(app, "ada", address="1.2.3.4" * 500).status_code == 401
    keys = stored_keys(app)
    assert keys and max(len(key) for key in keys) <= 100, max(keys, key=len)[:200]


@pytest.mark.concept("written down first, then counted", "atomic-limit", zh="先记下，再计数")
def test_wrong_passwords_sent_at_once_are_held_to_the_limit(app):
    """Pitfall 27: counting the failures, checking the password, then writing the failure down is two steps:
    of sixty wrong passwords sent at once, many count before any is written down, and more than five are checked.
    Written down first and counted in one transaction, five get their answer 401 and the others 429.

    陷阱 27：先数失败次数、再检查密码、最后记下这次失败，这是两步：同时发出的六十个错误密码，在任何一个被记下之前都已经数过了，于是被检查的远不止五个。先记下、再在同一个事务里计数，就只有五个得到 401，其余都是 429。
    """
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"  # slow, as in production: a check takes long enough to race
    Account(app, "ada")
    # Sixty browsers that opened the sign-in form: one session (its cookie and CSRF token) copied into each.
    opened = app.test_client()
    form = Forms(opened).find("/login", "/login")
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")}
    fields.update(username="ada", password="a wrong guess")
    statuses, start_together = [], threading.Barrier(60)

    def guess():
        browser = app.test_client()
        browser.set_cookie("session", opened.get_cookie("session").value)
        start_together.wait(timeout=30)
        statuses.append(browser.post("/login", data=fields).status_code)

    threads = [threading.Thread(target=guess) for _ in range(60)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert len(statuses) == 60 and set(statuses) <= {401, 429}, sorted(statuses)
    expect(statuses.count(401) <= 5, "limit-race", sent=60, passed=statuses.count(401), limit=5)
    assert statuses.count(401) == 5, sorted(statuses)


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
    app.config.update(LOGIN_LIMIT=2, LOGIN_LIMIT_PER_ACCOUNT=50, LOGIN_LIMIT_PER_ADDRESS=50, LOGIN_WINDOW=1)
    for _ in range(2):
        assert attempt(app, "ada").status_code == 401
    refused(attempt(app, "ada", PASSWORD), window=1)
    time.sleep(1.2)  # the window of one second has passed: the failures no longer count
    assert attempt(app, "ada", PASSWORD).status_code == 302


def test_the_defaults_are_five_fifty_a_hundred_and_a_quarter_of_an_hour(app):
    limits = [app.config.get(name) for name in ("LOGIN_LIMIT", "LOGIN_LIMIT_PER_ACCOUNT", "LOGIN_LIMIT_PER_ADDRESS",
                                                 "LOGIN_WINDOW")]
    assert limits == [5, 50, 100, 900]
