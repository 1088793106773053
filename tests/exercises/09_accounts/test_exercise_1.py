"""Exercise 1 of step 09: an account page for the signed-in user, linked from their name in the navigation."""
import re

from support import parse, visible_text
from support.accounts import location_path
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def test_a_visitor_is_sent_to_the_sign_in_form(anonymous):
    response = anonymous.get("/account")
    assert response.status_code == 302 and location_path(response) == "/login", say(
        "没有登录的访客打开 /account 应该被重定向到登录表单（@login_required），现在回答 {status}。",
        "A visitor who is not signed in should be redirected from /account to the sign-in form (@login_required); "
        "it answered {status}.", status=response.status_code)
    assert "next=%2Faccount" in response.headers["Location"], say(
        "重定向应该带着 next=/account，登录后才能回到这个页面：{location}",
        "The redirect should carry next=/account, to come back after signing in: {location}",
        location=response.headers["Location"])


def test_the_page_shows_the_users_name_address_and_task_count(users):
    ada, grace = users("ada", "grace")
    ada.add_all("Write the report", "Book the room")
    grace.add_all("Grace's only task")
    response = ada.client.get("/account")
    assert response.status_code == 200, say("登录后 /account 回答了 {status}，应该是 200。",
                                            "Signed in, /account answered {status}, expected 200.",
                                            status=response.status_code)
    text = visible_text(response)
    for shown in ("ada", "ada@example.com"):
        assert shown in text, say("ada 的账户页上应该有 {shown}。页面上的文字：{text}",
                                  "Ada's account page should show {shown}. The page says: {text}",
                                  shown=shown, text=text[-300:])
    assert re.search(r"\bTasks\b\W*2\b", text), say(
        "ada 有两个任务（grace 的不算）：账户页上 Tasks 后面应该是 2。页面上的文字：{text}",
        "Ada has two tasks (Grace's do not count): the account page should show 2 after Tasks. The page says: {text}",
        text=text[-300:])
    assert "grace" not in text, say("ada 的账户页上不应该出现别的用户。", "Ada's account page should show no other user.")
    assert 'href="/docs"' in response.get_data(as_text=True), say(
        "account.html 应该继承 base.html，带着网站的导航。", "account.html should extend base.html, with the site's navigation.")


def test_the_name_in_the_navigation_links_to_the_account_page(client, account, anonymous):
    nav = parse(client.get("/tasks").get_data(as_text=True)).find("nav")
    links = {link.get_text(" ", strip=True): link["href"] for link in nav.find_all("a", href=True)} if nav else {}
    assert links.get(account.username) == "/account", say(
        "登录后，导航栏里用户的名字应该是一个指向 /account 的链接（url_for(\"auth.account\")）。导航栏的链接：{links}",
        "Signed in, the user's name in the navigation should be a link to /account (url_for(\"auth.account\")). "
        "The navigation's links: {links}", links=links)
    visitor = parse(anonymous.get("/").get_data(as_text=True)).find("nav")
    assert visitor is None or not visitor.find("a", href="/account"), say(
        "没有登录的访客没有账户页：导航栏里只在登录后才有这个链接。",
        "A visitor has no account page: the navigation shows the link only to a signed-in user.")
