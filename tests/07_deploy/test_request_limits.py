"""A request body larger than 1 MiB is refused with 413 before the app reads it."""
import pytest

from support import parse

pytestmark = pytest.mark.concept("a limit on request size", "request-size")

MIB = 1024 * 1024


def csrf_token(client):
    """The token the dashboard's form carries."""
    return parse(client.get("/tasks").get_data(as_text=True)).find("input", attrs={"name": "csrf_token"})["value"]


@pytest.mark.parametrize("url", ["/tasks", "/signup", "/login"])
def test_a_body_over_one_mebibyte_is_refused_with_413(client, tasks, url):
    token = csrf_token(client)
    body = f"csrf_token={token}&summary=".encode() + b"x" * MIB
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert tasks.rows() == []


def test_a_body_of_exactly_one_mebibyte_is_read(client, tasks):
    """The limit is 1 MiB: a body of that size reaches the form's own checks (too long: 400)."""
    token = csrf_token(client)
    body = f"csrf_token={token}&summary=".encode()
    body += b"x" * (MIB - len(body))
    response = client.post("/tasks", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "at most 300 characters" in response.get_data(as_text=True)


def test_an_ordinary_form_is_well_under_the_limit(tasks):
    assert tasks.add("café ✓ 任务 " * 20).status_code == 302
    assert len(tasks.rows()) == 1
