"""Signing out takes the session back: the cookie names a session id that the server keeps and changes at every
sign-out, so a copy of the cookie kept from before signs nobody in after it, in any browser of the account."""
import pytest

from support import Forms, parse
from support.accounts import PASSWORD, Account, location_path, sign_in, sign_out
from support.messages import expect

pytestmark = pytest.mark.concept("a sign-out that takes every copy of the session back", "revoke",
                                 zh="退出登录收回会话的每一个副本")


@pytest.fixture
def ada(app):
    """An account with a task, signed in in a client of its own."""
    account = Account(app, "ada")
    account.add_all("Ada's task")
    return account


def copy_of_the_cookie(app, account):
    """Another browser holding a copy of the account's session cookie, as whoever copied it would."""
    thief = app.test_client()
    thief.set_cookie("session", account.client.get_cookie("session").value)
    return thief


def test_a_copy_of_the_session_cookie_signs_nobody_in_after_sign_out(app, ada):
    """Pitfall 25: Flask's session is a cookie signed with the secret key, and logout_user() only sends this browser
    a new one: a copy taken before keeps its good signature, and would sign its holder in for as long as the secret
    stays the same. Sent back after the sign-out, the copy reads nothing, writes nothing, and is sent to sign in.

    陷阱 25：Flask 的会话是用密钥签名的 cookie，logout_user() 只是给这个浏览器发一个新的：之前复制下来的那份签名依然有效，只要密钥不变，拿着它的人就能一直以你的身份登录。退出之后再发回来，这份副本什么也读不到、什么也写不进，只会被送去登录页。
    """
    token = parse(ada.page("/tasks")).find("input", attrs={"name": "csrf_token"})["value"]
    thief = copy_of_the_cookie(app, ada)
    assert thief.get("/api/tasks").status_code == 200, "the copy works while the account is signed in"
    assert sign_out(ada.forms).status_code == 302
    api = thief.get("/api/tasks")
    expect(api.status_code == 401, "session-survives-sign-out",
           what=f"GET /api/tasks 仍然回答了 {api.status_code}", what_en=f"GET /api/tasks still answered {api.status_code}")
    page = thief.get("/tasks")
    expect(page.status_code == 302 and location_path(page) == "/login", "session-survives-sign-out",
           what=f"GET /tasks 回答了 {page.status_code}", what_en=f"GET /tasks answered {page.status_code}")
    sent = thief.post("/tasks", data={"csrf_token": token, "summary": "Planted after sign-out"})
    assert sent.status_code == 302 and location_path(sent) == "/login", (sent.status_code, sent.headers)
    assert ada.summaries() == ["Ada's task"]


def test_signing_out_signs_out_every_browser_of_the_account(app, ada):
    """One session id per account: signing out on the laptop signs out the phone too (what someone who lost the
    phone wants)."""
    phone = app.test_client()
    assert sign_in(Forms(phone), "ada", PASSWORD).status_code == 302
    assert phone.get("/api/tasks").status_code == 200
    assert sign_out(ada.forms).status_code == 302
    assert phone.get("/api/tasks").status_code == 401


def test_signing_in_again_does_not_bring_the_old_copy_back(app, ada):
    """The next sign-in has a new session id: the copy from before the sign-out stays worthless."""
    thief = copy_of_the_cookie(app, ada)
    sign_out(ada.forms)
    assert sign_in(ada.forms, "ada", PASSWORD).status_code == 302
    assert ada.client.get("/api/tasks").status_code == 200, "the account signs in again"
    assert thief.get("/api/tasks").status_code == 401


def test_one_accounts_sign_out_leaves_the_others_signed_in(app, ada):
    grace = Account(app, "grace")
    sign_out(ada.forms)
    assert grace.client.get("/api/tasks").status_code == 200

