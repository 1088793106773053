"""Step 05: persistence with SQLite."""
import os
import re
import sqlite3

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
from werkzeug.exceptions import HTTPException

app = Flask(__name__)
# The secret key signs the session cookie that carries flashed messages.
# "dev" is only for your laptop: set FLASK_SECRET_KEY to override it.
app.config["SECRET_KEY"] = "dev"
# The database lives in the instance folder, which git does not track.
app.config["DATABASE"] = os.path.join(app.instance_path, "tasks.db")
app.config.from_prefixed_env()
csrf = CSRFProtect(app)

# A demo account for the sign-in form. Real passwords never live in the code.
DEMO_USER = "student"
DEMO_PASSWORD = "flask"

PER_PAGE = 3
MAX_SUMMARY = 300
# SQLite keeps an id in 64 bits: the int converter refuses a larger one
# with 404 Not Found, where sqlite3 would fail with OverflowError, a 500.
MAX_ID = 2**63 - 1

# People who signed up. This demo keeps no passwords, only names and e-mails.
USERS = []
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def get_db():
    """Return this request's database connection, opening it on first use."""
    if "db" not in g:
        path = app.config["DATABASE"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        g.db = sqlite3.connect(path)
        g.db.row_factory = sqlite3.Row
        # Creating the tables here, not under
        # __main__, works however the app is started.
        create_schema(g.db)
    return g.db


def create_schema(db):
    """Create the tables if they do not exist
    yet; safe to run any number of times."""
    with app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf-8"))


@app.teardown_appcontext
def close_db(exception):
    """Close this request's connection, whatever happened during the request."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


@app.cli.command("init-db")
def init_db_command():
    """Create the database and its tables."""
    create_schema(get_db())
    click.echo(f"Initialized the database at {app.config['DATABASE']}.")


def list_tasks():
    """Return every task, newest first; the
    id breaks ties within the same second."""
    return (
        get_db()
        .execute(
            "SELECT id, summary, done, created FROM tasks"
            " ORDER BY created DESC, id DESC"
        )
        .fetchall()
    )


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
    elif any(user["username"].lower() == username.lower() for user in USERS):
        errors["username"] = "That username is already taken."
    if len(email) > 254 or not EMAIL_PATTERN.fullmatch(email):
        errors["email"] = "Enter an e-mail address such as ada@example.com."
    if not 8 <= len(password) <= 128:
        errors["password"] = "A password has 8 to 128 characters."
    return errors


@app.errorhandler(HTTPException)
def show_error(error):
    """Show an HTTP error (404, 405, ...) in the site's layout, with its reason."""
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
    """Report that the service is up, as JSON."""
    return {"status": "ok"}


@app.route("/docs")
def docs():
    """Explain the pages this service offers."""
    return render_template("docs.html")


def render_dashboard(error=None, summary=""):
    """Render the dashboard, with a form error
    and what was typed if there is one."""
    tasks = list_tasks()
    done = sum(1 for task in tasks if task["done"])
    return render_template(
        "tasks.html", tasks=tasks, done=done, error=error, summary=summary
    )


@app.route("/tasks")
def tasks():
    """Show the dashboard: every task and how many are done."""
    return render_dashboard()


@app.route("/tasks", methods=["POST"])
def add_task():
    """Store a new task from the form, then redirect to the dashboard."""
    summary = " ".join(request.form.get("summary", "").split())
    if not summary:
        return render_dashboard("A task needs a summary.", summary), 400
    if len(summary) > MAX_SUMMARY:
        return render_dashboard(
            f"A summary has at most {MAX_SUMMARY} characters.", summary
        ), 400
    db = get_db()
    # The ? placeholder sends the summary as data: it can never be read as SQL.
    db.execute("INSERT INTO tasks (summary) VALUES (?)", (summary,))
    db.commit()
    flash("Task added.", "success")
    return redirect(url_for("tasks"))


@app.route(f"/tasks/<int(max={MAX_ID}):task_id>")
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
    matches = (
        get_db()
        .execute(
            "SELECT id, summary FROM tasks"
            " WHERE instr(lower(summary), lower(?)) > 0"
            " ORDER BY created DESC, id DESC",
            (query,),
        )
        .fetchall()
    )
    start = (page_number - 1) * PER_PAGE
    return render_template(
        "search.html",
        query=query,
        page=page_number,
        total=len(matches),
        results=matches[start:start + PER_PAGE],
        has_next=start + PER_PAGE < len(matches),
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
        USERS.append({"username": username, "email": email})
        flash(f"Account created for {username}.", "success")
        return redirect(url_for("index"))
    return render_template("signup.html", errors={}, username="", email="")


if __name__ == "__main__":
    app.run()
