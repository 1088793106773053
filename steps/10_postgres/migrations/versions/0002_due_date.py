"""Tasks get a due date: a new column, empty
for the tasks that exist, so that none is lost.

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# What step 09 kept in SQLite alone: triggers that
# counted the tasks and fed the full-text search.
STEP_09_TRIGGERS = (
    "counts_for_new_user",
    "count_added",
    "count_deleted",
    "count_toggled",
    "search_added",
    "search_deleted",
)


def upgrade():
    # nullable: the tasks already stored have no
    # due date, and a new task need not have one.
    # ADD COLUMN changes no row: on PostgreSQL it
    # is instant, whatever the number of tasks.
    op.add_column("tasks", sa.Column("due", sa.Date, nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        # A step 09 database (stamped 0001) still has its triggers:
        # the app now keeps the counts itself, in the same transaction
        # as each change, and they would count every task twice.
        for trigger in STEP_09_TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
        op.execute("DROP TABLE IF EXISTS tasks_search")


def downgrade():
    # batch: SQLite drops a column by copying the table without it.
    with op.batch_alter_table("tasks") as batch:
        batch.drop_column("due")
