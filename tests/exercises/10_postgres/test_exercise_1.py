"""Exercise 1 of step 10: a fourth migration adds a priority to every task, and goes down again, losing none."""
import sqlalchemy

from support.exercises import exercise_concept
from support.messages import say
from support.tasks import through_sqlalchemy

pytestmark = exercise_concept(__file__)


def columns(app):
    """The names of the tasks table's columns, as the database has them now."""
    with app.app_context():
        return [column["name"] for column in sqlalchemy.inspect(app.extensions["sqlalchemy"].engine).get_columns("tasks")]


def migrate(app, *args):
    """Run `flask --app taskman db ...` on the app's database; fail with what it printed."""
    result = app.test_cli_runner().invoke(args=["db", *args])
    assert result.exit_code == 0, say("flask db {args} 失败了：{output}", "flask db {args} failed: {output}",
                                      args=" ".join(args), output=(result.output or repr(result.exception))[-800:])


def test_the_database_is_at_revision_0004_with_a_priority_column(app, client):
    revision = through_sqlalchemy(app, "SELECT version_num FROM alembic_version")
    assert revision == [{"version_num": "0004"}], say(
        "应用启动后，数据库应该已经升级到新迁移 0004（revision = \"0004\"，down_revision = \"0003\"），现在是 {found}。",
        "Once the app has started, the database should be at the new migration 0004 (revision = \"0004\", "
        "down_revision = \"0003\"); it is at {found}.", found=revision)
    assert "priority" in columns(app), say("tasks 表里没有 priority 这一列：{found}",
                                           "The tasks table has no column priority: {found}", found=columns(app))


def test_the_task_model_has_the_priority(app):
    with app.app_context():
        models = {mapper.class_.__name__: mapper.class_ for mapper in app.extensions["sqlalchemy"].Model.registry.mappers}
    assert "priority" in models["Task"].__table__.c, say(
        "models.py 里的 Task 应该也有 priority 属性，和迁移加的那一列同名。",
        "Task in models.py should have the attribute priority too, named as the migration's column.")


def test_down_and_up_again_every_task_is_kept_with_priority_0(app, users):
    ada, grace = users("ada", "grace")
    ada.add_all("Write the report", "Book the room")
    grace.add_all("Grace's task")
    before = through_sqlalchemy(app, "SELECT id, summary, user_id FROM tasks ORDER BY id")
    migrate(app, "downgrade", "0003")
    assert "priority" not in columns(app), say(
        "降级到 0003 之后，priority 这一列应该没有了（downgrade() 去掉它）：{found}",
        "Down to 0003, the column priority should be gone (downgrade() removes it): {found}", found=columns(app))
    assert through_sqlalchemy(app, "SELECT id, summary, user_id FROM tasks ORDER BY id") == before, say(
        "降级丢了任务或者改了任务。", "Going down lost or changed tasks.")
    migrate(app, "upgrade")
    after = through_sqlalchemy(app, "SELECT id, summary, user_id, priority FROM tasks ORDER BY id")
    assert [{key: row[key] for key in ("id", "summary", "user_id")} for row in after] == before, say(
        "升级丢了任务或者改了任务。", "Going up lost or changed tasks.")
    assert [row["priority"] for row in after] == [0, 0, 0], say(
        "已有的任务升级后 priority 应该都是 0（server_default），现在是 {found}。",
        "After the upgrade the tasks that existed should have priority 0 (a server_default); they have {found}.",
        found=[row["priority"] for row in after])
    ada.add("Added after the upgrade")
    assert through_sqlalchemy(app, "SELECT priority FROM tasks WHERE summary = ?", ("Added after the upgrade",)) == [
        {"priority": 0}], say("一个没有说明优先级的新任务，priority 应该是 0。", "A new task that says nothing should have priority 0.")
