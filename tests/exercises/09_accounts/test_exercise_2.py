"""Exercise 2 of step 09: changing one's password, the current one required, the password rules kept, and every
other browser signed out (a new session id)."""
import sqlite3
from contextlib import closing

from support import Forms
from support.accounts import PASSWORD, location_path, sign_in, sign_out
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)

NEW = "Violet-Harbour-5417"


def stored_hash(app, username):
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT password_hash FROM users WHERE username_key = ?", (username,)).fetchone()[0]


def change(account, current, new):
    return account.forms.submit("/account/password", "/account/password",
                                {"current_password": current, "new_password": new})


def still_signed_in(account):
    """The dashboard of the browser that changed the password: it stays signed in, under the new session id."""
    response = account.client.get("/tasks")
    assert response.status_code == 200, say(
        "改密码的这个浏览器应该仍然登录着：用新的会话 id 让它重新登录（start_session）。",
        "The browser that changed the password should stay signed in: sign it in again under the new session id "
        "(start_session).")
    return response


def test_a_visitor_is_sent_to_the_sign_in_form(anonymous):
    response = anonymous.get("/account/password")
    assert response.status_code == 302 and location_path(response) == "/login", say(
        "没有登录的访客打开 /account/password 应该被重定向到登录表单，现在回答 {status}。",
        "A visitor who is not signed in should be redirected from /account/password to the sign-in form; it answered "
        "{status}.", status=response.status_code)


def test_the_new_password_works_and_the_old_one_no_longer_does(app, users):
    ada = users("ada")
    before = stored_hash(app, "ada")
    response = change(ada, PASSWORD, NEW)
    assert response.status_code == 302 and location_path(response) == "/tasks", say(
        "用正确的当前密码和合乎规则的新密码提交，应该重定向到 /tasks，现在回答 {status}。",
        "Sent with the right current password and a new one that keeps the rules, the form should redirect to "
        "/tasks; it answered {status}.", status=response.status_code)
    assert "Your password is changed." in still_signed_in(ada).get_data(as_text=True), say(
        "仪表盘上应该闪现 “Your password is changed.”。", "The dashboard should flash “Your password is changed.”.")
    after = stored_hash(app, "ada")
    assert after != before and NEW not in after, say(
        "users 表里应该存着新密码的哈希（用 hash_password），不是新密码本身。",
        "The users table should hold the new password's hash (made with hash_password), not the password itself.")
    sign_out(ada.forms)
    assert sign_in(ada.forms, "ada", PASSWORD).status_code == 401, say(
        "改过密码之后，旧密码不应该还能登录。", "Once changed, the old password should no longer sign in.")
    assert sign_in(ada.forms, "ada", NEW).status_code == 302, say(
        "改过密码之后，新密码应该能登录。", "Once changed, the new password should sign in.")


def test_every_other_browser_is_signed_out_and_this_one_stays(app, users):
    """Someone who knew the old password may be signed in elsewhere, or hold a copy of a session cookie: once
    the password is changed, the account's session id is new, and no cookie signed before names anybody."""
    ada = users("ada")
    elsewhere = app.test_client()
    assert sign_in(Forms(elsewhere), "ada", PASSWORD).status_code == 302
    kept = ada.client.get_cookie("session").value
    change(ada, PASSWORD, NEW)
    still_signed_in(ada)
    assert location_path(elsewhere.get("/tasks")) == "/login", say(
        "改过密码之后，同一账户在别的浏览器里的登录应该失效：像 logout 那样换一个新的会话 id（new_session_id()）。",
        "The change should sign out the account in every other browser: a new session id (new_session_id()), as "
        "logout gives.")
    thief = app.test_client()
    thief.set_cookie("session", kept)
    assert location_path(thief.get("/tasks")) == "/login", say(
        "改密码之前复制下来的会话 cookie 不应该还能登录：它里面的会话 id 应该已经换掉了。",
        "A copy of the session cookie taken before the change should sign nobody in: its session id should be gone.")


def test_a_wrong_current_password_changes_nothing(app, users):
    ada = users("ada")
    before = stored_hash(app, "ada")
    response = change(ada, "not my password", NEW)
    assert response.status_code == 400, say("当前密码错误时应该回答 400，现在是 {status}。",
                                            "With a wrong current password the answer should be 400, not {status}.",
                                            status=response.status_code)
    assert "Your current password is wrong." in response.get_data(as_text=True), say(
        "当前密码错误时，页面上应该说 “Your current password is wrong.”。",
        "With a wrong current password the page should say “Your current password is wrong.”.")
    assert stored_hash(app, "ada") == before, say("当前密码错误时，密码不应该被改动。",
                                                 "With a wrong current password, the password should not change.")


def test_the_new_password_keeps_the_rules(app, users):
    ada = users("adalovelace")
    before = stored_hash(app, "adalovelace")
    for new, rule in (("short", "8 to 128 characters"), ("ADALOVELACE", "username")):
        response = change(ada, PASSWORD, new)
        assert response.status_code == 400 and rule in response.get_data(as_text=True), say(
            "新密码 {new!r} 不合规则：应该回答 400，并显示注册时那条规则的提示（含 “{rule}”），现在回答 {status}。",
            "The new password {new!r} breaks a rule: the answer should be 400 with the sign-up's message for it "
            "(with “{rule}”); it answered {status}.", new=new, rule=rule, status=response.status_code)
    assert stored_hash(app, "adalovelace") == before, say("新密码不合规则时，密码不应该被改动。",
                                                         "A new password that breaks a rule should change nothing.")
