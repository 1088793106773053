"""The pages: each answers, errors are pages in
the site's layout, the health check reports."""

import io

import pytest


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


def test_health_check_without_a_database_is_503(client, app, tmp_path):
    app.config["DATABASE"] = str(tmp_path)  # a folder: SQLite cannot open it
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
