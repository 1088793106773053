"""Passwords: never stored, logged or shown as typed; a salted, slow hash in the users table; rules with messages."""
import hashlib
import logging
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from werkzeug.security import check_password_hash

from support import Forms, expects, parse
from support.accounts import PASSWORD, Account, hash_is_slow, register, sign_in
from support.messages import expect

pytestmark = pytest.mark.concept("a users table with salted, slow password hashes", "users-table",
                                 zh="用加盐的慢哈希保存密码的用户表")

PASSWORD_LENGTH = expects.text("A password has 8 to 128 characters.")


def stored_hash(app, username):
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        row = db.execute("SELECT password_hash FROM users WHERE username_key = ?", (username.lower(),)).fetchone()
    assert row is not None, f"No row for {username} in the users table."
    return row[0]


def database_files(app):
    """The database file and, beside it, SQLite's write-ahead log (a row may sit there before a checkpoint)."""
    path = Path(app.config["DATABASE"])
    return [file for file in (path, Path(f"{path}-wal"), Path(f"{path}-journal")) if file.exists()]


FAST_DIGESTS = ("md5", "sha1", "sha224", "sha256", "sha384", "sha512")


def check_not_in_clear_or_fast(app, username, password):
    """The password is nowhere in the database's files, and its stored value is no bare digest of it."""
    for file in database_files(app):
        data = file.read_bytes()
        for encoding in ("utf-8", "utf-16-le"):
            expect(password.encode(encoding) not in data, "password-in-clear", password=password, where=file.name)
    stored = stored_hash(app, username)
    for name in FAST_DIGESTS:
        digest = hashlib.new(name, password.encode()).hexdigest()
        expect(digest not in stored.lower(), "password-fast-hash", name=name)
    return stored


def test_the_password_is_nowhere_in_the_database(app, users):
    """Pitfall 15: a password stored as typed, or as a fast unsalted digest (MD5, SHA-256), is every account's
    password for whoever reads the file, a backup or a leaked copy.

    陷阱 15：原样保存的密码，或者没有加盐的快速摘要（MD5、SHA-256），对任何读到这个文件、备份或泄露副本的人来说，就是每个账号的密码。
    """
    users("ada")
    stored = check_not_in_clear_or_fast(app, "ada", PASSWORD)
    assert check_password_hash(stored, PASSWORD), "password_hash holds a Werkzeug hash of the password"
    assert not check_password_hash(stored, PASSWORD + "x")


def test_the_same_password_gives_two_accounts_different_hashes(app, users):
    """A random salt for each hash: one cracked hash tells nothing about another account with the same password."""
    users("ada", "grace", "linus")
    hashes = [stored_hash(app, name) for name in ("ada", "grace", "linus")]
    expect(len(set(hashes)) == 3, "password-unsalted")
    assert all(check_password_hash(stored, PASSWORD) for stored in hashes)


def test_the_production_default_is_a_slow_salted_method(fresh_import):
    """The app as deployed (no PASSWORD_HASH_METHOD in its configuration): Werkzeug's default, scrypt, with a work
    factor that makes each guess cost an attacker milliseconds instead of nanoseconds.
    (The other tests choose a cheap method, so that the suite is quick.)"""
    app = fresh_import().app
    app.config.update(TESTING=True)
    Account(app, "ada")
    Account(app, "grace")
    first, second = stored_hash(app, "ada"), stored_hash(app, "grace")
    assert hash_is_slow(first), f"The production default stores {first.split('$')[0]!r}, a method too fast against guessing."
    expect(first != second, "password-unsalted")
    assert check_password_hash(first, PASSWORD)


def test_password_hash_method_chooses_the_method(app, users):
    """The configuration key the tests use for speed really chooses the method (and so the default is the app's)."""
    app.config["PASSWORD_HASH_METHOD"] = "pbkdf2:sha256:1001"
    users("ada")
    assert stored_hash(app, "ada").startswith("pbkdf2:sha256:1001$")


def test_no_log_line_holds_the_password(app, users, anonymous, caplog):
    """Every logger, at every level, while accounts are made, signed in, refused and signed out."""
    with caplog.at_level(logging.DEBUG):
        ada = users("ada")
        visitor = Forms(anonymous)
        sign_in(visitor, "ada", PASSWORD + "-wrong")
        sign_in(visitor, "nobody", PASSWORD)
        sign_in(visitor, "ada", PASSWORD)
        register(Forms(ada.app.test_client()), "ab", password=PASSWORD)
    lines = [record.getMessage() for record in caplog.records]
    leaked = [line for line in lines if PASSWORD in line]
    assert not leaked, f"These log lines hold the password: {leaked}"


def test_no_page_shows_the_password(app, anonymous):
    """The sign-in form shown again after a wrong password keeps the name typed, never the password."""
    forms = Forms(anonymous)
    Account(app, "ada")
    for username, password in (("ada", PASSWORD + "-wrong"), ("nobody", PASSWORD)):
        response = sign_in(forms, username, password)
        assert response.status_code == 401
        html = response.get_data(as_text=True)
        assert password not in html
        field = parse(html).find("input", attrs={"name": "password"})
        assert field is not None and field.get("type") == "password" and not field.get("value")


@pytest.mark.concept("registering an account", "register", zh="注册账号")  # its password rules
@pytest.mark.parametrize("username, password", [
    ("Grace-Hopper", "Grace-Hopper"), ("Grace-Hopper", "grace-hopper"), ("Grace-Hopper", "GRACE-HOPPER"),
])
def test_the_username_is_no_password(anonymous, app, username, password):
    response = register(Forms(anonymous), username, password=password)
    assert response.status_code == 400
    soup = parse(response.get_data(as_text=True))
    error = soup.select_one(expects.element("#password-error"))
    assert error is not None, "the password field gets its own message"
    message = error.get_text(strip=True)
    assert message and message != PASSWORD_LENGTH, "each rule has a message of its own"
    assert "username" in message.lower() or "name" in message.lower(), message
    assert stored_users_count(app) == 0


def stored_users_count(app):
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT count(*) FROM users").fetchone()[0]


@pytest.mark.concept("registering an account", "register", zh="注册账号")  # its password rules
@pytest.mark.parametrize("password", ["密码要足够长才安全", "  spaces around  ", "x" * 128, "\u00e9t\u00e9 2024 ok"])
def test_an_accepted_password_signs_in_exactly_as_typed(app, anonymous, password):
    """Any characters, kept as typed: not trimmed, not lower-cased, not cut short."""
    Account(app, "ada", password=password)
    forms = Forms(anonymous)
    assert sign_in(forms, "ada", password[:-1]).status_code == 401
    if password != password.strip():
        assert sign_in(forms, "ada", password.strip()).status_code == 401
    if password != password.upper():
        assert sign_in(forms, "ada", password.upper()).status_code == 401
    assert sign_in(forms, "ada", password).status_code == 302


@pytest.mark.concept("registering an account", "register", zh="注册账号")  # its password rules
@pytest.mark.parametrize("password", ["p" * 7, "p" * 129, ""])
def test_a_password_out_of_bounds_is_refused_with_the_length_message(anonymous, app, password):
    response = register(Forms(anonymous), "grace", password=password)
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).find(id="password-error").get_text(strip=True) == PASSWORD_LENGTH
    assert stored_users_count(app) == 0
