"""Step 01: a first web service."""
import pytest

from support import expects
from support.shared_tests import *  # noqa: F401,F403  (the tests every step passes, run in this suite)

pytestmark = pytest.mark.concept("a Flask object and one route", "first-route", zh="一个 Flask 对象和一个路由")


expects.route("GET /")
expects.file("app.py")
expects.command("flask run", "python app.py")


def test_home_page_says_hello(client):
    response = client.get("/")
    assert response.status_code == 200
    assert response.mimetype == "text/html"
    assert expects.text("Hello, World!") in response.get_data(as_text=True)
