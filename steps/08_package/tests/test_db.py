"""The database: one connection per request, closed
after it; the init-db and backup commands."""

import sqlite3

import pytest

from taskman.db import get_db


def test_one_connection_per_request_closed_afterwards(app):
    with app.app_context():
        db = get_db()
        assert db is get_db()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        db.execute("SELECT 1")


def test_init_db_command(runner, app):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert (
        f"Initialized the database at {app.config['DATABASE']}." in result.output
    )


def test_backup_copies_the_tasks(runner, tasks, tmp_path):
    tasks.add("Keep me")
    backup = tmp_path / "backup.db"
    result = runner.invoke(args=["backup", str(backup)])
    assert result.exit_code == 0
    assert "Backed up" in result.output
    with sqlite3.connect(backup) as copy:
        assert copy.execute("SELECT summary FROM tasks").fetchall() == [
            ("Keep me",)
        ]


def test_backup_into_a_missing_folder_says_so(runner, tmp_path):
    result = runner.invoke(
        args=["backup", str(tmp_path / "missing" / "backup.db")]
    )
    assert result.exit_code != 0
    assert "There is no folder" in result.output


def test_backup_onto_a_file_that_is_not_a_database_says_so(runner, tmp_path):
    target = tmp_path / "notes.db"
    target.write_text("not a database " * 100)
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code != 0
    assert "Cannot back up" in result.output
