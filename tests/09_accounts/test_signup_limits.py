"""Sign-ups are limited per address, like sign-ins: SIGNUP_LIMIT (10) within SIGNUP_WINDOW (an hour), every
POST /signup counted, accepted or refused; past the limit, 429 Too Many Requests with Retry-After and a message,
whatever the form holds."""
import pytest

from support import Forms, expects, visible_text
from support.accounts import register
from support.messages import expect
from support.signup import stored_users

pytestmark = pytest.mark.concept("sign-ups, limited too", "signup-limits", zh="注册也有限制")

TOO_MANY = expects.text("Too many sign-ups from your address. Try again in {minutes} minutes.")


@pytest.fixture
def app(app):
    """The step's own limit, as create_app sets it (conftest.py lifts it for the other tests' many sign-ups)."""
    app.config.update(SIGNUP_LIMIT=10, SIGNUP_WINDOW=3600)
    return app


def sign_up_from(app, address, username, password="correct horse battery"):
    """A sign-up in a browser of its own at `address`: the response, not followed."""
    browser = app.test_client()
    browser.environ_base["REMOTE_ADDR"] = address
    return register(Forms(browser), username, password=password)


def refused(response, window=3600):
    """The answer past the limit: 429, when to try again, and why, in the page's layout."""
    assert response.status_code == 429, f"{response.status_code}: {visible_text(response)[:300]}"
    retry = response.headers.get("Retry-After", "")
    assert retry.isdigit() and 0 < int(retry) <= window, f"Retry-After: {retry!r}"
    return visible_text(response)


def test_the_eleventh_sign_up_from_one_address_within_an_hour_is_refused(app, app_module):
    """Pitfall 28: each sign-up costs a slow hash, and "That username is already taken." tells whether a name has an
    account: without a limit, a script keeps every worker busy, or learns who has an account. Ten sign-ups an hour
    from one address, accepted or refused, then 429.

    陷阱 28：每次注册都要算一次很慢的哈希，而“用户名已被占用”会告诉别人某个名字有没有账号：不加限制，一个脚本就能让所有 worker 都忙不过来，或者查出谁有账号。同一个地址一小时内可以注册十次，不管成不成功，之后就是 429。
    """
    for number in range(5):
        assert sign_up_from(app, "203.0.113.20", f"user{number}").status_code == 302
    for number in range(5):  # refused sign-ups count too
        assert sign_up_from(app, "203.0.113.20", f"other{number}", password="short").status_code == 400
    response = sign_up_from(app, "203.0.113.20", "eleventh")
    expect(response.status_code == 429, "signup-unlimited", count=11)
    assert TOO_MANY.format(minutes=60) in refused(response)
    taken = refused(sign_up_from(app, "203.0.113.20", "user0"))
    assert "That username is already taken." not in taken, "past the limit, the form tells nothing about a name"
    assert [user["username"] for user in stored_users(app_module)] == [f"user{number}" for number in range(5)]


def test_another_address_may_still_sign_up(app):
    for number in range(11):
        sign_up_from(app, "203.0.113.21", f"user{number}")
    assert sign_up_from(app, "198.51.100.21", "grace").status_code == 302


def test_the_limit_and_the_window_come_from_the_configuration(app):
    app.config.update(SIGNUP_LIMIT=2, SIGNUP_WINDOW=120)
    for number in range(2):
        assert sign_up_from(app, "203.0.113.22", f"user{number}").status_code == 302
    assert TOO_MANY.format(minutes=2) in refused(sign_up_from(app, "203.0.113.22", "third"), window=120)


def test_the_defaults_are_ten_sign_ups_an_hour(fresh_import):
    config = fresh_import().app.config
    assert (config.get("SIGNUP_LIMIT"), config.get("SIGNUP_WINDOW")) == (10, 3600)
