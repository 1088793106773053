"""The task manager: the dashboard, adding, toggling,
deleting, purging, one task, search and the JSON API.

Every page here needs a signed-in user (@login_required), and every query
of the tasks says "AND user_id = ?" with current_user.id: a user reads
and changes their own tasks only. Another user's task is "not found",
exactly like a task that does not exist: a 403 would tell that it exists.
"""

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

from .db import get_db

bp = Blueprint("tasks", __name__)

PER_PAGE = 3
# Ten tasks a page: drawing each task's links
# and forms is most of what a page view costs.
TASKS_PER_PAGE = 10
MAX_SUMMARY = 300
# A search looks for at most this many words (each one is a
# lookup in the full-text index), and is at most this long:
# it is shown back on the page.
MAX_SEARCH_WORDS = 10
MAX_SEARCH = 200
# Letters that draw nothing at all: the Hangul
# fillers and the blank Braille pattern.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"
# SQLite keeps an id in 64 bits: the int converter refuses a larger one
# with 404 Not Found, where sqlite3 would fail with OverflowError, a 500.
MAX_ID = 2**63 - 1

# SQLite keeps an offset in 64 bits too: no page beyond this one can exist.
MAX_PAGE = MAX_ID // TASKS_PER_PAGE


def list_tasks(page=1):
    """Return one page of the user's tasks, newest
    first; the id breaks ties within the same second."""
    return (
        get_db()
        .execute(
            "SELECT id, summary, done, created FROM tasks WHERE user_id = ?"
            " ORDER BY created DESC, id DESC"
            " LIMIT ? OFFSET ?",
            (current_user.id, TASKS_PER_PAGE, (page - 1) * TASKS_PER_PAGE),
        )
        .fetchall()
    )


def count_tasks():
    """Return how many tasks the user has and how many
    are done: one row that SQLite keeps up to date."""
    return (
        get_db()
        .execute(
            "SELECT total, done FROM task_counts WHERE user_id = ?",
            (current_user.id,),
        )
        .fetchone()
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
    task = (
        get_db()
        .execute(
            "SELECT id, summary, done, created FROM tasks"
            " WHERE id = ? AND user_id = ?",
            (task_id, current_user.id),
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
@login_required
def tasks():
    """Show the dashboard: one page of tasks and how many are done."""
    return render_dashboard(page=page_number())


@bp.route("/tasks", methods=["POST"])
@login_required
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
    db.execute(
        "INSERT INTO tasks (summary, user_id) VALUES (?, ?)",
        (summary, current_user.id),
    )
    db.commit()
    flash("Task added.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>/toggle", methods=["POST"])
@login_required
def toggle_task(task_id):
    """Mark a task done, or not done again, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute(
        "UPDATE tasks SET done = NOT done WHERE id = ? AND user_id = ?",
        (task_id, current_user.id),
    )
    if cursor.rowcount == 0:
        abort(404, f"There is no task #{task_id}.")
    db.commit()
    flash("Task updated.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route(f"/tasks/<int(max={MAX_ID}):task_id>/delete", methods=["POST"])
@login_required
def delete_task(task_id):
    """Delete one task, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute(
        "DELETE FROM tasks WHERE id = ? AND user_id = ?",
        (task_id, current_user.id),
    )
    if cursor.rowcount == 0:
        abort(404, f"There is no task #{task_id}.")
    db.commit()
    flash("Task deleted.", "success")
    return redirect(url_for("tasks.tasks"))


@bp.route("/tasks/purge", methods=["POST"])
@login_required
def purge_done():
    """Delete every task of the user's that is
    done, then redirect to the dashboard."""
    db = get_db()
    cursor = db.execute(
        "DELETE FROM tasks WHERE done = 1 AND user_id = ?", (current_user.id,)
    )
    db.commit()
    flash(
        f"Removed {cursor.rowcount} done"
        f" task{'' if cursor.rowcount == 1 else 's'}.",
        "success",
    )
    return redirect(url_for("tasks.tasks"))


@bp.route("/api/tasks")
@login_required
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
@login_required
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
@login_required
def search():
    """Search the user's tasks: /search?q=flask&page=1."""
    query = request.args.get("q", "").strip()
    page = page_number()
    if len(query) > MAX_SEARCH:
        abort(400, f"A search has at most {MAX_SEARCH} characters.")
    if len(query.split()) > MAX_SEARCH_WORDS:
        # Each word is one more lookup in the index: a
        # query of 400 words would keep a worker busy.
        abort(400, f"Search for at most {MAX_SEARCH_WORDS} words.")
    words = search_words(query)
    db = get_db()
    if not words:
        # No word to look for: every task, counted by the counts row.
        total = count_tasks()["total"]
        results = db.execute(
            "SELECT id, summary FROM tasks WHERE user_id = ?"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (current_user.id, PER_PAGE, (page - 1) * PER_PAGE),
        ).fetchall()
    else:
        # The full-text index finds the matching ids once, without reading the
        # tasks (the subquery); the user's tasks among them are kept, newest
        # (highest id) first. The index holds every user's tasks. Joined the
        # other way round, SQLite ran the whole match again for each task of
        # the user's: seconds for a long query, with every worker stuck in it.
        matching = "SELECT rowid FROM tasks_search WHERE tasks_search MATCH ?"
        total = db.execute(
            f"SELECT count(*) FROM tasks WHERE user_id = ? AND id IN ({matching})",
            (current_user.id, words),
        ).fetchone()[0]
        results = db.execute(
            "SELECT id, summary FROM tasks"
            f" WHERE user_id = ? AND id IN ({matching})"
            " ORDER BY id DESC LIMIT ? OFFSET ?",
            (current_user.id, words, PER_PAGE, (page - 1) * PER_PAGE),
        ).fetchall()
    return render_template(
        "search.html",
        query=query,
        page=page,
        total=total,
        results=results,
        has_next=page * PER_PAGE < total,
    )
