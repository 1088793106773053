"""The secret key signs the session cookie (which carries flashed messages): it must be the same in every process."""
import pytest

from support import expects, load_app_module, parse
from support.signup import VALID

pytestmark = pytest.mark.concept("the secret key signs the session", "secret-key", zh="secret key 为会话签名")

MESSAGE = "Account created for ada."

expects.env("FLASK_SECRET_KEY")


@pytest.fixture(autouse=True)
def no_secret_in_the_environment(monkeypatch):
    """Every import in these tests falls back to the secret written in app.py, as on a laptop."""
    monkeypatch.delenv("FLASK_SECRET_KEY", raising=False)


def signed_up_cookie(forms, client):
    """The session cookie a browser holds after signing up, with the flashed message still inside."""
    assert forms.submit("/signup", "/signup", VALID).status_code in (302, 303)
    return client.get_cookie("session").value


def shown_by(flask_app, cookie_value):
    """Send the cookie to flask_app as a browser would and return the main text of the home page."""
    browser = flask_app.test_client()
    browser.set_cookie("session", cookie_value)
    response = browser.get("/")
    assert response.status_code == 200
    return parse(response.get_data(as_text=True)).find("main").get_text()


def test_the_app_has_a_secret_key(app):
    assert app.secret_key


def test_the_session_cookie_is_signed_and_http_only(forms, client):
    forms.submit("/signup", "/signup", VALID)
    cookie = client.get_cookie("session")
    assert cookie is not None and cookie.http_only
    assert "." in cookie.value


def test_a_second_import_of_the_app_accepts_the_first_ones_session(forms, client, app_dir):
    """Pitfall 2: a secret made at start-up (secrets.token_hex()) differs in each gunicorn worker,
    so a message flashed by one worker would be lost on the next. A second fresh import must accept the cookie.

    陷阱 2：启动时生成的密钥（`secrets.token_hex()`）在每个 gunicorn worker 里都不一样，一个 worker 闪现的消息到了下一个 worker 就会丢失。应用的第二次全新导入必须接受第一次导入签发的 cookie。
    """
    cookie = signed_up_cookie(forms, client)
    second = load_app_module(app_dir).app
    assert MESSAGE in shown_by(second, cookie)


def test_a_tampered_cookie_is_ignored(forms, client, app):
    cookie = signed_up_cookie(forms, client)
    tampered = cookie[:-3] + ("AAA" if not cookie.endswith("AAA") else "BBB")
    assert MESSAGE not in shown_by(app, tampered)


def test_the_secret_comes_from_flask_secret_key_when_set(app_dir, monkeypatch):
    """`app.config.from_prefixed_env()` reads FLASK_SECRET_KEY, so production sets its own secret."""
    monkeypatch.setenv("FLASK_SECRET_KEY", "a long random production secret")
    assert load_app_module(app_dir).app.secret_key == "a long random production secret"


def test_an_app_with_another_secret_rejects_the_cookie(forms, client, app_dir, monkeypatch):
    cookie = signed_up_cookie(forms, client)
    monkeypatch.setenv("FLASK_SECRET_KEY", "a different secret")
    assert MESSAGE not in shown_by(load_app_module(app_dir).app, cookie)
