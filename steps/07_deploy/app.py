"""Step 07: the task manager, ready for production."""
import logging
import math
import os
import re
import sqlite3
import sys
from contextlib import closing

import click
from flask import Flask, abort, flash, g, redirect, render_template, request, url_for
from flask_wtf.csrf import CSRFProtect
from werkzeug.middleware.proxy_fix import ProxyFix

app = Flask(__name__)
# Configuration comes from the environment, never from the code: the same code runs on
# your laptop (APP_ENV=development) and on a server (production, the default).
APP_ENV = os.environ.get("APP_ENV", "production")
# The secret key signs the session cookie that carries flashed messages.
# Every worker and every restart must share it, so it comes from APP_SECRET.
secret = os.environ.get("APP_SECRET", "")
if APP_ENV == "development" and not secret:
    secret = "dev"
if APP_ENV != "development" and len(secret) < 32:
    # A missing, "dev" or short secret lets anyone forge a session: stop with one clear line.
    raise SystemExit("Refusing to start: set APP_SECRET to a random string of 32 characters or more,"
                     " e.g. python -c \"import secrets; print(secrets.token_hex())\"")
app.config["SECRET_KEY"] = secret
# The database lives in the instance folder, which git does not track, unless APP_DATABASE says where.
app.config["DATABASE"] = os.environ.get("APP_DATABASE", os.path.join(app.instance_path, "tasks.db"))
# The session cookie travels only over https (Secure), is hidden from JavaScript (HttpOnly)
# and is not sent with requests that other sites start (SameSite=Lax).
# On your laptop the site is plain http, so development leaves out Secure.
app.config["SESSION_COOKIE_SECURE"] = APP_ENV != "development"
app.config["SESSION_COOKIE_HTTPONLY"] = True
app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
# A request body larger than 1 MiB is refused with 413 Content Too Large.
app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
csrf = CSRFProtect(app)
# nginx is the one proxy in front of the app: trust one hop of the X-Forwarded-For, -Proto and
# -Host headers it sets (the visitor's address, https, the site's name), and no more.
app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
# Log to standard output: gunicorn, systemd's journal and Docker all collect what a process prints.
logging.basicConfig(stream=sys.stdout, level=logging.INFO,
                    format="%(asctime)s %(levelname)s %(name)s: %(message)s")

# A demo account for the sign-in form. Real passwords never live in the code.
DEMO_USER = "student"
DEMO_PASSWORD = "flask"

PER_PAGE = 3
# Ten tasks a page: drawing each task's links and forms is most of what a page view costs.
TASKS_PER_PAGE = 10
MAX_SUMMARY = 300

# People who signed up. This demo keeps no passwords, only names and e-mails.
USERS = []
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def get_db():
    """Return this request's database connection, opening it on first use."""
    if "db" not in g:
        path = app.config["DATABASE"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # timeout: a worker waits up to 10 s for another worker's write instead of failing.
        g.db = sqlite3.connect(path, timeout=10)
        g.db.row_factory = sqlite3.Row
        # With WAL, NORMAL waits for the disk at checkpoints rather than at every commit: much
        # faster, and a crash of the app still loses nothing it committed.
        g.db.execute("PRAGMA synchronous = NORMAL")
        # Creating the tables here, not under __main__, works however the app is started.
        create_schema(g.db)
    return g.db


def create_schema(db):
    """Create the tables if they do not exist yet; safe to run any number of times."""
    # The script writes (it fills task_counts), and a write waits for every other worker's
    # writes: run it only when the database lacks the tables.
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'task_counts'").fetchone():
        return
    # WAL lets readers go on while one worker writes: no "database is locked" (Pitfall 8).
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


# Create the database when the app is loaded, too. gunicorn loads it once, in its master
# process (preload_app), before any worker exists: four new workers switching a new database
# to WAL at the same moment could fail with "database is locked".
with app.app_context():
    get_db()


@app.after_request
def add_security_headers(response):
    """Tell browsers to sniff no types, allow no framing and load nothing from other sites."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'"
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
    # SQLite's online backup API copies a consistent snapshot, page by page.
    with closing(sqlite3.connect(path)) as target:
        get_db().backup(target)
    click.echo(f"Backed up {app.config['DATABASE']} to {path}.")


def list_tasks(page=1):
    """Return one page of tasks, newest first; the id breaks ties within the same second."""
    return get_db().execute(
        "SELECT id, summary, done, created FROM tasks ORDER BY created DESC, id DESC"
        " LIMIT ? OFFSET ?", (TASKS_PER_PAGE, (page - 1) * TASKS_PER_PAGE)
    ).fetchall()


def count_tasks():
    """Return how many tasks there are and how many are done: one row that SQLite keeps up to date."""
    return get_db().execute("SELECT total, done FROM task_counts").fetchone()


def page_number():
    """Return ?page= from the URL: 1 when it is missing or not a number, 400 when it is below 1."""
    page = request.args.get("page", 1, type=int)
    if page < 1:
        abort(400, "The page number must be 1 or more.")
    return page


def find_task(task_id):
    """Return the task with this id, or stop with 404 Not Found."""
    task = get_db().execute(
        "SELECT id, summary, done, created FROM tasks WHERE id = ?", (task_id,)
    ).fetchone()
    if task is None:
        abort(404, f"There is no task #{task_id}.")
    return task


def validate_signup(username, email, password):
    """Check a sign-up form and return every problem found, by field."""
    errors = {}
    if not 3 <= len(username) <= 30:
        errors["username"] = "A username has 3 to 30 characters."
    elif any(user["username"].lower() == username.lower() for user in USERS):
        errors["username"] = "That username is already taken."
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
        errors["email"] = "Enter an e-mail address such as ada@example.com."
    if not 8 <= len(password) <= 128:
        errors["password"] = "A password has 8 to 128 characters."
    return errors


@app.route("/")
def index():
    """Show the home page."""
    return render_template("index.html")


@app.route("/healthz")
def health():
    """Report, as JSON, whether the service can use its database: 200 if it can, 503 if not."""
    try:
        get_db().execute("SELECT 1")
    except (sqlite3.Error, OSError) as error:
        app.logger.error("Health check failed: %s", error)
        return {"status": "unavailable", "error": "the database cannot be used"}, 503
    return {"status": "ok"}


@app.route("/docs")
def docs():
    """Explain the pages this service offers."""
    return render_template("docs.html")


def render_dashboard(error=None, summary="", page=1):
    """Render one page of the dashboard, with a form error and what was typed if there is one."""
    counts = count_tasks()
    last_page = max(1, math.ceil(counts["total"] / TASKS_PER_PAGE))
    if page > last_page:
        abort(404, f"There is no page {page}: the tasks fill {last_page}.")
    return render_template("tasks.html", tasks=list_tasks(page), total=counts["total"],
                           done=counts["done"], page=page, last_page=last_page,
                           error=error, summary=summary)


@app.route("/tasks")
def tasks():
    """Show the dashboard: one page of tasks and how many are done."""
    return render_dashboard(page=page_number())


@app.route("/tasks", methods=["POST"])
def add_task():
    """Store a new task from the form, then redirect to the dashboard."""
    summary = " ".join(request.form.get("summary", "").split())
    if not summary:
        return render_dashboard("A task needs a summary.", summary), 400
    if len(summary) > MAX_SUMMARY:
        return render_dashboard(f"A summary has at most {MAX_SUMMARY} characters.", summary), 400
    db = get_db()
    # The ? placeholder sends the summary as data: it can never be read as SQL.
    db.execute("INSERT INTO tasks (summary) VALUES (?)", (summary,))
    db.commit()
    flash("Task added.", "success")
    return redirect(url_for("tasks"))


@app.route("/tasks/<int:task_id>/toggle", methods=["POST"])
def toggle_task(task_id):
    """Mark a task done, or not done again, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute("UPDATE tasks SET done = NOT done WHERE id = ?", (task_id,))
    if cursor.rowcount == 0:
        abort(404, f"There is no task #{task_id}.")
    db.commit()
    flash("Task updated.", "success")
    return redirect(url_for("tasks"))


@app.route("/tasks/<int:task_id>/delete", methods=["POST"])
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
    flash(f"Removed {cursor.rowcount} done task{'' if cursor.rowcount == 1 else 's'}.", "success")
    return redirect(url_for("tasks"))


@app.route("/api/tasks")
def api_tasks():
    """Return one page of tasks as a JSON list, newest first: ?page=2 for the next ones."""
    return [
        {"id": task["id"], "summary": task["summary"], "done": bool(task["done"]),
         "created": task["created"]}
        for task in list_tasks(page_number())
    ]


@app.route("/tasks/<int:task_id>")
def task_detail(task_id):
    """Show one task in full."""
    return render_template("task.html", task=find_task(task_id))


@app.route("/search")
def search():
    """Search the tasks: /search?q=flask&page=1."""
    query = request.args.get("q", "").strip()
    page_number = request.args.get("page", 1, type=int)
    if page_number < 1:
        abort(400, "The page number must be 1 or more.")
    matches = get_db().execute(
        "SELECT id, summary FROM tasks WHERE instr(lower(summary), lower(?)) > 0"
        " ORDER BY created DESC, id DESC", (query,)
    ).fetchall()
    start = (page_number - 1) * PER_PAGE
    return render_template("search.html", query=query, page=page_number,
                           total=len(matches), results=matches[start:start + PER_PAGE],
                           has_next=start + PER_PAGE < len(matches))


@app.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form on GET; check the submitted form on POST."""
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if username == DEMO_USER and password == DEMO_PASSWORD:
            flash(f"Welcome back, {username}!", "success")
            return redirect(url_for("index"))
        return render_template("login.html", error="Wrong username or password.",
                               username=username), 401
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
            return render_template("signup.html", errors=errors,
                                   username=username, email=email), 400
        USERS.append({"username": username, "email": email})
        flash(f"Account created for {username}.", "success")
        return redirect(url_for("index"))
    return render_template("signup.html", errors={}, username="", email="")


if __name__ == "__main__":
    app.run()
