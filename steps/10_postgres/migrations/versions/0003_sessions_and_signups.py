"""Accounts get a session id that signing out changes,
and sign-ups are counted: a column and a table.

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-07
"""

import secrets

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    bind = op.get_bind()
    inspector = sa.inspect(bind)
    # A step 09 database of its second version (PRAGMA
    # user_version 2) has both already: it was stamped 0001,
    # like every step 09 database, and its session ids are kept.
    if "session_id" not in {
        column["name"] for column in inspector.get_columns("users")
    }:
        op.add_column(
            "users", sa.Column("session_id", sa.String(32), nullable=True)
        )
        # Every account gets one: the cookies signed before, which held
        # a user's id, name nobody now, so everyone signs in once more.
        users = sa.table(
            "users",
            sa.column("id", sa.Integer),
            sa.column("session_id", sa.String),
        )
        for (user_id,) in bind.execute(sa.select(users.c.id)).all():
            bind.execute(
                users.update()
                .where(users.c.id == user_id)
                .values(session_id=secrets.token_hex(16))
            )
        op.create_index(
            "users_by_session_id", "users", ["session_id"], unique=True
        )
    if "signups" not in inspector.get_table_names():
        op.create_table(
            "signups",
            sa.Column("key", sa.String(300), nullable=False),
            sa.Column("at", sa.Float, nullable=False),
        )
        op.create_index("signups_by_key", "signups", ["key", "at"])


def downgrade():
    op.drop_table("signups")
    op.drop_index("users_by_session_id", table_name="users")
    # Not in batch mode: SQLite would copy the users table and drop the
    # old one, and with foreign keys on, dropping it deletes every task
    # (ON DELETE CASCADE). SQLite 3.35 and later drop a column in place.
    op.drop_column("users", "session_id")
