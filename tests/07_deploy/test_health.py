"""/healthz checks the database: 200 {"status": "ok"} when it can use it, 503 JSON when it cannot."""
import logging
import sqlite3
from contextlib import closing

import pytest

from support import expects

pytestmark = pytest.mark.concept("a health check that checks the database", "health", zh="检查数据库的健康检查")


def test_a_healthy_service_answers_200_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.is_json
    assert response.get_json() == expects.json({"status": "ok"})


def test_the_health_check_asks_the_database(app, client):
    """The check opens the database (and so creates it, with its tables), it does not just say "ok"."""
    assert client.get("/healthz").status_code == 200
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "tasks" in tables


def broken_database(kind, tmp_path):
    """A database path the app cannot use."""
    if kind == "a folder":
        folder = tmp_path / "a-folder.db"
        folder.mkdir()
        return folder
    if kind == "not a database":
        garbage = tmp_path / "garbage.db"
        garbage.write_bytes(b"this is not an SQLite file " * 100)
        return garbage
    blocker = tmp_path / "a-file"
    blocker.write_text("a file where a folder should be")
    return blocker / "tasks.db"


@pytest.mark.parametrize("kind", ["a folder", "not a database", "inside a file"])
def test_a_database_that_cannot_be_used_answers_503_json(app, client, tmp_path, kind, caplog):
    """A load balancer or a monitor reads 503 as "send no traffic here": and the log says why."""
    app.config["DATABASE"] = str(broken_database(kind, tmp_path))
    with caplog.at_level(logging.ERROR):
        response = client.get("/healthz")
    assert response.status_code == 503
    assert response.is_json
    body = response.get_json()
    expected = expects.json({"status": "unavailable", "error": "the database cannot be used"})
    assert {name: body.get(name) for name in expected} == expected
    logged = [record.getMessage() for record in caplog.records if record.levelname == "ERROR"]
    prefix = expects.text("Health check failed: ")
    assert any(line.startswith(prefix) and line[len(prefix):].strip() for line in logged), logged


def test_the_service_is_healthy_again_once_the_database_is_back(app, client, tmp_path):
    good = app.config["DATABASE"]
    app.config["DATABASE"] = str(broken_database("a folder", tmp_path))
    assert client.get("/healthz").status_code == 503
    app.config["DATABASE"] = good
    assert client.get("/healthz").status_code == 200
