"""The pages: each answers, errors are pages in
the site's layout, the health check reports."""

import io

import pytest
from sqlalchemy.exc import OperationalError

from taskman.models import db


@pytest.mark.parametrize("path", ["/", "/docs", "/login", "/signup"])
def test_each_page_answers(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"


@pytest.mark.parametrize("path", ["/tasks", "/search", "/tasks/1"])
def test_each_task_page_answers_a_signed_in_user(client, user, tasks, path):
    tasks.add("A task")
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["X-Frame-Options"] == "DENY"


def test_a_missing_page_is_a_404_in_the_layout(client):
    response = client.get("/no-such-page")
    assert response.status_code == 404
    assert "Not Found" in response.get_data(as_text=True)
    assert "<nav" in response.get_data(as_text=True)


def test_health_check(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}


def test_health_check_without_a_database_is_503(client, monkeypatch):
    def unreachable(*args, **kwargs):  # as when the database server is down
        raise OperationalError(
            "SELECT 1", {}, ConnectionRefusedError("connection refused")
        )

    monkeypatch.setattr(db.session, "execute", unreachable)
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["status"] == "unavailable"


def test_a_chunked_body_is_refused_with_411(client, tasks):
    body = f"csrf_token={tasks.token()}&summary=x".encode()
    response = client.post(
        "/tasks",
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked"},
        content_type="application/x-www-form-urlencoded",
        # gunicorn reads the chunks itself and
        # says so with wsgi.input_terminated.
        environ_overrides={"wsgi.input_terminated": True},
    )
    assert response.status_code == 411


def test_another_host_is_refused(app, client):
    app.config["TRUSTED_HOSTS"] = ["tasks.example.com"]
    assert client.get("/", headers={"Host": "evil.example.com"}).status_code == 400


@pytest.mark.parametrize(
    "path, data",
    [
        ("/tasks", {"summary": "a\0b"}),
        ("/login", {"username": "ada\0", "password": "correct horse"}),
        (
            "/signup",
            {
                "username": "bob\0",
                "email": "bob@example.com",
                "password": "correct horse",
            },
        ),
    ],
)
def test_a_form_with_a_nul_character_is_refused_with_400(
    client, tasks, user, sql, path, data
):
    """PostgreSQL's text cannot hold NUL: refused
    before the database sees it, never a 500."""
    response = tasks.post(path, data)
    assert response.status_code == 400
    assert "must not hold the character NUL" in response.get_data(as_text=True)
    assert sql("SELECT count(*) FROM tasks") == [(0,)]
    assert sql("SELECT count(*) FROM users") == [(1,)]


def test_a_search_with_a_nul_character_is_refused_with_400(client, user):
    assert client.get("/search?q=milk%00").status_code == 400
