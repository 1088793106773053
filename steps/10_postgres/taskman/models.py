"""The tables as Python classes (Flask-SQLAlchemy models):
users, their tasks, their counts, failed sign-ins.

The same models run on SQLite and on PostgreSQL: SQLAlchemy writes the
SQL each one speaks. The tables themselves are made and changed by the
migrations in migrations/ (Flask-Migrate), never by db.create_all().
"""

import datetime

from flask_login import UserMixin
from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import (
    Column,
    Float,
    ForeignKey,
    Index,
    String,
    Table,
    false,
    func,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

# The extension is made once, without an app; db.init_app()
# attaches it to each app create_app() makes.
db = SQLAlchemy()


class User(UserMixin, db.Model):
    """An account. username_key is the name normalized and case folded
    (auth.username_key): UNIQUE makes "Ada", "ada" and "ａｄａ" one account.

    password_hash holds a salted, slow hash of the password (auth.py),
    never the password; NULL only for someone who signed up in step 07
    or 08, who gets one from `flask --app taskman create-user NAME`.
    session_id is what a signed-in browser's cookie holds
    (auth.load_user): a new one at each sign-out makes every old
    cookie of the account worthless. Added by the third migration.
    """

    __tablename__ = "users"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(30))
    username_key: Mapped[str] = mapped_column(String(30), unique=True)
    email: Mapped[str] = mapped_column(String(254))
    created: Mapped[datetime.datetime] = mapped_column(
        server_default=func.current_timestamp()
    )
    password_hash: Mapped[str | None] = mapped_column(String(255))
    session_id: Mapped[str | None] = mapped_column(String(32), unique=True)

    def get_id(self):
        """What the session cookie holds: the user's session
        id, not the user's id (see auth.load_user)."""
        return self.session_id


class Task(db.Model):
    """One task, owned by one user: user_id is
    NOT NULL and must name an existing user."""

    __tablename__ = "tasks"
    id: Mapped[int] = mapped_column(primary_key=True)
    summary: Mapped[str] = mapped_column(String(300))
    done: Mapped[bool] = mapped_column(default=False, server_default=false())
    created: Mapped[datetime.datetime] = mapped_column(
        server_default=func.current_timestamp()
    )
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE")
    )
    # Added by the second migration: the day the task is due, if it has one.
    due: Mapped[datetime.date | None]
    # The dashboard reads one page of one user's tasks at a time,
    # newest first: this index hands the database that user's rows
    # already in that order, so it never sorts the whole table.
    __table_args__ = (
        Index(
            "tasks_newest_first", "user_id", text("created DESC"), text("id DESC")
        ),
    )


class TaskCount(db.Model):
    """How many tasks a user has and how many are done, kept up to
    date by the app (tasks.py) in the same transaction as every change
    to that user's tasks: reading it costs the same at any size."""

    __tablename__ = "task_counts"
    user_id: Mapped[int] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), primary_key=True
    )
    total: Mapped[int]
    done: Mapped[int]


# Failed sign-in attempts, kept LOGIN_WINDOW seconds (auth.py), three
# rows each: key is "account:" and the username's key, "address:" and
# the visitor's address, and both together. In the database, every
# worker of every app server counts the same attempts. A plain table,
# not a model: rows are only added, counted and deleted.
login_failures = Table(
    "login_failures",
    db.metadata,
    Column("key", String(300), nullable=False),
    Column("at", Float, nullable=False),
    Index("login_failures_by_key", "key", "at"),
)

# Sign-ups, accepted or not, kept SIGNUP_WINDOW
# seconds: key is "address:" and the visitor's address.
# Added by the third migration.
signups = Table(
    "signups",
    db.metadata,
    Column("key", String(300), nullable=False),
    Column("at", Float, nullable=False),
    Index("signups_by_key", "key", "at"),
)
