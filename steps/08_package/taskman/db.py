"""The database: one connection per request, the
tables, and the init-db and backup commands."""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
from flask import current_app, g
from flask.cli import with_appcontext


def get_db():
    """Return this request's database connection, opening it on first use."""
    if "db" not in g:
        path = current_app.config["DATABASE"]
        os.makedirs(os.path.dirname(os.path.abspath(path)), exist_ok=True)
        # timeout: a worker waits up to 10 s for
        # another worker's write instead of failing.
        g.db = sqlite3.connect(path, timeout=10)
        g.db.row_factory = sqlite3.Row
        # With WAL, NORMAL waits for the disk at checkpoints
        # rather than at every commit: much faster, and a
        # crash of the app still loses nothing it committed.
        g.db.execute("PRAGMA synchronous = NORMAL")
        # Creating the tables here works however the app is started.
        create_schema(g.db)
    return g.db


def create_schema(db):
    """Create the tables if they do not exist
    yet; safe to run any number of times."""
    # The script writes (it fills task_counts), and a write waits
    # for every other worker's writes: run it only when the
    # database lacks the tables (users is the last one it makes).
    if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'users'").fetchone():
        return
    # WAL lets readers go on while one worker
    # writes: no "database is locked" (Pitfall 8).
    # The database file remembers it, so it is set once, with the tables.
    db.execute("PRAGMA journal_mode = WAL")
    with current_app.open_resource("schema.sql") as f:
        db.executescript(f.read().decode("utf-8"))


def close_db(exception=None):
    """Close this request's connection, whatever happened during the request."""
    db = g.pop("db", None)
    if db is not None:
        db.close()


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the database and its tables."""
    create_schema(get_db())
    click.echo(f"Initialized the database at {current_app.config['DATABASE']}.")


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Copy the database to PATH, safely, even while the app is writing to it."""
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise click.ClickException(
            f"There is no folder {folder}: create it first."
        )
    # The copy holds every task: only its owner may read or write it (mode 0600).
    Path(path).touch(mode=0o600)
    os.chmod(path, 0o600)
    # SQLite's online backup API copies a consistent snapshot, page by page.
    try:
        with closing(sqlite3.connect(path)) as target:
            get_db().backup(target)
    except sqlite3.Error as error:
        raise click.ClickException(f"Cannot back up to {path}: {error}.") from None
    click.echo(f"Backed up {current_app.config['DATABASE']} to {path}.")


def init_app(app):
    """Register the teardown and the commands
    with the app, and create its database now.

    The database is made when the app is made, too. gunicorn makes
    the app once, in its master process (preload_app), before any
    worker exists: four new workers switching a new database to
    WAL at the same moment could fail with "database is locked".
    A database that cannot be opened (a folder, a file
    that is not SQLite) stops the app with one line.
    """
    app.teardown_appcontext(close_db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(backup_command)
    try:
        with app.app_context():
            get_db()
    except (sqlite3.Error, OSError) as error:
        raise SystemExit(
            "Refusing to start: cannot use the database"
            f" {app.config['DATABASE']} ({error});"
            " set APP_DATABASE to a file in a folder the app can write to"
        ) from None
