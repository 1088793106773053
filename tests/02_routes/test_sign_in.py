"""One URL, two methods: GET /login shows the sign-in form, POST /login checks it."""
import pytest

from support import expect_page, expects, parse, visible_text

pytestmark = pytest.mark.concept("one URL, two methods: the sign-in form", "get-and-post", zh="一个 URL，两种方法：登录表单")

# The demo account the page itself announces; a real app never keeps passwords in its code.
USERNAME, PASSWORD = "student", "flask"

expects.route("GET /login")
expects.form("POST /login", "username", "password")


def test_get_shows_the_form_and_says_the_account_is_a_demo(client, forms):
    form = forms.find("/login", "/login")
    assert form["method"].lower() == "post"
    assert form.find("input", attrs={"name": "username"})["value"] == ""
    assert form.find("input", attrs={"name": "password"})["type"] == "password"
    text = parse(expect_page(client, "/login").get_data(as_text=True)).get_text(" ")
    assert expects.text("demo") in text
    assert USERNAME in text and PASSWORD in text


def test_get_shows_no_error_before_anything_is_sent(client):
    soup = parse(expect_page(client, "/login").get_data(as_text=True))
    assert soup.find(attrs={"role": "alert"}) is None


def test_the_demo_credentials_sign_in(forms):
    response = forms.submit("/login", "/login", {"username": USERNAME, "password": PASSWORD})
    assert response.status_code == 200
    assert visible_text(response) == expects.text(f"Home Welcome back, {USERNAME}!")
    soup = parse(response.get_data(as_text=True))
    assert soup.title.get_text() == expects.text("Signed in")
    assert soup.find("form") is None


@pytest.mark.parametrize("username, password", [
    (USERNAME, "wrong"),
    ("teacher", PASSWORD),
    (USERNAME.upper(), PASSWORD),
    (USERNAME + " ", PASSWORD),
    (USERNAME, PASSWORD.upper()),
    (USERNAME, ""),
    ("", PASSWORD),
    ("", ""),
    ("   ", "   "),
    ("café ✓ 任务", PASSWORD),
    ("'); DROP TABLE tasks; --", "' OR '1'='1"),
    ("x" * 5000, PASSWORD),
])
def test_wrong_credentials_give_401_and_the_form_again_with_the_username_kept(forms, username, password):
    response = forms.submit("/login", "/login", {"username": username, "password": password})
    assert response.status_code == 401
    soup = parse(response.get_data(as_text=True))
    assert soup.select_one(expects.element('[role="alert"]')).get_text() == expects.text("Wrong username or password.")
    assert soup.find("form", action="/login") is not None
    assert soup.find("input", id="username")["value"] == username
    assert "Welcome" not in soup.get_text()


def test_a_failed_sign_in_shows_the_same_page_as_get_plus_the_error(client, forms):
    form_page = client.get("/login")
    response = forms.submit("/login", "/login", {"username": USERNAME, "password": "wrong"})
    expected = visible_text(form_page).replace("Username", "Wrong username or password. Username", 1)
    assert visible_text(response) == expected
    title = parse(response.get_data(as_text=True)).title.get_text()
    assert title == parse(form_page.get_data(as_text=True)).title.get_text() == expects.text("Sign in")


def test_the_password_is_never_sent_back(forms):
    response = forms.submit("/login", "/login", {"username": USERNAME, "password": "my-secret-guess"})
    assert response.status_code == 401
    assert "my-secret-guess" not in response.get_data(as_text=True)


def test_a_post_without_the_fields_is_refused_not_a_crash(client):
    """A request crafted without the form's fields is a wrong sign-in (401), not a 400 or a 500."""
    response = client.post("/login", data={})
    assert response.status_code == 401
    assert parse(response.get_data(as_text=True)).find("input", id="username")["value"] == ""
