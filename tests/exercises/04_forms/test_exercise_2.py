"""Exercise 2 of step 04: a refused CSRF token gets a page of its own, in the layout, with a link back."""
from support import assert_valid_page, parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def test_a_post_without_a_token_explains_and_links_back_with_400(client):
    response = client.post("/signup", data={"username": "ada", "email": "ada@example.com", "password": "x" * 10})
    assert response.status_code == 400, say("没有令牌的 POST 应该仍然是 400，得到了 {got}。",
                                            "A POST without its token should still answer 400, got {got}.",
                                            got=response.status_code)
    html = response.get_data(as_text=True)
    assert_valid_page(html, "the refused form")
    soup = parse(html)
    assert soup.find("nav"), say("这个页面应该用你的布局（base.html），带着导航。", "The page should use your layout (base.html), navigation included.")
    assert "The form expired" in soup.find("h1").get_text(), say("页面的标题应该是“The form expired”。",
                                                                 "The page should be headed \"The form expired\".")
    back = [a["href"] for a in soup.find("main").find_all("a", href=True)]
    assert "/signup" in back, say("页面的正文里应该有一个链接回到表单（/signup）。",
                                  "The page's main part should link back to the form (/signup).")


def test_other_errors_keep_their_page(client):
    response = client.get("/tasks/999")
    assert response.status_code == 404
    assert "The form expired" not in response.get_data(as_text=True)
