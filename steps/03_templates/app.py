"""Step 03: Jinja2 templates and static files."""
from flask import Flask, abort, render_template, request
from werkzeug.exceptions import HTTPException

app = Flask(__name__)

# A demo account for the sign-in form. Real passwords never live in the code.
DEMO_USER = "student"
DEMO_PASSWORD = "flask"

# The tasks live in memory for now: they are lost when the server stops.
TASKS = [
    {"id": 1, "summary": "Install Flask", "done": True},
    {"id": 2, "summary": "Write a first route", "done": True},
    {
        "id": 3,
        "summary": "Find out why <script> in a task shows up as text",
        "done": False,
    },
    {
        "id": 4,
        "summary": "Move every page into a template that shares one layout",
        "done": False,
    },
]
PER_PAGE = 3


def find_task(task_id):
    """Return the task with this id, or stop with 404 Not Found."""
    for task in TASKS:
        if task["id"] == task_id:
            return task
    abort(404, f"There is no task #{task_id}.")


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


@app.route("/tasks")
def tasks():
    """Show the dashboard: every task and how many are done."""
    done = sum(1 for task in TASKS if task["done"])
    return render_template("tasks.html", tasks=TASKS, done=done)


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
    matches = [task for task in TASKS if query.lower() in task["summary"].lower()]
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
            return render_template("welcome.html", username=username)
        return render_template(
            "login.html", error="Wrong username or password.", username=username
        ), 401
    return render_template("login.html", error=None, username="")


if __name__ == "__main__":
    app.run()
