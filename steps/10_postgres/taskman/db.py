"""The database: which one (DATABASE_URL), its connection
pool, its migrations, and the init-db and backup commands."""

import os
import sqlite3
from contextlib import closing
from pathlib import Path

import click
import flask_migrate
import sqlalchemy as sa
from flask import current_app
from flask.cli import with_appcontext

from .models import db

# The migrations (Flask-Migrate, made with Alembic) live beside
# the package: migrations/versions/ holds one file per change of
# the tables, in order. 0001 makes step 09's tables; 0002 adds the
# tasks' due date; 0003 the session ids and the sign-ups' table.
MIGRATIONS = Path(__file__).resolve().parent.parent / "migrations"
migrate = flask_migrate.Migrate(directory=str(MIGRATIONS))
# The revision whose tables step 09 made itself (from
# schema.sql): a step 09 database is "stamped" with it.
STEP_09_REVISION = "0001"


def configure(app):
    """Choose the database from DATABASE_URL (PostgreSQL
    in production), else SQLite in the instance folder.

    postgresql+psycopg://USER:PASSWORD@HOST/NAME uses psycopg 3. Unset, the
    app keeps its data in a SQLite file (APP_DATABASE, or instance/tasks.db):
    nothing to install on a laptop, and the same code runs.
    """
    url = app.config.get("SQLALCHEMY_DATABASE_URI") or os.environ.get(
        "DATABASE_URL"
    )
    if not url:
        os.makedirs(
            os.path.dirname(os.path.abspath(app.config["DATABASE"])), exist_ok=True
        )
        url = "sqlite:///" + os.path.abspath(app.config["DATABASE"])
    app.config["SQLALCHEMY_DATABASE_URI"] = url
    # A connection the server closed (a restart) is replaced, not used
    options = {"pool_pre_ping": True}
    if not url.startswith("sqlite"):
        # Each gunicorn worker has a pool of its own:
        # up to pool size + overflow connections each.
        # PostgreSQL refuses connections past its max_connections (100
        # by default), so check that workers x servers x
        # (DATABASE_POOL_SIZE + DATABASE_MAX_OVERFLOW) stays below it:
        # 4 workers x 2 servers x (5 + 5) = 80 here. A sync worker
        # serves one request at a time and needs one connection; a
        # larger pool only holds connections that nothing uses.
        options["pool_size"] = int(
            app.config.get(
                "DATABASE_POOL_SIZE", os.environ.get("DATABASE_POOL_SIZE", "5")
            )
        )
        options["max_overflow"] = int(
            app.config.get(
                "DATABASE_MAX_OVERFLOW",
                os.environ.get("DATABASE_MAX_OVERFLOW", "5"),
            )
        )
    app.config.setdefault("SQLALCHEMY_ENGINE_OPTIONS", options)


def is_sqlite():
    """Tell whether this app keeps its data in SQLite (no DATABASE_URL)."""
    return db.engine.dialect.name == "sqlite"


def sqlite_settings(connection, record):
    """On every new SQLite connection: WAL-friendly
    syncing, a wait for other writers, and foreign keys."""
    with closing(connection.cursor()) as cursor:
        # WAL lets readers go on while one worker writes (the
        # file remembers it; asking again costs nothing).
        cursor.execute("PRAGMA journal_mode = WAL")
        # With WAL, NORMAL waits for the disk at
        # checkpoints rather than at every commit.
        cursor.execute("PRAGMA synchronous = NORMAL")
        # A worker waits up to 10 s for another worker's write instead of failing.
        cursor.execute("PRAGMA busy_timeout = 10000")
        # SQLite checks REFERENCES (a task's owner must
        # exist) only when asked, on each connection.
        cursor.execute("PRAGMA foreign_keys = ON")


def upgrade():
    """Run the migrations that this database has
    not had yet (`flask db upgrade` does the same).

    A step 09 database has its tables but no record of migrations
    (alembic_version): it is first stamped as revision 0001, whose
    tables it already has, and then gets the migrations after it.
    """
    tables = sa.inspect(db.engine).get_table_names()
    if "users" in tables and "alembic_version" not in tables:
        flask_migrate.stamp(revision=STEP_09_REVISION)
    flask_migrate.upgrade()


@click.command("init-db")
@with_appcontext
def init_db_command():
    """Create the database's tables, or bring them up
    to date: the migrations, never db.create_all()."""
    upgrade()
    click.echo(
        "Initialized the database at"
        f" {db.engine.url.render_as_string(hide_password=True)}."
    )


@click.command("backup")
@with_appcontext
@click.argument("path", type=click.Path(dir_okay=False))
def backup_command(path):
    """Copy the SQLite database to PATH, safely,
    even while the app is writing to it."""
    if not is_sqlite():
        raise click.ClickException(
            "This database is PostgreSQL: back it up with pg_dump (see README.md)."
        )
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
        with (
            closing(sqlite3.connect(current_app.config["DATABASE"])) as source,
            closing(sqlite3.connect(path)) as target,
        ):
            source.backup(target)
    except sqlite3.Error as error:
        raise click.ClickException(f"Cannot back up to {path}: {error}.") from None
    click.echo(f"Backed up {current_app.config['DATABASE']} to {path}.")


def init_app(app):
    """Attach the database and its migrations
    to the app, and register the commands.

    With SQLite (on one machine), the app brings its database up to date when it
    is made: gunicorn makes it once, in its master process (preload_app), before
    any worker exists. With PostgreSQL, several app servers start at once: the
    operator runs `flask --app taskman db upgrade` once, before starting them
    (compose.yaml's migrate service, deploy/taskman-migrate.service).
    A database that cannot be opened stops the app with one line.
    """
    configure(app)
    db.init_app(app)
    migrate.init_app(app, db)
    app.cli.add_command(init_db_command)
    app.cli.add_command(backup_command)
    with app.app_context():
        if is_sqlite():
            sa.event.listen(db.engine, "connect", sqlite_settings)
        try:
            if is_sqlite():
                upgrade()
            with db.engine.connect() as connection:
                connection.execute(sa.text("SELECT 1"))
        except (sa.exc.SQLAlchemyError, OSError) as error:
            shown = db.engine.url.render_as_string(hide_password=True)
            raise SystemExit(
                "Refusing to start: cannot use the database"
                f" {shown} ({error.__class__.__name__});"
                " set APP_DATABASE to a file in a folder the app can write to,"
                " or DATABASE_URL"
                " to a PostgreSQL server that answers"
            ) from None
        # gunicorn forks its workers from this process: a connection
        # opened here must not be shared by them, so the pool is
        # emptied; each worker opens connections of its own.
        db.engine.dispose()
