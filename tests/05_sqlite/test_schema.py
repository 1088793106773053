"""The schema is created idempotently: by `flask init-db` any number of times, and by the first request."""
import sqlite3
from contextlib import closing

import pytest

from support import expects

pytestmark = pytest.mark.concept("creating the schema", "schema", zh="创建数据库表结构")


def tables_in(path):
    """The names of the tables in a database file."""
    with closing(sqlite3.connect(path)) as db:
        return {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}


def test_init_db_creates_the_tasks_table_and_says_where(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0, result.output
    database = app.config["DATABASE"]
    assert result.output == expects.text(f"Initialized the database at {database}.") + "\n"
    assert "tasks" in tables_in(app.config["DATABASE"])


def test_init_db_can_run_again_and_keeps_the_tasks(app, runner, tasks):
    """CREATE TABLE IF NOT EXISTS: running init-db twice is harmless and deletes nothing."""
    assert tasks.add("Keep me").status_code == 302
    for _ in range(2):
        result = runner.invoke(args=["init-db"])
        assert result.exit_code == 0, result.output
        assert app.config["DATABASE"] in result.output
    assert tasks.summaries() == ["Keep me"]


@pytest.mark.parametrize("url, status", [("/tasks", 200), ("/search?q=flask", 200), ("/tasks/1", 404)])
def test_first_request_on_a_fresh_database_works_without_init_db(app, client, tmp_path, url, status):
    """Pitfall 1: gunicorn never runs the `if __name__ == "__main__":` block, so the schema must not live there.

    陷阱 1：gunicorn 从不运行 `if __name__ == "__main__":` 代码块，所以建表代码不能放在那里。

    The database is in a folder that does not exist yet, like instance/ in a fresh clone.
    """
    app.config["DATABASE"] = str(tmp_path / "instance" / "tasks.db")
    assert client.get(url).status_code == status
    assert "tasks" in tables_in(app.config["DATABASE"])


def test_first_task_on_a_fresh_database_is_stored_without_init_db(app, tasks, tmp_path):
    """Pitfall 1: adding the very first task works on a database nobody initialised.

    陷阱 1：在没有人初始化过的数据库上，添加第一个任务也能成功。
    """
    app.config["DATABASE"] = str(tmp_path / "instance" / "tasks.db")
    assert tasks.add("The very first task").status_code == 302
    assert tasks.summaries() == ["The very first task"]
