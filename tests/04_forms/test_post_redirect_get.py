"""Post/Redirect/Get: a POST that worked answers with a redirect, so refreshing the next page sends nothing again."""
import pytest

from support import parse
from support.messages import expect_redirect
from support.signup import VALID

pytestmark = pytest.mark.concept("Post/Redirect/Get", "post-redirect-get", zh="Post/Redirect/Get（提交后重定向）")


@pytest.mark.parametrize(("action", "data"), [
    ("/signup", VALID),
    ("/login", {"username": "student", "password": "flask"}),
])
def test_a_successful_post_redirects_home(forms, action, data):
    response = forms.submit(action, action, data)
    expect_redirect(response, action)
    assert response.location == "/"


def test_the_browser_follows_with_a_get_that_shows_the_message(forms):
    response = forms.submit("/signup", "/signup", VALID, follow_redirects=True)
    assert [step.status_code for step in response.history] in ([302], [303])
    assert response.request.method == "GET"
    assert response.request.path == "/"
    assert response.status_code == 200
    assert "Account created for ada." in response.get_data(as_text=True)


def test_refreshing_the_page_after_a_sign_up_stores_nothing_more(forms, client, app_module):
    forms.submit("/signup", "/signup", VALID, follow_redirects=True)
    for _ in range(3):
        assert client.get("/").status_code == 200
    assert len(app_module.USERS) == 1


@pytest.mark.parametrize(("action", "data", "status"), [
    ("/signup", {**VALID, "password": "short"}, 400),
    ("/login", {"username": "student", "password": "wrong"}, 401),
])
def test_a_refused_post_is_not_redirected_but_shows_the_form_again(forms, action, data, status):
    """The form comes back in the same response, with the errors and what was typed."""
    response = forms.submit(action, action, data)
    assert response.status_code == status
    assert parse(response.get_data(as_text=True)).find("form", action=action) is not None
