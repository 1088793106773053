"""Accounts: signing up, signing in and out, the limit
on sign-in attempts, and the create-user command."""

import functools
import ipaddress
import math
import re
import secrets
import time
import unicodedata
from urllib.parse import urlsplit

import click
from flask import (
    Blueprint,
    current_app,
    flash,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_login import current_user, login_user, logout_user
from sqlalchemy import delete, func, insert, select, text, update
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash
from werkzeug.urls import iri_to_uri

from . import login_manager
from .models import TaskCount, User, db, login_failures, signups

# cli_group=None: the blueprint's command is
# `flask --app taskman create-user`, not `flask auth create-user`.
bp = Blueprint("auth", __name__, cli_group=None)

# The accounts are kept in the database (the
# users table), where every worker sees them.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
# The longest name and e-mail address: the lengths of
# their columns (models.py), which PostgreSQL holds.
MAX_USERNAME = 30
MAX_EMAIL = 254
# Letters that draw nothing at all: the Hangul
# fillers and the blank Braille pattern.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
# Alphabets whose letters look alike ("a" in Latin,
# "а" in Cyrillic): one name uses one of them.
LOOK_ALIKE_ALPHABETS = {"LATIN", "GREEK", "CYRILLIC"}
# The longest address that a redirect after sign-in may
# lead to, written as it is sent (%E4%BB%BB for 任).
# nginx passes at most 4 KiB of an app's headers:
# a longer Location would be its 502 Bad Gateway.
MAX_NEXT = 1000

# Passwords are hashed with Werkzeug's generate_password_hash: Werkzeug comes with
# Flask, so there is nothing more to install (Flask-Bcrypt needs the bcrypt
# package, compiled C). Its default, scrypt, is salted (two users with one password
# get different hashes: a table of precomputed hashes is useless) and slow on
# purpose, memory included, so that guessing passwords from a stolen database costs
# a lot. bcrypt would also silently ignore everything after a password's 72nd byte.


def new_session_id():
    """Return a new random session id: 128 bits that nobody can guess."""
    return secrets.token_hex(16)


@login_manager.user_loader
def load_user(session_id):
    """Return the user whose session id the cookie
    holds (the User model, with UserMixin), or None:
    signed out, or no such account.

    The cookie is signed, so nobody can forge one, but it cannot be taken
    back either: a copy of it kept after signing out would stay valid for as
    long as the secret key. So it holds a session id that the server keeps
    in the users table and changes at every sign-out (and password change):
    then the old cookie names nobody. Flask-Login
    calls this an alternative id (User.get_id).
    """
    return db.session.scalar(select(User).where(User.session_id == session_id))


def normalized(username):
    """Return a username as it is stored: NFKC turns
    look-alike forms ("ａｄａ", "𝐚𝐝𝐚") into plain "ada"."""
    return unicodedata.normalize("NFKC", username.strip())


def username_key(username):
    """Return what names are compared by: the normalized
    name, case folded ("Ada", "ADA" and "ａｄａ" are one)."""
    return unicodedata.normalize("NFKC", normalized(username).casefold())


def find_user(username):
    """Return the account with this username, in any case, or None."""
    return db.session.scalar(
        select(User).where(User.username_key == username_key(username))
    )


def validate_password(username, password):
    """Return what is wrong with this password for this username, or None."""
    if not 8 <= len(password) <= 128:
        return "A password has 8 to 128 characters."
    if username_key(password) == username_key(username):
        return "A password must not be the username."
    return None


def validate_signup(username, email, password):
    """Check a sign-up form and return every problem
    found, by field (email None: not asked)."""
    errors = {}
    alphabets = {
        unicodedata.name(char).split()[0] for char in username if char.isalpha()
    }
    # The rules hold for the name as stored, normalized: "İ" is one
    # letter, its case folded key two, and PostgreSQL refuses a 31st
    # character in either column (a 500, if nothing checked it first).
    if (
        not 3 <= len(username) <= MAX_USERNAME
        or len(username_key(username)) > MAX_USERNAME
    ):
        errors["username"] = f"A username has 3 to {MAX_USERNAME} characters."
    elif not username.isprintable():
        # A name is shown on pages and typed to sign in:
        # no tab, line break or other control character.
        errors["username"] = (
            "A username has no tabs, line breaks or other control characters."
        )
    elif any(char in BLANK_LETTERS for char in username):
        # Nor a letter that draws nothing: "ada" and
        # "ada" followed by a filler would look the same.
        errors["username"] = "A username has no invisible letters."
    elif len(alphabets & LOOK_ALIKE_ALPHABETS) > 1:
        # "аlice" with a Cyrillic "а" looks like
        # "alice": someone else's name, to the eye.
        errors["username"] = (
            "A username does not mix Latin, Greek and Cyrillic letters."
        )
    elif find_user(username) is not None:
        errors["username"] = "That username is already taken."
    if email is not None and (
        len(email) > MAX_EMAIL
        or not EMAIL_PATTERN.fullmatch(email)
        or not email.isprintable()
    ):
        errors["email"] = "Enter an e-mail address such as ada@example.com."
    problem = validate_password(username, password)
    if problem:
        errors["password"] = problem
    return errors


def hash_password(password):
    """Return a salted, slow hash of the
    password, made with the configured method."""
    return generate_password_hash(
        password, method=current_app.config["PASSWORD_HASH_METHOD"]
    )


@functools.cache
def dummy_hash(method):
    """A hash of nobody's password, made once per
    method, to check when a username is unknown."""
    return generate_password_hash("nobody's password", method=method)


def find_account(username, password):
    """Return the user with this username and password,
    or None, in about the same time either way.

    An unknown username still costs one hash check, against a dummy
    hash: if it answered at once, the time of the answer would tell
    who has an account (user enumeration), whatever the message.
    """
    user = find_user(username)
    if user is None or user.password_hash is None:
        check_password_hash(
            dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password
        )
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def is_safe_path(target):
    """Tell whether target is a path on this site
    ("/tasks?page=2"), safe to redirect to after sign-in.

    Anything else could send the user, just signed in, to another site that looks
    like this one (an open redirect). Browsers read "//evil.example" and
    "/\\evil.example" as another host, and drop tabs and newlines before reading
    ("/\\t/evil.example"): so one "/", then no "/" or "\\", no backslash and no
    invisible character anywhere, and nothing urlsplit reads as a scheme or host.
    And not too long to send back in a Location header (MAX_NEXT).
    """
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if (
        "\\" in target
        or not target.isprintable()
        or len(iri_to_uri(target)) > MAX_NEXT
    ):
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def start_session(user):
    """Sign the user in, in a new session.

    Whatever the session held before (set by whoever used this
    browser, or planted by an attacker who knows its content: session
    fixation) is dropped; the new one holds only who is signed in.
    """
    session.clear()
    login_user(user)


# Sign-in attempts are limited with a table of
# failures in the database, not with Flask-Limiter:
# Flask-Limiter's default storage is each process's memory, so 4
# gunicorn workers would allow 4 times the limit, and a store they share
# means running Redis or Memcached. The database is already shared.
#
# Who is held back, and by what: a limit on one account would let any stranger
# lock its owner out with five wrong passwords; a tight limit on one address would
# lock out a whole school behind one address. So the tight limit (LOGIN_LIMIT, 5)
# is for one account from one address: a stranger's guesses hold back the stranger
# only. The account's own limit (LOGIN_LIMIT_PER_ACCOUNT, 50) stops guessing from
# many addresses; and one address trying many names meets LOGIN_LIMIT_PER_ADDRESS.


def visitor_address():
    """Return the visitor's address as nginx saw it
    (trust_proxies, in __init__.py), in its one written form.

    Anything that is not an address counts as one and
    the same visitor: no key outgrows its column.
    """
    try:
        return ipaddress.ip_address(request.remote_addr or "").compressed
    except ValueError:
        return "unknown"


def attempt_keys(username):
    """Return what the sign-in attempts are counted by, each with its limit.

    A key is never longer than 90 characters: a name typed longer than any username
    is counted by its first 30, so that nobody can fill the table with huge keys.
    """
    config = current_app.config
    account = f"account:{username_key(username)[:MAX_USERNAME]}"
    address = f"address:{visitor_address()}"
    return [
        (f"{account} {address}", config["LOGIN_LIMIT"]),
        (account, config["LOGIN_LIMIT_PER_ACCOUNT"]),
        (address, config["LOGIN_LIMIT_PER_ADDRESS"]),
    ]


def wait_for(table, keys, window):
    """Count this attempt under each key, in one step;
    return how long to wait if a limit is passed, else 0.

    The attempt is written down first, then counted
    with the others, and nobody else counts in between:
    SQLite lets one writer at a time in, and the DELETE that starts makes
    this request that writer until the commit; PostgreSQL lets many write
    at once, so the table is locked against other writers first.
    Then 60 guesses sent at the same moment meet the limit one after the
    other. (Counted first and written down after, in two steps, several
    read the same count, and 10 or 11 passwords were checked against a
    limit of 5.) Over a limit, the attempt is taken back (rollback), not
    counted: refused requests do not keep the refusal going.
    """
    now = time.time()
    if db.engine.dialect.name == "postgresql":
        # SHARE ROW EXCLUSIVE: one such lock at a
        # time; reading the table goes on meanwhile.
        db.session.execute(
            text(f"LOCK TABLE {table.name} IN SHARE ROW EXCLUSIVE MODE")
        )
    db.session.execute(delete(table).where(table.c.at <= now - window))
    db.session.execute(insert(table), [{"key": key, "at": now} for key, _ in keys])
    wait = 0
    for key, limit in keys:
        count, first = db.session.execute(
            select(func.count(), func.min(table.c.at)).where(table.c.key == key)
        ).one()
        if count > limit:
            wait = max(wait, math.ceil(first + window - now))
    if wait:
        db.session.rollback()
    else:
        db.session.commit()
    return wait, now


def forget_failures(username, at):
    """After the right password: this attempt was no failure,
    and this address's failures for the account go."""
    pair, account, address = [key for key, _ in attempt_keys(username)]
    db.session.execute(
        delete(login_failures).where(
            (login_failures.c.key == pair)
            | (
                login_failures.c.key.in_([account, address])
                & (login_failures.c.at == at)
            )
        )
    )
    db.session.commit()


def too_many(what, wait):
    """Return the message of a 429: what was refused,
    and in how many minutes to try again."""
    minutes = math.ceil(wait / 60)
    return (
        f"Too many {what}. Try again in {minutes}"
        f" minute{'' if minutes == 1 else 's'}."
    )


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form on GET; check the submitted form on POST."""
    # The page to go back to, from ?next= (set by
    # @login_required), carried by the form's hidden field.
    next_path = request.values.get("next", "")
    if not is_safe_path(next_path):
        next_path = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        shown = typed_back(username, MAX_USERNAME)
        # Counted as a failure before the password is
        # checked; a right password takes it back.
        wait, at = wait_for(
            login_failures,
            attempt_keys(username),
            current_app.config["LOGIN_WINDOW"],
        )
        if wait:
            # Checked before the password: past the
            # limit, a right guess is refused too.
            return (
                render_template(
                    "login.html",
                    error=too_many("failed sign-ins", wait),
                    username=shown,
                    next=next_path,
                ),
                429,
                {"Retry-After": str(wait)},
            )
        user = find_account(username, password)
        if user is None:
            # One message for an unknown username and a
            # wrong password: it does not tell which.
            return render_template(
                "login.html",
                error="Wrong username or password.",
                username=shown,
                next=next_path,
            ), 401
        # A success forgets this address's failures for the account (not
        # the others': one right password does not excuse the wrong
        # guesses made from elsewhere, or for other accounts from here).
        forget_failures(username, at)
        start_session(user)
        flash(f"Welcome back, {user.username}!", "success")
        return redirect(next_path or url_for("tasks.tasks"))
    return render_template("login.html", error=None, username="", next=next_path)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out, then go to the home page.

    Only a POST, with its CSRF token: a link or an
    image on another site cannot sign anyone out.
    A new session id makes every copy of the old session cookie
    worthless (see load_user): on this browser, on another one where
    the same account is signed in, or in the hands of a thief.
    """
    if current_user.is_authenticated:
        db.session.execute(
            update(User)
            .where(User.id == current_user.id)
            .values(session_id=new_session_id())
        )
        db.session.commit()
    logout_user()
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("pages.index"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Show the sign-up form; on POST validate
    it, create the account and sign it in."""
    if request.method == "POST":
        username = normalized(request.form.get("username", ""))
        email = request.form.get("email", "").strip()
        password = request.form.get("password", "")
        shown = {
            "username": typed_back(username, MAX_USERNAME),
            "email": typed_back(email, MAX_EMAIL),
        }
        # Every sign-up counts, accepted or not: each costs a slow hash,
        # and each "That username is already taken." tells whether an
        # account exists, the very thing sign-in does not say.
        wait, _ = wait_for(
            signups,
            [(f"address:{visitor_address()}", current_app.config["SIGNUP_LIMIT"])],
            current_app.config["SIGNUP_WINDOW"],
        )
        if wait:
            return (
                render_template(
                    "signup.html",
                    error=too_many("sign-ups from your address", wait),
                    errors={},
                    **shown,
                ),
                429,
                {"Retry-After": str(wait)},
            )
        errors = validate_signup(username, email, password)
        if errors:
            return render_template("signup.html", errors=errors, **shown), 400
        try:
            user = add_user(username, email, password)
        except IntegrityError:
            # Another worker or server stored the same name
            # since the check: UNIQUE refused the second one.
            db.session.rollback()
            return render_template(
                "signup.html",
                errors={"username": "That username is already taken."},
                **shown,
            ), 400
        start_session(user)
        flash(f"Account created for {username}.", "success")
        return redirect(url_for("tasks.tasks"))
    return render_template("signup.html", errors={}, username="", email="")


def typed_back(text, limit):
    """Return what was typed, to show it again in a form:
    cut to its limit, without control characters."""
    return "".join(
        char for char in text[:limit] if unicodedata.category(char) != "Cc"
    )


def add_user(username, email, password):
    """Store a new account and its counts row (no tasks
    yet), in one transaction; return the user."""
    user = User(
        username=username,
        username_key=username_key(username),
        email=email,
        password_hash=hash_password(password),
        session_id=new_session_id(),
    )
    db.session.add(user)
    db.session.flush()  # the INSERT, now: the database gives the user its id
    db.session.add(TaskCount(user_id=user.id, total=0, done=0))
    db.session.commit()
    return user


@bp.cli.command("create-user")
@click.argument("username")
@click.option("--email", help="The user's e-mail address (optional).")
def create_user_command(username, email):
    """Create an account, or give a password to
    someone who signed up in step 07 or 08."""
    username = normalized(username)
    old = find_user(username)
    # Someone who signed up in step 07 or 08 has an
    # account without a password: this gives them one.
    waiting = old is not None and old.password_hash is None
    # Asked twice, never shown, never on the command
    # line (where the shell's history would keep it).
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    errors = validate_signup(username, email, password)
    if waiting:
        errors.pop("username", None)
    if errors:
        raise click.ClickException(" ".join(errors.values()))
    if waiting:
        old.password_hash = hash_password(password)
        old.session_id = new_session_id()
        db.session.commit()
        click.echo(
            f"Set a password for {old.username},"
            " who signed up before accounts had passwords."
        )
    else:
        add_user(username, email or "", password)
        click.echo(f"Created user {username}.")
