"""The tables of step 09: users, their tasks,
their counts, and the failed sign-ins.

A database made by step 09 already has them:
`flask --app taskman db upgrade` stamps it with this revision instead of
running it (taskman/db.py), then runs the migrations that come after it.

Revision ID: 0001
Revises:
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade():
    # sqlite_autoincrement: as in step 09, SQLite
    # never gives a number again once it was used.
    op.create_table(
        "users",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(30), nullable=False),
        sa.Column("username_key", sa.String(30), nullable=False, unique=True),
        sa.Column("email", sa.String(254), nullable=False),
        sa.Column(
            "created",
            sa.DateTime,
            nullable=False,
            server_default=sa.func.current_timestamp(),
        ),
        sa.Column("password_hash", sa.String(255)),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "tasks",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("summary", sa.String(300), nullable=False),
        sa.Column("done", sa.Boolean, nullable=False, server_default=sa.false()),
        sa.Column(
            "created",
            sa.DateTime,
            nullable=False,
            server_default=sa.func.current_timestamp(),
        ),
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sqlite_autoincrement=True,
    )
    op.create_index(
        "tasks_newest_first",
        "tasks",
        ["user_id", sa.text("created DESC"), sa.text("id DESC")],
    )
    op.create_table(
        "task_counts",
        sa.Column(
            "user_id",
            sa.Integer,
            sa.ForeignKey("users.id", ondelete="CASCADE"),
            primary_key=True,
        ),
        sa.Column("total", sa.Integer, nullable=False),
        sa.Column("done", sa.Integer, nullable=False),
    )
    op.create_table(
        "login_failures",
        sa.Column("key", sa.String(300), nullable=False),
        sa.Column("at", sa.Float, nullable=False),
    )
    op.create_index("login_failures_by_key", "login_failures", ["key", "at"])


def downgrade():
    op.drop_table("login_failures")
    op.drop_table("task_counts")
    op.drop_table("tasks")
    op.drop_table("users")
