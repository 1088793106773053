"""How Alembic reaches the database when Flask-Migrate
runs the migrations: through the app's own engine."""

from alembic import context
from flask import current_app

db = current_app.extensions["migrate"].db


def run_migrations_offline():
    """`flask db upgrade --sql`: print the SQL instead
    of running it (for a DBA to read first)."""
    context.configure(
        url=db.engine.url.render_as_string(hide_password=False),
        target_metadata=db.metadata,
        literal_binds=True,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online():
    """Run the migrations on a connection of
    the app's engine, each in a transaction.

    render_as_batch: SQLite changes a table's columns by copying the
    table, which Alembic's "batch" operations do; `flask db migrate`
    then writes new migrations that work on SQLite and PostgreSQL alike.
    """
    with db.engine.connect() as connection:
        context.configure(
            connection=connection,
            target_metadata=db.metadata,
            render_as_batch=True,
        )
        with context.begin_transaction():
            context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
