"""TaskActions: use the task manager (steps 05-07) the way a person does, and read its database file.

Like the AuthActions of Flask's tutorial: each action submits the page's own form, CSRF token included,
so a test reads like what a student does in the browser.
"""
import os
import re
import sqlite3
import unicodedata
from contextlib import closing

from .messages import expect, say
from .pages import parse

TASK_LINK = re.compile(r"^/tasks/\d+$")
MAX_SUMMARY = 300
# Letters that draw nothing at all: the Hangul fillers and the blank Braille pattern.
BLANK_LETTERS = "\u115f\u1160\u3164\uffa0\u2800"


def summary_problem(typed):
    """The message a task manager of step 06 on answers for a summary typed so, or None when it is stored.

    Its words are joined by single spaces first. A summary with nothing that draws (only spaces, zero-width
    characters, Hangul fillers) is empty; one with a control character that survives the joining (NUL, escape)
    is refused with its own message.
    """
    summary = " ".join(typed.split())
    if not any(unicodedata.category(char)[0] in "LNPS" and char not in BLANK_LETTERS for char in summary):
        return "A task needs a summary."
    if len(summary) > MAX_SUMMARY:
        return f"A summary has at most {MAX_SUMMARY} characters."
    if any(unicodedata.category(char) == "Cc" for char in summary):
        return "A summary has no control characters."
    return None


def shown_back(typed):
    """What the form holds again after a summary typed so was refused (step 06 on): its words joined by single
    spaces, cut to the 300 characters a summary may have, without control characters."""
    return "".join(char for char in " ".join(typed.split())[:MAX_SUMMARY] if unicodedata.category(char) != "Cc")


def through_sqlalchemy(app, statement, arguments=()):
    """The rows (as dicts) of one query through the app's Flask-SQLAlchemy engine (step 10 on, on SQLite or
    PostgreSQL), or None for an app without it, whose database is the file app.config['DATABASE'] names."""
    extension = app.extensions.get("sqlalchemy")
    if extension is None:
        return None
    with app.app_context():
        engine = extension.engine
        if engine.dialect.paramstyle != "qmark":  # psycopg's placeholders are %s
            statement = statement.replace("?", "%s")
        with engine.connect() as connection:
            return [dict(row._mapping) for row in connection.exec_driver_sql(statement, tuple(arguments))]


class TaskActions:
    """Add, toggle, delete and purge tasks through the pages' forms; read the rows the database holds.

    From step 09 on a task has an owner: with `owner` set (a user's id), the rows read are that user's and
    the rows written straight into the database are theirs (support/accounts.py sets it when it signs in).
    """

    owner = None

    def __init__(self, app, client, forms):
        self.app = app
        self.client = client
        self.forms = forms

    def _owned(self):
        """The WHERE clause and its arguments that keep to the owner's tasks (none before step 09)."""
        return (" WHERE user_id = ?", (self.owner,)) if self.owner is not None else ("", ())

    @property
    def path(self):
        """The database file the app uses."""
        assert "DATABASE" in self.app.config, say(
            "把数据库的路径放在 app.config['DATABASE'] 里，这样测试和部署才能选择它。",
            "Keep the database's path in app.config['DATABASE'], so tests and deployments can choose it.")
        return self.app.config["DATABASE"]

    # Actions, through the forms of the pages.

    def add(self, summary):
        """Fill in the dashboard's "New task" form and send it; return the response (not followed).

        A redirect with no new row in the database fails as a missing commit(); a new row answered
        without a redirect fails as a missing Post/Redirect/Get.
        """
        before = self.count()
        response = self.forms.submit("/tasks", "/tasks", {"summary": summary})
        stored = self.count() > before
        expect(stored or response.status_code not in (302, 303), "not-committed",
               summary=summary, status=response.status_code)
        expect(not stored or response.status_code in (302, 303), "no-redirect",
               action="/tasks", status=response.status_code)
        return response

    def add_all(self, *summaries):
        """Add several tasks, oldest first; return their ids in the same order."""
        for summary in summaries:
            status = self.add(summary).status_code
            assert status == 302, say("添加 {summary!r} 失败：返回了 {status}。", "adding {summary!r} failed: it answered "
                                      "{status}.", summary=summary, status=status)
        return [row["id"] for row in self.rows()][-len(summaries):]

    def toggle(self, task_id, page="/tasks"):
        """Press the done/undo button of a task on `page`."""
        return self.forms.submit(page, f"/tasks/{task_id}/toggle")

    def delete(self, task_id, page="/tasks"):
        """Press the delete button of a task on `page` (the browser's confirmation answered with OK)."""
        return self.forms.submit(page, f"/tasks/{task_id}/delete")

    def purge(self):
        """Press the dashboard's "remove done tasks" button."""
        return self.forms.submit("/tasks", "/tasks/purge")

    # The database file, read and written directly.

    def rows(self):
        """Every task stored in the database file, oldest id first, as dicts."""
        where, arguments = self._owned()
        found = through_sqlalchemy(self.app, f"SELECT * FROM tasks{where} ORDER BY id", arguments)
        if found is not None:
            return found
        if not os.path.exists(self.path):
            return []
        with closing(sqlite3.connect(self.path)) as db:
            db.row_factory = sqlite3.Row
            where, arguments = self._owned()
            return [dict(row) for row in db.execute(f"SELECT * FROM tasks{where} ORDER BY id", arguments)]

    def count(self):
        """How many tasks the database file holds (0 before the app has created it)."""
        where, arguments = self._owned()
        found = through_sqlalchemy(self.app, f"SELECT count(*) AS n FROM tasks{where}", arguments)
        if found is not None:
            return found[0]["n"]
        if not os.path.exists(self.path):
            return 0
        with closing(sqlite3.connect(self.path)) as db:
            try:
                where, arguments = self._owned()
                return db.execute(f"SELECT count(*) FROM tasks{where}", arguments).fetchone()[0]
            except sqlite3.OperationalError:  # no tasks table yet
                return 0

    def summaries(self):
        """The summaries stored in the database, oldest id first."""
        return [row["summary"] for row in self.rows()]

    def done(self):
        """{id: done} for every stored task, done as a bool."""
        return {row["id"]: bool(row["done"]) for row in self.rows()}

    def insert(self, summary, created, done=False):
        """Write a task straight into the database (to choose its `created` time); return its id."""
        self.client.get("/tasks")  # the app creates the table on its first request
        with closing(sqlite3.connect(self.path)) as db:
            owner = ", user_id" if self.owner is not None else ""
            cursor = db.execute(
                f"INSERT INTO tasks (summary, created, done{owner}) VALUES (?, ?, ?{owner and ', ?'})",
                (summary, created, int(done)) + ((self.owner,) if owner else ())
            )
            db.commit()
            return cursor.lastrowid

    def insert_many(self, count, done_every=0):
        """Write `count` tasks straight into the database, one second apart, oldest first.

        Every `done_every`-th task is done (none when 0). Returns their ids, oldest first.
        """
        self.client.get("/tasks")  # the app creates its tables on its first request
        with closing(sqlite3.connect(self.path)) as db:
            first = db.execute("SELECT coalesce(max(id), 0) FROM tasks").fetchone()[0] + 1
            owner = ", user_id" if self.owner is not None else ""
            db.executemany(
                f"INSERT INTO tasks (id, summary, done, created{owner})"
                f" VALUES (?, ?, ?, datetime('2024-01-01', ? || ' seconds'){owner and ', ?'})",
                ((first + n, f"Task number {first + n}", int(done_every > 0 and n % done_every == 0), n)
                 + ((self.owner,) if owner else ()) for n in range(count)),
            )
            db.commit()
        return list(range(first, first + count))

    def mark_done(self, task_id):
        """Set a task's done flag in the database (step 05 has no button for it yet)."""
        with closing(sqlite3.connect(self.path)) as db:
            db.execute("UPDATE tasks SET done = 1 WHERE id = ?", (task_id,))
            db.commit()

    # What the pages show.

    def page(self, url):
        """GET url, check that it opens, and return its HTML."""
        response = self.client.get(url)
        assert response.status_code == 200, say("GET {url} 返回了 {status}，应该是 200。",
                                                "GET {url} answered {status}, not 200.", url=url,
                                                status=response.status_code)
        return response.get_data(as_text=True)

    def token(self):
        """The CSRF token the dashboard's forms carry."""
        field = parse(self.page("/tasks")).find("input", attrs={"name": "csrf_token"})
        assert field is not None, say("仪表盘的表单里没有 csrf_token 隐藏字段。",
                                      "The dashboard's form has no hidden csrf_token field.")
        return field["value"]

    def ids_shown(self, url="/tasks"):
        """The ids of the tasks a page links to, in the order it shows them."""
        ids = []
        for link in parse(self.page(url)).find_all("a", href=TASK_LINK):
            task_id = int(link["href"].rsplit("/", 1)[1])
            if task_id not in ids:
                ids.append(task_id)
        return ids

    def counts(self, url="/tasks"):
        """The dashboard's live counts as {"total": n, "pending": n, "done": n}."""
        soup = parse(self.page(url))
        for message in soup.find_all(attrs={"role": "status"}):
            message.decompose()  # a flashed "Removed 1 done task." is not a count
        text = soup.get_text(" ", strip=True)
        found = {}
        for name in ("total", "pending", "done"):
            match = re.search(rf"(\d+) {name}\b", text)
            assert match, say('仪表盘上没有 "N {name}" 这样的计数。', 'The dashboard shows no count "N {name}".',
                              name=name)
            found[name] = int(match.group(1))
        return found

    def flashes(self):
        """The text of the flashed messages the dashboard shows now (role="status")."""
        soup = parse(self.page("/tasks"))
        return [tag.get_text(" ", strip=True) for tag in soup.find_all(attrs={"role": "status"})]

    @staticmethod
    def error_in(html):
        """The text of a form's error message (role="alert"), or None when the page shows none."""
        alert = parse(html).find(attrs={"role": "alert"})
        return alert.get_text(" ", strip=True) if alert else None
