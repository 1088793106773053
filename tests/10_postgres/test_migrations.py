"""The schema is made and changed by Flask-Migrate's migrations: from an empty database, and from a database of
step 09 (made by step 09's own app), on SQLite and PostgreSQL; the second migration adds a column, losing nothing."""
import sqlite3
import subprocess
from contextlib import closing

import psycopg
import pytest

from support import ROOT, expects, load_app_module
from support.accounts import Account
from support.messages import expect, migration_mistake
from support.servers import python

pytestmark = pytest.mark.concept("migrations with Flask-Migrate", "migrations", zh="用 Flask-Migrate 做迁移")

FIRST = "0001"

expects.command("flask --app taskman db upgrade", f"flask --app taskman db downgrade {FIRST}",
                "flask --app taskman db current")
expects.env("DATABASE_URL")


def newest(app_dir):
    """The newest migration of the folder's migrations/ (0003 in the course's step; a student may add more)."""
    from alembic.script import ScriptDirectory

    return ScriptDirectory(str(app_dir / "migrations")).get_current_head()


def flask_db(app_dir, env, *args):
    """Run `flask --app taskman db ARGS` in the step's folder, as the operator does; its output."""
    result = subprocess.run([python(), "-m", "flask", "--app", "taskman", "db", *args], cwd=app_dir, env=env,
                            capture_output=True, text=True, timeout=120)
    # A migration the database refuses, named: a NOT NULL column with no default, tables made by db.create_all().
    mistake = migration_mistake(result.stdout + result.stderr) if result.returncode else None
    if mistake:
        raise mistake
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout + result.stderr


def on_postgres(url, statement):
    """The rows of one statement on PostgreSQL."""
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        cursor = connection.execute(statement)
        return cursor.fetchall() if cursor.description else []


@pytest.fixture
def empty_postgres(postgres):
    """A new, empty PostgreSQL database for this test: its URL."""
    return postgres.url(postgres.create_database())


def test_from_an_empty_postgresql_database_the_migrations_make_every_table(app_dir, clean_env, empty_postgres):
    env = dict(clean_env, DATABASE_URL=empty_postgres)
    flask_db(app_dir, env, "upgrade")
    tables = {name for (name,) in on_postgres(empty_postgres, "SELECT tablename FROM pg_tables WHERE schemaname = 'public'")}
    assert {"users", "tasks", "task_counts", "login_failures", "alembic_version"} <= tables
    assert on_postgres(empty_postgres, "SELECT version_num FROM alembic_version") == [(newest(app_dir),)]
    assert newest(app_dir) in flask_db(app_dir, env, "current")


def test_the_due_date_migration_keeps_every_task_down_and_up_again(app_dir, clean_env, empty_postgres, fresh_import):
    """Pitfall 20: db.create_all() makes a missing table but never adds a column to one that exists; a migration
    does, and the tasks already there stay (their due date empty).

    陷阱 20：db.create_all() 只建缺少的表，从不给已有的表加列；迁移会加，已有的任务都还在（截止日期为空）。"""
    env = dict(clean_env, DATABASE_URL=empty_postgres)
    flask_db(app_dir, env, "upgrade", FIRST)  # step 09's tables, in PostgreSQL
    on_postgres(empty_postgres, "INSERT INTO users (username, username_key, email) VALUES ('Ada', 'ada', 'a@example.com')")
    on_postgres(empty_postgres, "INSERT INTO task_counts (user_id, total, done) VALUES (1, 3, 1)")
    on_postgres(empty_postgres, "INSERT INTO tasks (summary, done, user_id) VALUES ('one', true, 1), ('two', false, 1),"
                                " ('three', false, 1)")
    flask_db(app_dir, env, "upgrade")
    assert on_postgres(empty_postgres, "SELECT summary, due FROM tasks ORDER BY id") == [
        ("one", None), ("two", None), ("three", None)]
    flask_db(app_dir, env, "downgrade", FIRST)
    columns = {name for (name,) in on_postgres(
        empty_postgres, "SELECT column_name FROM information_schema.columns WHERE table_name = 'tasks'")}
    assert "due" not in columns and on_postgres(empty_postgres, "SELECT count(*) FROM tasks") == [(3,)]
    flask_db(app_dir, env, "upgrade")
    assert on_postgres(empty_postgres, "SELECT count(*), count(due) FROM tasks") == [(3, 0)]


@pytest.fixture
def step_09_database(tmp_path, monkeypatch, app_env):
    """A database made by step 09's own app, and used: Ada with 5 tasks (2 of them done), Bob with 1."""
    path = tmp_path / "tasks.db"
    monkeypatch.setenv("APP_DATABASE", str(path))
    old = load_app_module(ROOT / "steps" / "09_accounts").app
    old.config.update(TESTING=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    ada, bob = Account(old, "ada"), Account(old, "bob")
    ids = ada.add_all(*[f"Ada's task {number}" for number in range(5)])
    ada.toggle(ids[0])
    ada.toggle(ids[3])
    bob.add("Bob's task")
    return path


def test_step_10_on_a_step_09_database_stamps_it_then_adds_the_due_date(step_09_database, fresh_import, app_dir):
    app = fresh_import(APP_DATABASE=str(step_09_database)).app  # starting the app upgrades a SQLite database
    app.config.update(TESTING=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    with closing(sqlite3.connect(step_09_database)) as upgraded:
        tables = {name for (name,) in upgraded.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        expect("alembic_version" in tables, "create-all",
               what="应用在第 09 步的数据库上启动之后，数据库里还是没有 alembic_version",
               what_en="after the app started on a database of step 09, the database still has no alembic_version")
        assert upgraded.execute("SELECT version_num FROM alembic_version").fetchall() == [(newest(app_dir),)]
        assert upgraded.execute("SELECT count(*), count(due) FROM tasks").fetchone() == (6, 0)
    ada = Account(app, "ada")  # signs in with the password of step 09
    assert ada.counts() == {"total": 5, "pending": 3, "done": 2}
    ada.add("After the upgrade")
    ada.toggle(ada.ids_shown()[0])
    assert ada.counts() == {"total": 6, "pending": 3, "done": 3}, "Each change must be counted once, not twice"
    assert Account(app, "bob").counts() == {"total": 1, "pending": 1, "done": 0}
