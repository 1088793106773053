"""No N+1: a request runs a fixed number of SQL statements, whatever the number of tasks (counted with
SQLAlchemy's before_cursor_execute event), on SQLite and on PostgreSQL."""
import pytest

from support import expects
from support.accounts import Account
from support.statements import Statements

pytestmark = pytest.mark.concept("no N+1 queries", "n-plus-one", zh="没有 N+1 查询")

# The most statements one request may run: the signed-in user, the page's tasks, their counts, a change.
MOST = 5
PAGES = ["/tasks", "/tasks?page=2", "/api/tasks", "/search?q=task", "/search?q="]

expects.route("GET /tasks?page=…", "GET /api/tasks?page=…", "GET /search?q=…&page=…")
expects.form("POST /tasks", "summary", "csrf_token")
expects.form("POST /tasks/<int:task_id>/toggle", "csrf_token")
expects.form("POST /tasks/<int:task_id>/delete", "csrf_token")
expects.form("POST /tasks/purge", "csrf_token")


@pytest.fixture(params=["SQLite", pytest.param("PostgreSQL", marks=pytest.mark.servers)])
def counted(request, app, fresh_import):
    """(the app, its Statements): step 10's app on SQLite, then on PostgreSQL (its migrations run first)."""
    if request.param == "PostgreSQL":
        url = request.getfixturevalue("postgres_url")
        app = fresh_import(DATABASE_URL=url).app
        app.config.update(TESTING=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
        assert app.test_cli_runner().invoke(args=["db", "upgrade"]).exit_code == 0
    assert "sqlalchemy" in app.extensions, "Attach Flask-SQLAlchemy to the app, so that its statements can be counted."
    with app.app_context():
        engine = app.extensions["sqlalchemy"].engine
    return app, Statements(engine)


def test_each_page_runs_as_many_statements_with_40_tasks_as_with_12(counted, request):
    """Pitfall 23: N+1 queries: a page that runs one more query per task it shows runs more of them with more
    tasks.

    陷阱 23：N+1 查询：页面上每显示一个任务就多执行一个查询，任务越多，查询就越多。"""
    app, statements = counted
    person = Account(app, f"counter_{request.node.callspec.id.lower()}")
    person.add_all(*[f"task {number}" for number in range(12)])
    few = {page: len(statements.during(lambda page=page: person.page(page))) for page in PAGES}
    person.add_all(*[f"task {number}" for number in range(12, 40)])
    many = {page: len(statements.during(lambda page=page: person.page(page))) for page in PAGES}
    assert many == few, f"Statements per page, 12 tasks: {few}; 40 tasks: {many}"
    assert max(many.values()) <= MOST, many


def test_no_page_reads_every_task_to_count_them(counted, request):
    """Pitfall 22: counting with len() on a query: it is one statement, which reads every task of the user into
    Python; a page's statements on the tasks read one page of them (LIMIT), tasks named by their ids, or count
    them in SQL (count(*)).

    陷阱 22：对查询结果用 len() 计数：它只是一条语句，却把这个用户的每个任务都读进 Python；页面对任务表的语句，
    要么只读一页（LIMIT），要么只读按 id 指明的任务，要么在 SQL 里计数（count(*)）。"""
    app, statements = counted
    person = Account(app, f"reader_{request.node.callspec.id.lower()}")
    person.add_all(*[f"task {number}" for number in range(12)])
    bounded = ("LIMIT", "COUNT(", "TASKS.ID IN", "TASKS.ID =")
    for page in PAGES:
        every = [statement for statement in statements.during(lambda page=page: person.page(page))
                 if " tasks" in statement and not any(word in statement.upper() for word in bounded)]
        assert not every, f"{page} reads the tasks without LIMIT, their ids or count(*): {every}"


def test_a_change_runs_a_fixed_number_of_statements(counted, request):
    app, statements = counted
    person = Account(app, f"changer_{request.node.callspec.id.lower()}")
    person.add_all(*[f"task {number}" for number in range(30)])
    token = person.token()
    first = person.ids_shown()[0]
    changes = {
        "add": lambda: person.client.post("/tasks", data={"summary": "one more", "csrf_token": token}),
        "toggle": lambda: person.client.post(f"/tasks/{first}/toggle", data={"csrf_token": token}),
        "delete": lambda: person.client.post(f"/tasks/{first}/delete", data={"csrf_token": token}),
        "purge": lambda: person.client.post("/tasks/purge", data={"csrf_token": token}),
    }
    sent = {name: statements.during(change) for name, change in changes.items()}
    assert all(len(found) <= MOST for found in sent.values()), {name: len(found) for name, found in sent.items()}
