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
    runner, app, args, password, again, message
):
    result = create_user(runner, *args, password=password, again=again)
    assert result.exit_code == 1
    assert message in result.output
    assert password not in result.output
    with sqlite3.connect(app.config["DATABASE"]) as db:
        assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_create_user_refuses_a_taken_name(runner, auth):
    auth.signup("ada")
    result = create_user(runner, "ADA")
    assert result.exit_code == 1
    assert "That username is already taken." in result.output
