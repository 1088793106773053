"""Exercise 3 of step 02: a feedback form at /feedback, GET shows it, POST thanks the visitor."""
from support import assert_valid_page, expect_page, links_of, parse, visible_text
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def test_get_shows_a_labelled_text_area_that_posts_to_feedback(client):
    html = expect_page(client, "/feedback").get_data(as_text=True)
    assert_valid_page(html, "/feedback")
    form = parse(html).find("form", action="/feedback")
    assert form is not None and form.get("method", "").lower() == "post", say(
        "/feedback 上没有 method=\"post\"、action=\"/feedback\" 的表单。",
        "/feedback has no form with method=\"post\" and action=\"/feedback\".")
    assert form.find("textarea", attrs={"name": "message"}), say(
        "表单里没有 <textarea name=\"message\">。", "The form has no <textarea name=\"message\">.")


def test_post_thanks_and_shows_the_message_as_text(client):
    response = client.post("/feedback", data={"message": "<b>Great</b> course"})
    assert response.status_code == 200
    text = visible_text(response)
    assert "Thank you" in text
    assert "<b>Great</b> course" in text, say("留言应该原样显示成文字：用 escape() 处理它。",
                                              "The message should show as text, tags and all: pass it through escape().")
    assert "<b>" not in response.get_data(as_text=True)


def test_the_home_page_links_to_feedback(client):
    links = [url for method, url in links_of(client.get("/").get_data(as_text=True)) if method == "GET"]
    assert "/feedback" in links, say("首页上没有指向 /feedback 的链接。", "The home page has no link to /feedback.")
