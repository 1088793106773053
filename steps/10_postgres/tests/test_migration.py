"""The migrations: from an empty database, from a database
of step 09, and the due date added without loss."""

import sqlite3

import flask_migrate
import pytest
from sqlalchemy import inspect

from taskman import create_app
from taskman.models import db

# The tables of step 09 (its schema.sql, without its comments and
# search index): no alembic_version, and triggers that kept the counts.
STEP_09_SCHEMA = """
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE, email TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP, password_hash TEXT);
CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, summary TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP,
    user_id INTEGER NOT NULL REFERENCES users (id) ON DELETE CASCADE);
CREATE INDEX tasks_newest_first ON tasks (user_id, created DESC, id DESC);
CREATE TABLE task_counts (
    user_id INTEGER PRIMARY KEY REFERENCES users (id) ON DELETE CASCADE,
    total INTEGER NOT NULL, done INTEGER NOT NULL);
CREATE TRIGGER counts_for_new_user AFTER INSERT ON users BEGIN
    INSERT INTO task_counts (user_id, total, done) VALUES (NEW.id, 0, 0);
END;
CREATE TRIGGER count_added AFTER INSERT ON tasks BEGIN
    UPDATE task_counts SET total = total + 1, done = done + NEW.done
        WHERE user_id = NEW.user_id;
END;
CREATE TABLE login_failures (key TEXT NOT NULL, at REAL NOT NULL);
CREATE INDEX login_failures_by_key ON login_failures (key, at);
"""
CONFIG = {
    "TESTING": True,
    "SECRET_KEY": "a-secret-for-the-tests-that-is-long-enough",
    "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
}


@pytest.fixture
def step_09_database(tmp_path):
    """A step 09 database: Ada, with 12 tasks, 4 of
    them done (her counts kept by the triggers)."""
    path = tmp_path / "tasks.db"
    with sqlite3.connect(path) as old:
        old.executescript(STEP_09_SCHEMA)
        old.execute(
            "INSERT INTO users (username, username_key, email, password_hash)"
            " VALUES ('Ada', 'ada', 'ada@example.com', NULL)"
        )
        old.executemany(
            "INSERT INTO tasks (summary, done, user_id) VALUES (?, ?, 1)",
            [(f"Old task {number}", number % 3 == 0) for number in range(12)],
        )
    return path


def start(path):
    """The app, started on the database at path (which brings it up to date)."""
    return create_app(
        {
            **CONFIG,
            "DATABASE": str(path),
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
        }
    )


@pytest.fixture
def app(step_09_database):
    """This module's app runs on the step 09
    database (instead of conftest.py's new one)."""
    return start(step_09_database)


def test_the_app_on_a_step_09_database_stamps_it_then_adds_the_due_date(
    app, step_09_database
):
    with sqlite3.connect(step_09_database) as upgraded:
        assert upgraded.execute(
            "SELECT version_num FROM alembic_version"
        ).fetchall() == [("0003",)]
        # Every account got a session id of its own.
        assert upgraded.execute(
            "SELECT length(session_id) FROM users"
        ).fetchall() == [(32,)]
        assert upgraded.execute(
            "SELECT count(*), sum(done), count(due) FROM tasks"
        ).fetchone() == (12, 4, 0)
        assert upgraded.execute(
            "SELECT total, done FROM task_counts"
        ).fetchall() == [(12, 4)]
        # The triggers of step 09 are gone: the app keeps
        # the counts now, and they would count twice.
        assert (
            upgraded.execute(
                "SELECT name FROM sqlite_master WHERE type = 'trigger'"
            ).fetchall()
            == []
        )


def test_after_the_upgrade_each_new_task_is_counted_once(runner, auth, tasks, sql):
    # Ada signed up before step 09 gave accounts
    # passwords: create-user gives her one.
    assert (
        runner.invoke(
            args=["create-user", "ada"], input="correct horse\ncorrect horse\n"
        ).exit_code
        == 0
    )
    auth.login("ada")
    assert (
        tasks.post(
            "/tasks", {"summary": "A new one", "due": "2026-12-31"}
        ).status_code
        == 302
    )
    assert sql("SELECT total, done FROM task_counts") == [(13, 4)]
    assert sql("SELECT due FROM tasks WHERE summary = 'A new one'") == [
        ("2026-12-31",)
    ]


def test_starting_again_runs_no_migration(app, step_09_database, sql):
    again = start(step_09_database)
    with again.app_context():
        assert {
            column["name"] for column in inspect(db.engine).get_columns("tasks")
        } >= {"due"}
    assert sql("SELECT version_num FROM alembic_version") == [("0003",)]
    assert sql("SELECT count(*) FROM tasks") == [(12,)]


def test_the_due_date_migration_goes_down_and_up_again_keeping_every_task(
    app, sql
):
    with app.app_context():
        flask_migrate.downgrade(revision="0001")
        assert "due" not in {
            column["name"] for column in inspect(db.engine).get_columns("tasks")
        }
    assert sql("SELECT count(*) FROM tasks") == [(12,)]
    with app.app_context():
        flask_migrate.upgrade()
    assert sql("SELECT count(*), count(due) FROM tasks") == [(12, 0)]


def test_a_step_09_database_with_session_ids_keeps_them(tmp_path):
    """Step 09's second version has the session ids and the
    sign-ups' table already: 0003 adds neither again."""
    path = tmp_path / "tasks.db"
    with sqlite3.connect(path) as old:
        old.executescript(STEP_09_SCHEMA)
        old.executescript(
            "ALTER TABLE users ADD COLUMN session_id TEXT;"
            " CREATE TABLE signups (key TEXT, at REAL);"
        )
        old.execute(
            "INSERT INTO users"
            " (username, username_key, email, password_hash, session_id)"
            " VALUES ('Ada', 'ada', 'ada@example.com', NULL, 'ada-session')"
        )
    start(path)
    with sqlite3.connect(path) as upgraded:
        assert upgraded.execute(
            "SELECT version_num FROM alembic_version"
        ).fetchall() == [("0003",)]
        assert upgraded.execute("SELECT session_id FROM users").fetchall() == [
            ("ada-session",)
        ]


def test_the_session_ids_migration_goes_down_and_up_again(app, sql):
    with app.app_context():
        flask_migrate.downgrade(revision="0002")
        assert "session_id" not in {
            column["name"] for column in inspect(db.engine).get_columns("users")
        }
        flask_migrate.upgrade()
    assert sql("SELECT count(*), count(session_id) FROM users") == [(1, 1)]
