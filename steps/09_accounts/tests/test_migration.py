"""A database made by step 07 or 08 is upgraded when the
app starts; create-user gives its tasks an owner."""

import sqlite3

import pytest

from taskman import create_app

# The tables of step 07 and step 08 (their schema.sql, without
# its comments): tasks with no owner, one row of counts, the
# search index, and users who signed up without a password.
STEP_08_SCHEMA = """
CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, summary TEXT NOT NULL,
    done INTEGER NOT NULL DEFAULT 0,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
CREATE INDEX tasks_newest_first ON tasks (created DESC, id DESC);
CREATE TABLE task_counts (id INTEGER PRIMARY KEY CHECK (id = 1),
    total INTEGER NOT NULL, done INTEGER NOT NULL);
INSERT INTO task_counts (id, total, done) VALUES (1, 0, 0);
CREATE TRIGGER count_added AFTER INSERT ON tasks BEGIN
    UPDATE task_counts SET total = total + 1, done = done + NEW.done;
END;
CREATE TRIGGER count_deleted AFTER DELETE ON tasks BEGIN
    UPDATE task_counts SET total = total - 1, done = done - OLD.done;
END;
CREATE TRIGGER count_toggled AFTER UPDATE OF done ON tasks BEGIN
    UPDATE task_counts SET done = done - OLD.done + NEW.done;
END;
CREATE VIRTUAL TABLE tasks_search USING fts5(
    summary, content='tasks', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2');
CREATE TRIGGER search_added AFTER INSERT ON tasks BEGIN
    INSERT INTO tasks_search (rowid, summary) VALUES (NEW.id, NEW.summary);
END;
CREATE TRIGGER search_deleted AFTER DELETE ON tasks BEGIN
    INSERT INTO tasks_search (tasks_search, rowid, summary)
        VALUES ('delete', OLD.id, OLD.summary);
END;
CREATE TABLE users (id INTEGER PRIMARY KEY AUTOINCREMENT, username TEXT NOT NULL,
    username_key TEXT NOT NULL UNIQUE, email TEXT NOT NULL,
    created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP);
"""


@pytest.fixture
def old_database(tmp_path):
    """A step 08 database with 12 tasks, 4 of them done,
    and Grace, who signed up without a password."""
    path = tmp_path / "tasks.db"
    with sqlite3.connect(path) as db:
        db.executescript(STEP_08_SCHEMA)
        db.executemany(
            "INSERT INTO tasks (summary, done) VALUES (?, ?)",
            [(f"Old task {number}", number % 3 == 0) for number in range(12)],
        )
        db.execute(
            "INSERT INTO users (username, username_key, email)"
            " VALUES ('Grace', 'grace', 'grace@example.com')"
        )
    return path


@pytest.fixture
def old_app(old_database):
    """The app, started on the old database: that upgrades it."""
    return create_app(
        {
            "TESTING": True,
            "SECRET_KEY": "a-secret-for-the-tests-that-is-long-enough",
            "DATABASE": str(old_database),
            "PASSWORD_HASH_METHOD": "pbkdf2:sha256:1000",
        }
    )


def create_user(app, *args, password="correct horse", again=None):
    """Run flask create-user, typing the password and its confirmation."""
    return app.test_cli_runner().invoke(
        args=["create-user", *args], input=f"{password}\n{again or password}\n"
    )


def test_the_upgrade_keeps_every_task_and_numbers_the_schema(
    old_app, old_database
):
    with sqlite3.connect(old_database) as db:
        assert db.execute("PRAGMA user_version").fetchone()[0] == 2
        assert db.execute("SELECT count(*) FROM unowned_tasks").fetchone()[0] == 12
        # No task can be stored without an owner any more.
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO tasks (summary) VALUES ('No owner')")


def test_starting_again_upgrades_nothing(old_app, old_database):
    create_app(old_app.config)
    with sqlite3.connect(old_database) as db:
        assert db.execute("SELECT count(*) FROM unowned_tasks").fetchone()[0] == 12


def test_unowned_tasks_are_seen_by_nobody(old_app):
    client = old_app.test_client()
    token = (
        client.get("/signup")
        .get_data(as_text=True)
        .split('name="csrf_token" value="')[1]
        .split('"')[0]
    )
    client.post(
        "/signup",
        data={
            "csrf_token": token,
            "username": "eve",
            "email": "eve@example.com",
            "password": "correct horse",
        },
    )
    assert client.get("/api/tasks").get_json() == []
    assert "No results." in client.get("/search?q=old").get_data(as_text=True)
    assert client.get("/tasks/1").status_code == 404
    # An account made on the site takes none of
    # them: the operator's create-user does.
    assert (
        "12 tasks from the old database now belong to ada."
        in create_user(old_app, "ada").output
    )


def sign_in(app, username):
    """A client of the app, signed in as username (password "correct horse")."""
    client = app.test_client()
    token = (
        client.get("/login")
        .get_data(as_text=True)
        .split('name="csrf_token" value="')[1]
        .split('"')[0]
    )
    client.post(
        "/login",
        data={
            "csrf_token": token,
            "username": username,
            "password": "correct horse",
        },
    )
    return client


def test_the_first_account_adopts_the_old_tasks(old_app):
    result = create_user(old_app, "ada")
    assert result.exit_code == 0
    assert (
        "Created user ada; 12 tasks from the old database now belong to ada."
        in result.output
    )
    client = sign_in(old_app, "ada")
    html = client.get("/tasks").get_data(as_text=True)
    assert (
        "<strong>12</strong> total" in html and "<strong>4</strong> done" in html
    )
    assert client.get("/tasks/1").status_code == 200  # the old numbers are kept
    # And indexed for search
    assert "12 results" in client.get("/search?q=old").get_data(as_text=True)
    # The next account gets none of them.
    assert create_user(old_app, "bob").output.endswith("Created user bob.\n")


def test_a_new_task_is_numbered_after_the_old_ones(old_app):
    create_user(old_app, "ada")
    client = sign_in(old_app, "ada")
    token = (
        client.get("/tasks")
        .get_data(as_text=True)
        .split('name="csrf_token" value="')[1]
        .split('"')[0]
    )
    client.post("/tasks", data={"csrf_token": token, "summary": "New task"})
    newest = client.get("/api/tasks").get_json()[0]
    assert (newest["id"], newest["summary"]) == (13, "New task")


def test_someone_who_signed_up_without_a_password_gets_one(old_app):
    # No password: no sign-in
    assert sign_in(old_app, "grace").get("/tasks").status_code == 302
    result = create_user(old_app, "grace")
    assert result.exit_code == 0
    assert result.output.splitlines()[-1] == (
        "Set a password for Grace, who signed up before accounts had"
        " passwords; 12 tasks from the old database now belong to Grace."
    )
    assert sign_in(old_app, "grace").get("/tasks").status_code == 200


def test_a_failed_upgrade_changes_nothing(tmp_path):
    # A database the upgrade does not know (step 06's: tasks,
    # and no counts or search tables) stops the app with one
    # line, and the one transaction leaves it exactly as it was.
    path = tmp_path / "tasks.db"
    with sqlite3.connect(path) as db:
        db.execute(
            "CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT,"
            " summary TEXT NOT NULL,"
            " done INTEGER NOT NULL DEFAULT 0,"
            " created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)"
        )
        db.execute("INSERT INTO tasks (summary) VALUES ('Keep me')")
    with pytest.raises(SystemExit, match="cannot use the database"):
        create_app({"SECRET_KEY": "x" * 32, "DATABASE": str(path)})
    with sqlite3.connect(path) as db:
        assert db.execute("SELECT summary FROM tasks").fetchall() == [("Keep me",)]
        assert db.execute("SELECT name FROM sqlite_master").fetchall() == [
            ("tasks",),
            ("sqlite_sequence",),
        ]
        assert db.execute("PRAGMA user_version").fetchone()[0] == 0
