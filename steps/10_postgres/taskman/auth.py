"""Accounts: signing up, signing in and out, the limit on sign-in attempts, and the create-user command."""
import functools
import math
import re
import time
from urllib.parse import urlsplit

import click
from flask import Blueprint, current_app, flash, redirect, render_template, request, session, url_for
from flask_login import login_user, logout_user
from sqlalchemy import delete, func, insert, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from . import login_manager
from .models import TaskCount, User, db, login_failures

# cli_group=None: the blueprint's command is `flask --app taskman create-user`, not `flask auth create-user`.
bp = Blueprint("auth", __name__, cli_group=None)

# The accounts are kept in the database (the users table), where every worker sees them.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")

# Passwords are hashed with Werkzeug's generate_password_hash: Werkzeug comes with Flask, so there
# is nothing more to install (Flask-Bcrypt needs the bcrypt package, compiled C). Its default, scrypt,
# is salted (two users with one password get different hashes: a table of precomputed hashes is
# useless) and slow on purpose, memory included, so that guessing passwords from a stolen database
# costs a lot. bcrypt would also silently ignore everything after a password's 72nd byte.


@login_manager.user_loader
def load_user(user_id):
    """Return the user whose id the session holds (the User model, with UserMixin), or None if that
    account no longer exists."""
    return db.session.get(User, int(user_id))


def find_user(username):
    """Return the account with this username, in any case, or None."""
    return db.session.scalar(select(User).where(User.username_key == username.lower()))


def validate_password(username, password):
    """Return what is wrong with this password for this username, or None."""
    if not 8 <= len(password) <= 128:
        return "A password has 8 to 128 characters."
    if password.lower() == username.lower():
        return "A password must not be the username."
    return None


def validate_signup(username, email, password):
    """Check a sign-up form and return every problem found, by field (email None: not asked)."""
    errors = {}
    if not 3 <= len(username) <= 30:
        errors["username"] = "A username has 3 to 30 characters."
    elif not username.isprintable():
        # A name is shown on pages and typed to sign in: no tab, line break or other control character.
        errors["username"] = "A username has no tabs, line breaks or other control characters."
    elif find_user(username) is not None:
        errors["username"] = "That username is already taken."
    if email is not None and (len(email) > 254 or not EMAIL_PATTERN.fullmatch(email) or not email.isprintable()):
        errors["email"] = "Enter an e-mail address such as ada@example.com."
    problem = validate_password(username, password)
    if problem:
        errors["password"] = problem
    return errors


def hash_password(password):
    """Return a salted, slow hash of the password, made with the configured method."""
    return generate_password_hash(password, method=current_app.config["PASSWORD_HASH_METHOD"])


@functools.cache
def dummy_hash(method):
    """A hash of nobody's password, made once per method, to check when a username is unknown."""
    return generate_password_hash("nobody's password", method=method)


def find_account(username, password):
    """Return the user with this username and password, or None, in about the same time either way.

    An unknown username still costs one hash check, against a dummy hash: if it answered at once,
    the time of the answer would tell who has an account (user enumeration), whatever the message.
    """
    user = find_user(username)
    if user is None or user.password_hash is None:
        check_password_hash(dummy_hash(current_app.config["PASSWORD_HASH_METHOD"]), password)
        return None
    if not check_password_hash(user.password_hash, password):
        return None
    return user


def is_safe_path(target):
    """Tell whether target is a path on this site ("/tasks?page=2"), safe to redirect to after sign-in.

    Anything else could send the user, just signed in, to another site that looks like this one
    (an open redirect). Browsers read "//evil.example" and "/\\evil.example" as another host, and drop
    tabs and newlines before reading ("/\\t/evil.example"): so one "/", then no "/" or "\\", no
    backslash and no invisible character anywhere, and nothing urlsplit reads as a scheme or host.
    """
    if not target.startswith("/") or target.startswith(("//", "/\\")):
        return False
    if "\\" in target or not target.isprintable():
        return False
    parts = urlsplit(target)
    return not parts.scheme and not parts.netloc


def start_session(user):
    """Sign the user in, in a new session.

    Whatever the session held before (set by whoever used this browser, or planted by an attacker
    who knows its content: session fixation) is dropped; the new one holds only who is signed in.
    """
    session.clear()
    login_user(user)


# Sign-in attempts are limited with a table of failures in the database, not with Flask-Limiter:
# Flask-Limiter's default storage is each process's memory, so 4 gunicorn workers would allow 4 times
# the limit, and a store they share means running Redis or Memcached. The database is already shared.

def failures_since(key, since):
    """Return how many failed attempts this key has made since that time, and when the first was."""
    return db.session.execute(select(func.count(), func.min(login_failures.c.at))
                              .where(login_failures.c.key == key, login_failures.c.at > since)).one()


def account_key(username):
    """Return the key of the failures counted for this account ("Ada" and "ada" are one).

    No username is longer than 30 characters: a longer name typed in the form is counted by its
    first 30, so that nobody can fill the table with huge keys.
    """
    return f"account:{username.lower()[:30]}"


def attempt_keys(username):
    """Return what the sign-in attempts are counted by: the account and the visitor's address, with their limits."""
    config = current_app.config
    # remote_addr is the visitor's address that nginx saw, thanks to ProxyFix (see __init__.py).
    return [(account_key(username), config["LOGIN_LIMIT"]),
            (f"address:{request.remote_addr}", config["LOGIN_LIMIT_PER_ADDRESS"])]


def seconds_to_wait(username):
    """Return 0 if this attempt may go on, else how many seconds until one of its limits lets it."""
    now = time.time()
    window = current_app.config["LOGIN_WINDOW"]
    wait = 0
    for key, limit in attempt_keys(username):
        count, first = failures_since(key, now - window)
        if count >= limit:
            wait = max(wait, math.ceil(first + window - now))
    return wait


def record_failure(username):
    """Remember a failed attempt for the account and the address; forget the attempts older than the window."""
    now = time.time()
    db.session.execute(delete(login_failures).where(login_failures.c.at <= now - current_app.config["LOGIN_WINDOW"]))
    db.session.execute(insert(login_failures), [{"key": key, "at": now} for key, _ in attempt_keys(username)])
    db.session.commit()


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form on GET; check the submitted form on POST."""
    # The page to go back to, from ?next= (set by @login_required), carried by the form's hidden field.
    next_path = request.values.get("next", "")
    if not is_safe_path(next_path):
        next_path = ""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        password = request.form.get("password", "")
        wait = seconds_to_wait(username)
        if wait:
            # Checked before the password: past the limit, a right guess is refused too.
            minutes = math.ceil(wait / 60)
            error = f"Too many failed sign-ins. Try again in {minutes} minute{'' if minutes == 1 else 's'}."
            return (render_template("login.html", error=error, username=username, next=next_path),
                    429, {"Retry-After": str(wait)})
        user = find_account(username, password)
        if user is None:
            record_failure(username)
            # One message for an unknown username and a wrong password: it does not tell which.
            return render_template("login.html", error="Wrong username or password.",
                                   username=username, next=next_path), 401
        # A success forgets the account's failures (not the address's: one right password does not
        # excuse the wrong guesses for other accounts from the same address).
        db.session.execute(delete(login_failures).where(login_failures.c.key == account_key(username)))
        db.session.commit()
        start_session(user)
        flash(f"Welcome back, {user.username}!", "success")
        return redirect(next_path or url_for("tasks.tasks"))
    return render_template("login.html", error=None, username="", next=next_path)


@bp.route("/logout", methods=["POST"])
def logout():
    """Sign out, then go to the home page.

    Only a POST, with its CSRF token: a link or an image on another site cannot sign anyone out.
    """
    logout_user()
    session.clear()
    flash("You are signed out.", "success")
    return redirect(url_for("pages.index"))


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Show the sign-up form; on POST validate it, create the account and sign it in."""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        email = request.form.get("email", "").strip()
        password = request.form.get("password", "")
        errors = validate_signup(username, email, password)
        if errors:
            return render_template("signup.html", errors=errors,
                                   username=username, email=email), 400
        try:
            user = add_user(username, email, password)
        except IntegrityError:
            # Another worker or server stored the same name since the check: UNIQUE refused the second one.
            db.session.rollback()
            return render_template("signup.html", errors={"username": "That username is already taken."},
                                   username=username, email=email), 400
        start_session(user)
        flash(f"Account created for {username}.", "success")
        return redirect(url_for("tasks.tasks"))
    return render_template("signup.html", errors={}, username="", email="")


def add_user(username, email, password):
    """Store a new account and its counts row (no tasks yet), in one transaction; return the user."""
    user = User(username=username, username_key=username.lower(), email=email, password_hash=hash_password(password))
    db.session.add(user)
    db.session.flush()  # the INSERT, now: the database gives the user its id
    db.session.add(TaskCount(user_id=user.id, total=0, done=0))
    db.session.commit()
    return user


@bp.cli.command("create-user")
@click.argument("username")
@click.option("--email", help="The user's e-mail address (optional).")
def create_user_command(username, email):
    """Create an account, or give a password to someone who signed up in step 07 or 08."""
    username = username.strip()
    old = find_user(username)
    # Someone who signed up in step 07 or 08 has an account without a password: this gives them one.
    waiting = old is not None and old.password_hash is None
    # Asked twice, never shown, never on the command line (where the shell's history would keep it).
    password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    errors = validate_signup(username, email, password)
    if waiting:
        errors.pop("username", None)
    if errors:
        raise click.ClickException(" ".join(errors.values()))
    if waiting:
        old.password_hash = hash_password(password)
        db.session.commit()
        click.echo(f"Set a password for {old.username}, who signed up before accounts had passwords.")
    else:
        add_user(username, email or "", password)
        click.echo(f"Created user {username}.")
