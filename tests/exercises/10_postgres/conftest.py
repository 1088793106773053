"""Fixtures for the exercises of step 10: the course suite's (tests/10_postgres/conftest.py, which are step 09's),
so that `client` is signed in, `anonymous` is a visitor and `users("ada", "grace")` makes people with accounts;
and `add`, which adds a task with a due date through the dashboard's form."""
import pytest

from support.messages import say
from support.reuse import reused

globals().update(reused("10_postgres", "conftest"))


@pytest.fixture
def add():
    """add(person, summary, due=""): send the dashboard's form with a summary and a due date (2026-12-31)."""
    def send(person, summary, due=""):
        response = person.forms.submit("/tasks", "/tasks", {"summary": summary, "due": due})
        assert response.status_code == 302, say("添加 {summary!r}（截止日期 {due!r}）返回了 {status}。",
                                                "Adding {summary!r} (due {due!r}) answered {status}.",
                                                summary=summary, due=due, status=response.status_code)
    return send
