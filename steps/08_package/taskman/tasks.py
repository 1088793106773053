"""The task manager: the dashboard, adding, toggling,
deleting, purging, one task, search and the JSON API."""

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

from .db import get_db

bp = Blueprint("tasks", __name__)

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


@bp.route("/tasks")
def tasks():
    """Show the dashboard: one page of tasks and how many are done."""
    return render_dashboard(page=page_number())


@bp.route("/tasks", methods=["POST"])
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
    return redirect(url_for("tasks.tasks"))


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>/toggle", methods=["POST"])
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
    return redirect(url_for("tasks.tasks"))


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>/delete", methods=["POST"])
def delete_task(task_id):
    """Delete one task, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute("DELETE FROM tasks WHERE id = ?", (task_id,))
    if cursor.rowcount == 0:
        abort(404, f"There is no task #{task_id}.")
    db.commit()
    flash("Task deleted.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route("/tasks/purge", methods=["POST"])
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
    return redirect(url_for("tasks.tasks"))


@bp.route("/api/tasks")
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


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>")
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


@bp.route("/search")
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
