"""Step 07: the task manager, ready for production."""
import logging
import math
import os
import re
import sqlite3
import sys
import unicodedata
from contextlib import closing
from pathlib import Path

import click
from flask import (
    Flask,
    abort,
    flash,
    g,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
# Configuration comes from the environment, never from the code: the same code runs
# on your laptop (APP_ENV=development) and on a server (production, the default).
APP_ENV = os.environ.get("APP_ENV", "production")
# The secret key signs the session cookie that carries flashed messages.
# Every worker and every restart must share it, so it comes from APP_SECRET.
secret = os.environ.get("APP_SECRET", "")
if APP_ENV == "development" and not secret:
    secret = "dev"
if APP_ENV != "development" and len(secret) < 32:
    # A missing, "dev" or short secret lets anyone
    # forge a session: stop with one clear line.
    raise SystemExit(
        "Refusing to start: set APP_SECRET to a random string"
        " of 32 characters or more,"
        " e.g. python -c \"import secrets; print(secrets.token_hex())\""
    )
app.config["SECRET_KEY"] = secret
if APP_ENV != "development" and app.debug:
    # FLASK_DEBUG=1 shows a traceback, and with
    # `flask run` a debugger, to whoever meets an error.
    raise SystemExit(
        "Refusing to start: FLASK_DEBUG is on in production;"
        " unset it, or set APP_ENV=development"
    )
# The site's names, from APP_HOSTS (tasks.example.com,www.tasks.example.com): a
# request for another Host is refused with 400, so a forged Host never reaches a
# redirect. Unset, any name is accepted and nginx's server_name is the one check.
if os.environ.get("APP_HOSTS"):
    app.config["TRUSTED_HOSTS"] = [
        name.strip() for name in os.environ["APP_HOSTS"].split(",")
    ]
# The database lives in the instance folder, which
# git does not track, unless APP_DATABASE says where.
app.config["DATABASE"] = os.environ.get(
    "APP_DATABASE", os.path.join(app.instance_path, "tasks.db")
)
# The session cookie travels only over https (Secure), is hidden from JavaScript
# (HttpOnly) and is not sent with requests that other sites start (SameSite=Lax).
# On your laptop the site is plain http, so development leaves out Secure.
app.config["SESSION_COOKIE_SECURE"] = APP_ENV != "development"
app.config["SESSION_COOKIE_HTTPONLY"] = True
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
# A request body larger than 1 MiB is refused with 413 Content Too Large.
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
csrf = CSRFProtect(app)
# nginx is the one proxy in front of the app: trust one hop of
# the X-Forwarded-For, -Proto and -Host headers it sets (the
# visitor's address, https, the site's name), and no more.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
# Log to standard output: gunicorn, systemd's journal
# and Docker all collect what a process prints.
logging.basicConfig(
    stream=sys.stdout,
    level=logging.INFO,
    format="%(asctime)s %(levelname)s %(name)s: %(message)s",
)

# A demo account for the sign-in form. Real passwords never live in the code.
DEMO_USER = "student"
DEMO_PASSWORD = "flask"

PER_PAGE = 3
# Ten tasks a page: drawing each task's links
# and forms is most of what a page view costs.
TASKS_PER_PAGE = 10
MAX_SUMMARY = 300
# Letters that draw nothing at all: the Hangul
# fillers and the blank Braille pattern.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
# SQLite keeps an id in 64 bits: the int converter refuses a larger one
# with 404 Not Found, where sqlite3 would fail with OverflowError, a 500.
MAX_ID = 2**63 - 1

# SQLite keeps an offset in 64 bits too: no page beyond this one can exist.
MAX_PAGE = MAX_ID // TASKS_PER_PAGE

# People who signed up are kept in the database
# (the users table), where every worker sees them.
# This demo keeps no passwords, only names and e-mails.
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def get_db():
    """Return this request's database connection, opening it on first use."""
    if "db" not in g:
        path = app.config["DATABASE"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # timeout: a worker waits up to 10 s for
        # another worker's write instead of failing.
        g.db = sqlite3.connect(path, timeout=10)
        g.db.row_factory = sqlite3.Row
        # With WAL, NORMAL waits for the disk at checkpoints
        # rather than at every commit: much faster, and a
        # crash of the app still loses nothing it committed.
        g.db.execute("PRAGMA synchronous = NORMAL")
        # Creating the tables here, not under
        # __main__, works however the app is started.
        create_schema(g.db)
    return g.db


def create_schema(db):
    """Create the tables if they do not exist
    yet; safe to run any number of times."""
    # The script writes (it fills task_counts), and a write waits
    # for every other worker's writes: run it only when the
    # database lacks the tables (users is the last one it makes).
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'users'").fetchone():
        return
    # WAL lets readers go on while one worker
    # writes: no "database is locked" (Pitfall 8).
    # The database file remembers it, so it is set once, with the tables.
    db.execute("PRAGMA journal_mode = WAL")
    with app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf-8"))


@app.teardown_appcontext
def close_db(exception):
    """Close this request's connection, whatever happened during the request."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


# Create the database when the app is loaded, too. gunicorn
# loads it once, in its master process (preload_app), before any
# worker exists: four new workers switching a new database to
# WAL at the same moment could fail with "database is locked".
# A database that cannot be opened (a folder, a file
# that is not SQLite) stops the app with one line.
try:
    with app.app_context():
        get_db()
except (sqlite3.Error, OSError) as error:
    raise SystemExit(
        "Refusing to start: cannot use the database"
        f" {app.config['DATABASE']} ({error});"
        " set APP_DATABASE to a file in a folder the app can write to"
    ) from None


@app.before_request
def refuse_bodies_of_unknown_length():
    """Refuse a body sent in chunks, without a
    Content-Length, with 411 Length Required.

    Flask holds MAX_CONTENT_LENGTH against the Content-Length header.
    A chunked body has none, and Werkzeug would read its first MiB
    and quietly drop the rest. Browsers and nginx send the length.
    """
    if (
        request.content_length is None
        and "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    ):
        abort(411, "Send the body with a Content-Length header.")


@app.after_request
def add_security_headers(response):
    """Tell browsers to sniff no types, allow no
    framing and load nothing from other sites."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; frame-ancestors 'none';"
        " form-action 'self'; base-uri 'self'"
    )
    return response


@app.cli.command("init-db")
def init_db_command():
    """Create the database and its tables."""
    create_schema(get_db())
    click.echo(f"Initialized the database at {app.config['DATABASE']}.")


@app.cli.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Copy the database to PATH, safely, even while the app is writing to it."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise click.ClickException(
            f"There is no folder {folder}: create it first."
        )
    # The copy holds every task: only its owner may read or write it (mode 0600).
    Path(path).touch(mode=0o600)
    os.chmod(path, 0o600)
    # SQLite's online backup API copies a consistent snapshot, page by page.
    try:
        with closing(sqlite3.connect(path)) as target:
            get_db().backup(target)
    except sqlite3.Error as error:
        raise click.ClickException(f"Cannot back up to {path}: {error}.") from None
    click.echo(f"Backed up {app.config['DATABASE']} to {path}.")


def list_tasks(page=1):
    """Return one page of tasks, newest first;
    the id breaks ties within the same second."""
    return (
        get_db()
        .execute(
            "SELECT id, summary, done, created FROM tasks"
            " ORDER BY created DESC, id DESC"
            " LIMIT ? OFFSET ?",
            (TASKS_PER_PAGE, (page - 1) * TASKS_PER_PAGE),
        )
        .fetchall()
    )


def count_tasks():
    """Return how many tasks there are and how many
    are done: one row that SQLite keeps up to date."""
    return get_db().execute("SELECT total, done FROM task_counts").fetchone()


def page_number():
    """Return ?page= from the URL: 1 when it is missing
    or not a number, 400 when it is below 1."""
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(400, "The page number must be 1 or more.")
    if page > MAX_PAGE:
        abort(404, f"There is no page {page}.")
    return page


def find_task(task_id):
    """Return the task with this id, or stop with 404 Not Found."""
    task = (
        get_db()
        .execute(
            "SELECT id, summary, done, created FROM tasks WHERE id = ?", (task_id,)
        )
        .fetchone()
    )
    if task is None:
        abort(404, f"There is no task #{task_id}.")
    return task


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


@app.errorhandler(HTTPException)
def show_error(error):
    """Show an HTTP error (404, 405, ...) in the site's layout, with its reason."""
    if isinstance(error, SecurityError):
        # A Host that is not one of APP_HOSTS: no link
        # can be built for it, so Werkzeug's plain page.
        return error
    # get_headers() keeps what the error needs, such as the Allow header of a 405.
    return (
        render_template("error.html", error=error),
        error.code,
        error.get_headers(),
    )


@app.route("/")
def index():
    """Show the home page."""
    return render_template("index.html")


@app.route("/healthz")
def health():
    """Report, as JSON, whether the service can use
    its database: 200 if it can, 503 if not."""
    try:
        get_db().execute("SELECT 1")
    except (sqlite3.Error, OSError) as error:
        app.logger.error("Health check failed: %s", error)
        return {
            "status": "unavailable",
            "error": "the database cannot be used",
        }, 503
    return {"status": "ok"}


@app.route("/docs")
def docs():
    """Explain the pages this service offers."""
    return render_template("docs.html")


def summary_problem(summary):
    """Return what is wrong with a summary (its words
    already joined by single spaces), or None."""
    if not any(
        unicodedata.category(char)[0] in "LNPS" and char not in BLANK_LETTERS
        for char in summary
    ):
        # Only spaces, or characters that draw nothing (a
        # zero-width space, a Hangul filler): it would look empty.
        return "A task needs a summary."
    if len(summary) > MAX_SUMMARY:
        return f"A summary has at most {MAX_SUMMARY} characters."
    if any(unicodedata.category(char) == "Cc" for char in summary):
        # Control characters (NUL, escape, ...) are
        # not text, and a page cannot show them.
        return "A summary has no control characters."
    return None


def typed_back(text, limit):
    """Return what was typed, to show it again in a form:
    cut to its limit, without control characters."""
    return "".join(
        char for char in text[:limit] if unicodedata.category(char) != "Cc"
    )


def render_dashboard(error=None, summary="", page=1):
    """Render one page of the dashboard, with a form
    error and what was typed if there is one."""
    counts = count_tasks()
    last_page = max(1, math.ceil(counts["total"] / TASKS_PER_PAGE))
    if page > last_page:
        abort(404, f"There is no page {page}: the tasks fill {last_page}.")
    return render_template(
        "tasks.html",
        tasks=list_tasks(page),
        total=counts["total"],
        done=counts["done"],
        page=page,
        last_page=last_page,
        error=error,
        summary=summary,
    )


@app.route("/tasks")
def tasks():
    """Show the dashboard: one page of tasks and how many are done."""
    return render_dashboard(page=page_number())


@app.route("/tasks", methods=["POST"])
def add_task():
    """Store a new task from the form, then redirect to the dashboard."""
    summary = " ".join(request.form.get("summary", "").split())
    problem = summary_problem(summary)
    if problem:
        # What was typed goes back into the form, cut to its
        # limit: a refused megabyte is not sent back whole.
        return render_dashboard(problem, typed_back(summary, MAX_SUMMARY)), 400
    db = get_db()
    # The ? placeholder sends the summary as data: it can never be read as SQL.
    db.execute("INSERT INTO tasks (summary) VALUES (?)", (summary,))
    db.commit()
    flash("Task added.", "success")
    return redirect(url_for("tasks"))


@app.route(f"/tasks/<int(max={MAX_ID}):task_id>/toggle", methods=["POST"])
def toggle_task(task_id):
    """Mark a task done, or not done again, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute(
        "UPDATE tasks SET done = NOT done WHERE id = ?", (task_id,)
    )
    if cursor.rowcount == 0:
        abort(404, f"There is no task #{task_id}.")
    db.commit()
    flash("Task updated.", "success")
    return redirect(url_for("tasks"))


@app.route(f"/tasks/<int(max={MAX_ID}):task_id>/delete", methods=["POST"])
def delete_task(task_id):
    """Delete one task, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
    if cursor.rowcount == 0:
        abort(404, f"There is no task #{task_id}.")
    db.commit()
    flash("Task deleted.", "success")
    return redirect(url_for("tasks"))


@app.route("/tasks/purge", methods=["POST"])
def purge_done():
    """Delete every task that is done, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute("DELETE FROM tasks WHERE done = 1")
    db.commit()
    flash(
        f"Removed {cursor.rowcount} done"
        f" task{'' if cursor.rowcount == 1 else 's'}.",
        "success",
    )
    return redirect(url_for("tasks"))


@app.route("/api/tasks")
def api_tasks():
    """Return one page of tasks as a JSON list,
    newest first: ?page=2 for the next ones."""
    return [
        {
            "id": task["id"],
            "summary": task["summary"],
            "done": bool(task["done"]),
            "created": task["created"],
        }
        for task in list_tasks(page_number())
    ]


@app.route(f"/tasks/<int(max={MAX_ID}):task_id>")
def task_detail(task_id):
    """Show one task in full."""
    return render_template("task.html", task=find_task(task_id))


def search_words(query):
    """Turn what was typed into a full-text query: every
    word, each as the start of a word in the task.

    Each word is quoted, so that FTS5 reads AND, OR, NEAR, * or
    " in it as text, never as its syntax (and a NUL character,
    which would end the quoted text early, is left out).
    """
    return " ".join(
        '"' + word.replace('"', '""').replace("\0", "") + '"*'
        for word in query.split()
    )


@app.route("/search")
def search():
    """Search the tasks: /search?q=flask&page=1."""
    query = request.args.get("q", "").strip()
    page = page_number()
    words = search_words(query)
    db = get_db()
    if not words:
        # No word to look for: every task, counted by the counts row.
        total = count_tasks()["total"]
        results = db.execute(
            "SELECT id, summary FROM tasks ORDER BY id DESC LIMIT ? OFFSET ?",
            (PER_PAGE, (page - 1) * PER_PAGE),
        ).fetchall()
    else:
        # The full-text index finds the matching ids without
        # reading the tasks; newest (highest id) first.
        total = db.execute(
            "SELECT count(*) FROM tasks_search WHERE tasks_search MATCH ?",
            (words,),
        ).fetchone()[0]
        results = db.execute(
            "SELECT tasks.id, tasks.summary FROM tasks_search"
            " JOIN tasks ON tasks.id = tasks_search.rowid"
            " WHERE tasks_search MATCH ? ORDER BY tasks_search.rowid DESC"
            " LIMIT ? OFFSET ?",
            (words, PER_PAGE, (page - 1) * PER_PAGE),
        ).fetchall()
    return render_template(
        "search.html",
        query=query,
        page=page,
        total=total,
        results=results,
        has_next=page * PER_PAGE < total,
    )


@app.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form on GET; check the submitted form on POST."""
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if username == DEMO_USER and password == DEMO_PASSWORD:
            flash(f"Welcome back, {username}!", "success")
            return redirect(url_for("index"))
        return render_template(
            "login.html", error="Wrong username or password.", username=username
        ), 401
    return render_template("login.html", error=None, username="")


@app.route("/signup", methods=["GET", "POST"])
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
        return redirect(url_for("index"))
    return render_template("signup.html", errors={}, username="", email="")


if __name__ == "__main__":
    app.run()
