"""A request body larger than 1 MiB is refused with 413 before the app reads it."""
import io

import pytest

pytestmark = pytest.mark.concept("a limit on request size", "request-size", zh="请求大小的上限")

MIB = 1024 * 1024


def form_body(token, size):
    """A form body of exactly `size` bytes: the CSRF token and a summary of x's."""
    body = f"csrf_token={token}&summary=".encode()
    return body + b"x" * (size - len(body))


@pytest.mark.parametrize("url", ["/tasks", "/signup", "/login"])
def test_a_body_one_byte_over_one_mebibyte_is_refused_with_413(client, tasks, url):
    body = form_body(tasks.token(), MIB + 1)
    response = client.post(url, data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 413
    assert tasks.rows() == []


def test_a_body_of_exactly_one_mebibyte_is_read(client, tasks):
    """The limit is 1 MiB: a body of that size reaches the form's own checks (too long: 400)."""
    body = form_body(tasks.token(), MIB)
    response = client.post("/tasks", data=body, content_type="application/x-www-form-urlencoded")
    assert response.status_code == 400
    assert "at most 300 characters" in response.get_data(as_text=True)


def test_an_ordinary_form_is_well_under_the_limit(tasks):
    assert tasks.add("café ✓ 任务 " * 20).status_code == 302
    assert len(tasks.rows()) == 1


@pytest.mark.parametrize("size", [10, 20 * MIB])
def test_a_body_sent_in_chunks_without_a_length_is_refused_with_411(client, tasks, size):
    """A chunked body has no Content-Length to hold against the limit; Werkzeug would read its first MiB
    and drop the rest. Browsers and nginx always send the length: one without it is refused.
    (tests/07_deploy/test_servers.py sends one to a real gunicorn.)"""
    body = form_body(tasks.token(), size)
    # gunicorn reads the chunks itself and says so with wsgi.input_terminated.
    response = client.post("/tasks", input_stream=io.BytesIO(body), headers={"Transfer-Encoding": "chunked"},
                           content_type="application/x-www-form-urlencoded",
                           environ_overrides={"wsgi.input_terminated": True})
    assert response.status_code == 411
    assert tasks.rows() == []
