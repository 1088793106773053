"""Signing in and signing up."""
import re
import sqlite3

from flask import Blueprint, flash, redirect, render_template, request, url_for

from .db import get_db

bp = Blueprint("auth", __name__)

# A demo account for the sign-in form. Real passwords never live in the code.
DEMO_USER = "student"
DEMO_PASSWORD = "flask"

# People who signed up are kept in the database
# (the users table), where every worker sees them.
# This demo keeps no passwords, only names and e-mails.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def validate_signup(username, email, password):
    """Check a sign-up form and return every problem found, by field."""
    errors = {}
    if not 3 <= len(username) <= 30:
        errors["username"] = "A username has 3 to 30 characters."
    elif (
        get_db()
        .execute("SELECT 1 FROM users WHERE username_key = ?", (username.lower(),))
        .fetchone()
    ):
        errors["username"] = "That username is already taken."
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
        errors["email"] = "Enter an e-mail address such as ada@example.com."
    if not 8 <= len(password) <= 128:
        errors["password"] = "A password has 8 to 128 characters."
    return errors


@bp.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form on GET; check the submitted form on POST."""
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if username == DEMO_USER and password == DEMO_PASSWORD:
            flash(f"Welcome back, {username}!", "success")
            return redirect(url_for("pages.index"))
        return render_template(
            "login.html", error="Wrong username or password.", username=username
        ), 401
    return render_template("login.html", error=None, username="")


@bp.route("/signup", methods=["GET", "POST"])
def signup():
    """Show the sign-up form; on POST validate it and redirect when it is valid."""
    if request.method == "POST":
        username = request.form.get("username", "").strip()
        email = request.form.get("email", "").strip()
        password = request.form.get("password", "")
        errors = validate_signup(username, email, password)
        if errors:
            return render_template(
                "signup.html", errors=errors, username=username, email=email
            ), 400
        db = get_db()
        try:
            db.execute(
                "INSERT INTO users (username, username_key, email)"
                " VALUES (?, ?, ?)",
                (username, username.lower(), email),
            )
            db.commit()
        except sqlite3.IntegrityError:
            # Another worker stored the same name since
            # the check: UNIQUE refused the second one.
            return render_template(
                "signup.html",
                errors={"username": "That username is already taken."},
                username=username,
                email=email,
            ), 400
        flash(f"Account created for {username}.", "success")
        return redirect(url_for("pages.index"))
    return render_template("signup.html", errors={}, username="", email="")
