"""The task manager: the dashboard, adding, toggling,
deleting, purging, one task, search and the JSON API.

Every page here needs a signed-in user (@login_required), and every query
of the tasks is filtered by owner, Task.user_id == current_user.id: a user
reads and changes their own tasks only. Another user's task is "not found",
exactly like a task that does not exist: a 403 would tell that it exists.

Each change of the tasks and of the user's counts row is one transaction
(db.session.commit()), and the counts change by `total = total + 1` in the
database, never by reading them into Python and writing them back: two app
servers adding a task at once would both read 5 and both write 6 (a lost update).
"""

import datetime
import math
import unicodedata

from flask import (
    Blueprint,
    abort,
    flash,
    redirect,
    render_template,
    request,
    url_for,
)
from flask_login import current_user, login_required
from sqlalchemy import delete, func, select, update

from .models import Task, TaskCount, db

bp = Blueprint("tasks", __name__)

PER_PAGE = 3
# Ten tasks a page: drawing each task's links
# and forms is most of what a page view costs.
TASKS_PER_PAGE = 10
MAX_SUMMARY = 300
# A search looks for at most this many words (each one is
# a condition on every task), and is at most this long:
# it is shown back on the page.
MAX_SEARCH_WORDS = 10
MAX_SEARCH = 200
# Letters that draw nothing at all: the Hangul
# fillers and the blank Braille pattern.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
# SQLite keeps an id in 64 bits, PostgreSQL's integer column
# in 32: the int converter refuses a larger one with 404 Not
# Found, where the database would fail (an overflow, a 500).
MAX_ID = 2**31 - 1

# SQLite keeps an offset in 64 bits too: no page beyond this one can exist.
MAX_PAGE = MAX_ID // TASKS_PER_PAGE


def own_tasks():
    """A query of the signed-in user's tasks:
    every query of the tasks starts here."""
    return select(Task).where(Task.user_id == current_user.id)


def list_tasks(page=1):
    """Return one page of the user's tasks, newest
    first; the id breaks ties within the same second.

    One query for the page, whatever its length:
    the template reads only the tasks' own columns.
    """
    query = own_tasks().order_by(Task.created.desc(), Task.id.desc())
    return db.session.scalars(
        query.limit(TASKS_PER_PAGE).offset((page - 1) * TASKS_PER_PAGE)
    ).all()


def count_tasks():
    """Return the user's counts row: how many tasks
    they have (.total) and how many are done (.done).

    Never len() of a query of the tasks: that
    reads every task into Python to count them.
    """
    return db.session.get(TaskCount, current_user.id)


def change_counts(total=0, done=0):
    """Add to the user's counts in the database itself,
    in the transaction of the change that causes it."""
    db.session.execute(
        update(TaskCount)
        .where(TaskCount.user_id == current_user.id)
        .values(total=TaskCount.total + total, done=TaskCount.done + done)
    )


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
    """Return the user's task with this id, or stop with 404 Not Found."""
    task = db.session.scalar(own_tasks().where(Task.id == task_id))
    if task is None:
        abort(404, f"There is no task #{task_id}.")
    return task


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


def render_dashboard(error=None, summary="", page=1, due=""):
    """Render one page of the dashboard, with a form
    error and what was typed if there is one."""
    counts = count_tasks()
    last_page = max(1, math.ceil(counts.total / TASKS_PER_PAGE))
    if page > last_page:
        abort(404, f"There is no page {page}: the tasks fill {last_page}.")
    return render_template(
        "tasks.html",
        tasks=list_tasks(page),
        total=counts.total,
        done=counts.done,
        page=page,
        last_page=last_page,
        error=error,
        summary=summary,
        due=due,
    )


def due_date(text):
    """Read the optional due date of the form (2026-12-31,
    as a date field sends it): None when empty."""
    try:
        return datetime.date.fromisoformat(text) if text else None
    except ValueError:
        return False


@bp.route("/tasks")
@login_required
def tasks():
    """Show the dashboard: one page of tasks and how many are done."""
    return render_dashboard(page=page_number())


@bp.route("/tasks", methods=["POST"])
@login_required
def add_task():
    """Store a new task from the form, then redirect to the dashboard."""
    summary = " ".join(request.form.get("summary", "").split())
    typed_due = request.form.get("due", "").strip()
    problem = summary_problem(summary)
    if problem:
        # What was typed goes back into the form, cut to its
        # limit: a refused megabyte is not sent back whole.
        return render_dashboard(
            problem,
            typed_back(summary, MAX_SUMMARY),
            due=typed_back(typed_due, 10),
        ), 400
    due = due_date(typed_due)
    if due is False:
        return render_dashboard(
            "A due date looks like 2026-12-31.",
            summary,
            due=typed_back(typed_due, 10),
        ), 400
    # SQLAlchemy sends the summary as data: it can never be read as SQL.
    db.session.add(Task(summary=summary, due=due, user_id=current_user.id))
    change_counts(total=1)
    db.session.commit()
    flash("Task added.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>/toggle", methods=["POST"])
@login_required
def toggle_task(task_id):
    """Mark a task done, or not done again, then redirect to the dashboard."""
    # One statement flips the task and says what it became:
    # two toggles at once, on two servers, wait for each other
    # in the database, and each counts the change it made.
    done = db.session.scalar(
        update(Task)
        .where(Task.id == task_id, Task.user_id == current_user.id)
        .values(done=~Task.done)
        .returning(Task.done)
    )
    if done is None:
        abort(404, f"There is no task #{task_id}.")
    change_counts(done=1 if done else -1)
    db.session.commit()
    flash("Task updated.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>/delete", methods=["POST"])
@login_required
def delete_task(task_id):
    """Delete one task, then redirect to the dashboard."""
    done = db.session.scalar(
        delete(Task)
        .where(Task.id == task_id, Task.user_id == current_user.id)
        .returning(Task.done)
    )
    if done is None:
        abort(404, f"There is no task #{task_id}.")
    change_counts(total=-1, done=-1 if done else 0)
    db.session.commit()
    flash("Task deleted.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route("/tasks/purge", methods=["POST"])
@login_required
def purge_done():
    """Delete every task of the user's that is
    done, then redirect to the dashboard."""
    removed = db.session.execute(
        delete(Task).where(Task.done, Task.user_id == current_user.id)
    ).rowcount
    change_counts(total=-removed, done=-removed)
    db.session.commit()
    flash(f"Removed {removed} done task{'' if removed == 1 else 's'}.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route("/api/tasks")
@login_required
def api_tasks():
    """Return one page of tasks as a JSON list,
    newest first: ?page=2 for the next ones."""
    return [
        {
            "id": task.id,
            "summary": task.summary,
            "done": task.done,
            "created": task.created.isoformat(" ", "seconds"),
            "due": task.due and task.due.isoformat(),
        }
        for task in list_tasks(page_number())
    ]


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>")
@login_required
def task_detail(task_id):
    """Show one task in full."""
    return render_template("task.html", task=find_task(task_id))


def matching(words):
    """The condition that a task's summary holds every
    word, in any case ("%" and "_" typed are plain text).

    SQLite's full-text index of step 09 exists in SQLite only; this
    runs on both. It reads the user's own tasks (the index on user_id
    finds them) rather than every task: enough for a person's list.
    """
    return [Task.summary.icontains(word, autoescape=True) for word in words]


@bp.route("/search")
@login_required
def search():
    """Search the user's tasks: /search?q=flask&page=1."""
    query = request.args.get("q", "").strip()
    page = page_number()
    words = query.split()
    if len(query) > MAX_SEARCH:
        abort(400, f"A search has at most {MAX_SEARCH} characters.")
    if len(words) > MAX_SEARCH_WORDS:
        # Each word is one more condition to test on every
        # task: a query of 400 words would keep a worker busy.
        abort(400, f"Search for at most {MAX_SEARCH_WORDS} words.")
    found = own_tasks().where(*matching(words))
    if not words:
        # No word to look for: every task, counted by the counts row.
        total = count_tasks().total
    else:
        total = db.session.scalar(
            select(func.count()).select_from(found.subquery())
        )
    results = db.session.scalars(
        found.order_by(Task.id.desc())
        .limit(PER_PAGE)
        .offset((page - 1) * PER_PAGE)
    ).all()
    return render_template(
        "search.html",
        query=query,
        page=page,
        total=total,
        results=results,
        has_next=page * PER_PAGE < total,
    )
