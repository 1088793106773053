"""Accounts (step 09 on): register and sign in through the real forms, CSRF token included, as a person does.

    Account(app, "ada")          a client of its own, registered through /signup (or signed in through /login
                                 when the name exists) and so signed in; a TaskActions whose rows are its own
    register(forms, "ada")       send the sign-up form        sign_in(forms, "ada")   send the sign-in form
    user_id(app, "ada")          the account's id in the users table (None when there is none)
"""
import re
import sqlite3
from contextlib import closing
from urllib.parse import quote, urlsplit

from .forms import Forms
from .tasks import TaskActions, through_sqlalchemy

# A password every rule accepts, and distinctive enough to be searched for in a file, a log or a page.
PASSWORD = "Quartz-Zebra-918273"


def register(forms, username, password=PASSWORD, email=None):
    """Fill in and send the sign-up form; the response, not followed."""
    email = email or f"{username.lower()}@example.com"
    return forms.submit("/signup", "/signup", {"username": username, "email": email, "password": password})


def login_form(forms, page):
    """The sign-in form on `page`, and where it posts to (its action, with a ?next= it carries)."""
    form = forms.find(page, "/login")
    return form, form.get("action") or page


def sign_in(forms, username, password=PASSWORD, next=None, **kwargs):
    """Open /login (with ?next=, when given, as a link would), fill in the form it shows and send it where the
    form says, its hidden fields included; the response, not followed."""
    page = "/login" if next is None else f"/login?next={quote(next, safe='')}"
    form, action = login_form(forms, page)
    fields = {field["name"]: field.get("value", "") for field in form.find_all("input", type="hidden")
              if field.has_attr("name")}
    fields.update(username=username, password=password)
    return forms.client.post(action, data=fields, **kwargs)


def sign_out(forms, page="/tasks"):
    """Press the Sign out button of `page` (a POST with its CSRF token)."""
    return forms.submit(page, "/logout")


def user_id(app, username):
    """The id of the account with this name (any case), or None."""
    found = through_sqlalchemy(app, "SELECT id FROM users WHERE username_key = ?", (username.lower(),))
    if found is not None:
        return found[0]["id"] if found else None
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        row = db.execute("SELECT id FROM users WHERE username_key = ?", (username.lower(),)).fetchone()
    return row[0] if row else None


def location_path(response):
    """The path a redirect leads to on this site ("/tasks"), or the whole Location when it leaves the site."""
    location = response.headers.get("Location", "")
    parts = urlsplit(location)
    return parts.path if parts.netloc in ("", "localhost") else location


class Account(TaskActions):
    """One person: a client of their own, signed in, with TaskActions whose rows are the account's own."""

    def __init__(self, app, username, password=PASSWORD, client=None):
        client = client or app.test_client()
        super().__init__(app, client, Forms(client))
        self.username, self.password = username, password
        response = register(self.forms, username, password)
        if response.status_code == 400 and user_id(app, username) is not None:  # the name exists: sign in
            response = sign_in(self.forms, username, password)
        assert response.status_code in (302, 303), (
            f"Signing up (or in) as {username} answered {response.status_code}, not a redirect:\n"
            f"{response.get_data(as_text=True)[:1500]}")
        self.owner = user_id(app, username)
        assert self.owner is not None, f"Signing up as {username} stored no row in the users table."

    def __repr__(self):
        return f"Account({self.username!r}, id={self.owner})"


CSRF_VALUE = re.compile(r'(name="csrf_token"[^>]*value=")[^"]*(")|(value=")[^"]*("[^>]*name="csrf_token")')


def comparable(response, *words):
    """What two answers must share to say the same thing: the status, the type and the body, with the CSRF
    tokens (new in each session) and `words` (what the visitor typed, the id asked for) left out."""
    body = CSRF_VALUE.sub(lambda match: "".join(part or "" for part in match.groups()),
                          response.get_data(as_text=True))
    for word in sorted((str(word) for word in words), key=len, reverse=True):
        body = re.sub(rf"(?<![\w=]){re.escape(word)}(?!\w)", "…", body)
    return response.status_code, response.mimetype, body


def hash_is_slow(stored):
    """Whether a stored password hash names a method slow enough against guessing (its own description of it):
    scrypt with N of 2**14 or more, PBKDF2 with 600,000 iterations or more, bcrypt of cost 10 or more, Argon2."""
    if stored.startswith(("$2a$", "$2b$", "$2y$")):  # bcrypt: $2b$12$...
        return int(stored.split("$")[2]) >= 10
    if stored.startswith("$argon2"):
        return True
    method = stored.split("$", 1)[0].split(":")
    if method[0] == "scrypt":  # Werkzeug's scrypt:32768:8:1, or plain "scrypt" for its default
        return len(method) == 1 or int(method[1]) >= 2**14
    if method[0] == "pbkdf2":  # pbkdf2:sha256:1000000
        return len(method) == 3 and int(method[2]) >= 600_000
    return False
