"""The sign-up form of steps 04 on: a form that passes every check, and filling it in with some fields changed."""
import sqlite3
from contextlib import closing

# A sign-up that every check accepts.
VALID = {"username": "ada", "email": "ada@example.com", "password": "correct horse"}


def sign_up(forms, **fields):
    """Fill in the sign-up form with valid values, except for `fields`, and send it."""
    return forms.submit("/signup", "/signup", {**VALID, **fields})


def email_of_length(length):
    """A well-formed e-mail address of exactly `length` characters (254 is the most allowed)."""
    domain = "@example.com"
    return "a" * (length - len(domain)) + domain


def stored_users(app_module):
    """The sign-ups a step keeps, as [{"username": ..., "email": ...}], oldest first: its USERS list
    (steps 04-06), or its users table (step 07 on, where every worker must see them)."""
    if hasattr(app_module, "USERS"):
        return app_module.USERS
    with closing(sqlite3.connect(app_module.app.config["DATABASE"])) as db:
        db.row_factory = sqlite3.Row
        return [{"username": row["username"], "email": row["email"]}
                for row in db.execute("SELECT username, email FROM users ORDER BY id")]
