"""The data layer is Flask-SQLAlchemy: models for users and tasks, and DATABASE_URL choosing the database
(SQLite when unset, PostgreSQL through psycopg 3 when it names one), the same code on both."""
import psycopg
import pytest

from support import expects
from support.accounts import Account

pytestmark = pytest.mark.concept("Flask-SQLAlchemy models", "models", zh="Flask-SQLAlchemy 模型")

expects.env("DATABASE_URL", "DATABASE_POOL_SIZE", "DATABASE_MAX_OVERFLOW")


def extension(app):
    """The app's Flask-SQLAlchemy extension (db), or a failure that says what is missing."""
    assert "sqlalchemy" in app.extensions, "Attach Flask-SQLAlchemy to the app: db = SQLAlchemy(); db.init_app(app)."
    return app.extensions["sqlalchemy"]


def test_users_and_tasks_are_models_and_every_task_has_an_owner(app):
    db = extension(app)
    models = {mapper.class_.__name__: mapper.class_ for mapper in db.Model.registry.mappers}
    assert {"User", "Task"} <= set(models), f"Models found: {sorted(models)}"
    tasks = models["Task"].__table__
    assert tasks.c.user_id.nullable is False
    assert [key.column.table.name for key in tasks.c.user_id.foreign_keys] == ["users"]
    assert models["User"].__table__.c.username_key.unique


@pytest.mark.concept("DATABASE_URL: SQLite or PostgreSQL", "database-url", zh="DATABASE_URL：SQLite 或 PostgreSQL")
def test_without_database_url_the_tasks_go_to_the_sqlite_file(app, app_env, tasks):
    with app.app_context():
        url = extension(app).engine.url
    assert url.get_backend_name() == "sqlite" and url.database == app_env["APP_DATABASE"]
    tasks.add("On SQLite")
    assert tasks.summaries() == ["On SQLite"]


@pytest.fixture
def on_postgres(fresh_import, postgres_url):
    """The app started with DATABASE_URL naming an empty PostgreSQL database, its migrations run (flask db upgrade)."""
    app = fresh_import(DATABASE_URL=postgres_url).app
    app.config.update(TESTING=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    result = app.test_cli_runner().invoke(args=["db", "upgrade"])
    assert result.exit_code == 0, result.output
    return app


def postgres_rows(url, statement):
    with psycopg.connect(url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        return connection.execute(statement).fetchall()


@pytest.mark.concept("DATABASE_URL: SQLite or PostgreSQL", "database-url", zh="DATABASE_URL：SQLite 或 PostgreSQL")
def test_database_url_puts_the_same_app_on_postgresql(on_postgres, postgres_url):
    with on_postgres.app_context():
        assert extension(on_postgres).engine.dialect.name == "postgresql"
    ada = Account(on_postgres, "ada_on_postgres")
    ada.add("Stored in PostgreSQL")
    ada.toggle(ada.ids_shown()[0])
    assert ada.counts() == {"total": 1, "pending": 0, "done": 1}
    assert postgres_rows(postgres_url, "SELECT summary, done FROM tasks") == [("Stored in PostgreSQL", True)]
    assert "Stored in PostgreSQL" in ada.page("/search?q=postgresql")  # ILIKE: any case


@pytest.mark.concept("the connection pool and max_connections", "connection-pool", zh="连接池与 max_connections")
def test_the_pool_size_comes_from_the_environment(fresh_import, postgres_url, postgres):
    """Pitfall 21: each worker of each server keeps its own pool; workers x servers x (pool + overflow) must stay
    below PostgreSQL's max_connections, so the pool's size is configuration, not a constant in the code.

    陷阱 21：每台服务器的每个 worker 都有自己的连接池；worker 数 × 服务器数 × （连接池大小 + 溢出数）必须低于
    PostgreSQL 的 max_connections，所以连接池的大小是配置，而不是代码里的一个常量。"""
    app = fresh_import(DATABASE_URL=postgres_url, DATABASE_POOL_SIZE="2", DATABASE_MAX_OVERFLOW="1").app
    with app.app_context():
        pool = extension(app).engine.pool
        assert (pool.size(), pool._max_overflow) == (2, 1)
    limit = int(postgres.sql("SHOW max_connections").strip())
    workers, servers = 4, 2
    assert workers * servers * (5 + 5) <= limit, "The defaults of step 10 (pool 5, overflow 5) fit the course's server"


@pytest.mark.concept("DATABASE_URL: SQLite or PostgreSQL", "database-url", zh="DATABASE_URL：SQLite 或 PostgreSQL")
def test_a_nul_character_that_postgresql_cannot_store_is_a_400_not_a_500(on_postgres, postgres_url):
    """SQLite stores the character NUL in a text, PostgreSQL refuses it: the app refuses it first, with 400."""
    grace = Account(on_postgres, "grace_on_postgres")
    response = grace.forms.submit("/tasks", "/tasks", {"summary": "milk\0"})
    assert response.status_code == 400
    assert grace.client.get("/search?q=milk%00").status_code == 400
    assert postgres_rows(postgres_url, "SELECT count(*) FROM tasks WHERE summary LIKE 'milk%'") == [(0,)]
