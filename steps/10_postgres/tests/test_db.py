"""The database: chosen by DATABASE_URL, made by the
migrations; the init-db, backup and create-user commands."""

import os
import sqlite3

import pytest

from taskman import create_app
from taskman.models import db

on_sqlite_only = pytest.mark.skipif(
    bool(os.environ.get("TEST_DATABASE_URL")), reason="SQLite's backup command"
)


def test_without_database_url_the_tasks_go_to_a_sqlite_file(tmp_path, monkeypatch):
    monkeypatch.delenv("DATABASE_URL", raising=False)
    app = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "x" * 32,
            "DATABASE": str(tmp_path / "tasks.db"),
        }
    )
    assert app.config["SQLALCHEMY_DATABASE_URI"] == "sqlite:///" + str(
        tmp_path / "tasks.db"
    )
    with sqlite3.connect(tmp_path / "tasks.db") as made:
        tables = {
            name
            for (name,) in made.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
    assert {
        "users",
        "tasks",
        "task_counts",
        "login_failures",
        "alembic_version",
    } <= tables


def test_database_url_chooses_the_database_and_its_pool(tmp_path, monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgresql+psycopg://taskman:secret@127.0.0.1:1/taskman"
    )
    monkeypatch.setenv("DATABASE_POOL_SIZE", "3")
    with pytest.raises(
        SystemExit, match="Refusing to start: cannot use the database"
    ):
        create_app(
            {
                "TESTING": True,
                "SECRET_KEY": "x" * 32,
                "DATABASE": str(tmp_path / "tasks.db"),
            }
        )
    assert not (tmp_path / "tasks.db").exists()


def test_the_pool_size_comes_from_the_config(tmp_path, monkeypatch):
    monkeypatch.setenv(
        "DATABASE_URL", "postgresql+psycopg://taskman:secret@127.0.0.1:1/taskman"
    )
    from taskman.db import configure
    from flask import Flask

    app = Flask(__name__)
    app.config.update(
        DATABASE=str(tmp_path / "tasks.db"),
        DATABASE_POOL_SIZE=2,
        DATABASE_MAX_OVERFLOW=1,
    )
    configure(app)
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["pool_size"] == 2
    assert app.config["SQLALCHEMY_ENGINE_OPTIONS"]["max_overflow"] == 1


def test_one_session_per_request_removed_afterwards(app):
    with app.app_context():
        session = db.session()
        assert session is db.session()
    with app.app_context():
        assert db.session() is not session


def test_init_db_command_runs_the_migrations(runner, sql):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert "Initialized the database at" in result.output
    assert "secret" not in result.output  # a URL's password is never shown
    assert sql("SELECT version_num FROM alembic_version") == [("0003",)]


@on_sqlite_only
def test_backup_copies_the_tasks(runner, user, tasks, tmp_path):
    tasks.add("Keep me")
    backup = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0
    assert "Backed up" in result.output
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT summary FROM tasks").fetchall() == [
            ("Keep me",)
        ]


@on_sqlite_only
def test_backup_into_a_missing_folder_says_so(runner, tmp_path):
    result = runner.invoke(
        args=["backup", str(tmp_path / "missing" / "backup.db")]
    )
    assert result.exit_code != 0
    assert "There is no folder" in result.output


@on_sqlite_only
def test_backup_onto_a_file_that_is_not_a_database_says_so(runner, tmp_path):
    target = tmp_path / "notes.db"
    target.write_text("not a database " * 100)
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "Cannot back up" in result.output


def create_user(runner, *args, password="correct horse", again=None):
    """Run flask create-user, typing the password and its confirmation."""
    return runner.invoke(
        args=["create-user", *args], input=f"{password}\n{again or password}\n"
    )


def test_create_user_makes_an_account_one_can_sign_in_to(runner, auth, client):
    result = create_user(runner, "ada", "--email", "ada@example.com")
    assert result.exit_code == 0
    assert result.output.endswith("Created user ada.\n")
    assert "correct horse" not in result.output  # the password is never shown
    assert auth.login("ada").headers["Location"] == "/tasks"


@pytest.mark.parametrize(
    "args, password, again, message",
    [
        (["ada"], "short", None, "A password has 8 to 128 characters."),
        (["lovelace"], "Lovelace", None, "A password must not be the username."),
        (["ab"], "correct horse", None, "A username has 3 to 30 characters."),
        (
            ["ada", "--email", "nope"],
            "correct horse",
            None,
            "Enter an e-mail address such as ada@example.com.",
        ),
        (
            ["ada"],
            "correct horse",
            "another horse",
            "The two entered values do not match.",
        ),
    ],
)
def test_create_user_refuses_bad_input(
    runner, sql, args, password, again, message
):
    result = create_user(runner, *args, password=password, again=again)
    assert result.exit_code == 1
    assert message in result.output
    assert password not in result.output
    assert sql("SELECT count(*) FROM users") == [(0,)]


def test_create_user_refuses_a_taken_name(runner, auth):
    auth.signup("ada")
    result = create_user(runner, "ADA")
    assert result.exit_code == 1
    assert "That username is already taken." in result.output
