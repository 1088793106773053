"""Exercise 2 of step 01: a route that answers with JSON instead of HTML."""
from support.exercises import exercise_concept
from support.messages import say
from support.pages import expect_page

pytestmark = exercise_concept(__file__)


def test_greeting_is_json(client):
    response = expect_page(client, "/api/greeting")
    assert response.mimetype == "application/json", say(
        "/api/greeting 的 Content-Type 是 {got}，应该是 application/json：返回一个字典，而不是字符串。",
        "/api/greeting answered with the Content-Type {got}, not application/json: return a dict, not a string.",
        got=response.mimetype)
    assert response.get_json() == {"greeting": "Hello, World!"}, say(
        "/api/greeting 返回了 {got}，应该是 {{\"greeting\": \"Hello, World!\"}}。",
        "/api/greeting answered {got}, expected {{\"greeting\": \"Hello, World!\"}}.", got=response.get_json())


def test_the_home_page_is_still_html(client):
    assert client.get("/").mimetype == "text/html"
