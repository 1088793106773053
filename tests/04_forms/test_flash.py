"""flash() puts a message with a category in the session; the next page shows it once, then it is gone."""
import pytest

from support import expects, parse
from support.pages import flashes
from support.signup import VALID

pytestmark = pytest.mark.concept("flash messages with categories", "flash", zh="带类别的闪现消息")

CREATED = expects.text("Account created for ada.")
expects.element(".flash.success", '.flash[role="status"]')

def test_a_sign_up_flashes_a_success_message_on_the_next_page(forms, client):
    forms.submit("/signup", "/signup", VALID)
    assert flashes(client.get("/")) == [(["flash", "success"], CREATED)]


def test_the_flash_message_is_shown_once_then_gone(forms, client):
    forms.submit("/signup", "/signup", VALID)
    assert flashes(client.get("/")) != []
    assert flashes(client.get("/")) == []


@pytest.mark.parametrize("page", ["/tasks", "/docs", "/search", "/tasks/1"])
def test_the_message_appears_on_whichever_page_comes_next(forms, client, page):
    """The base layout shows flashed messages, so every page that extends it can."""
    forms.submit("/signup", "/signup", VALID)
    assert flashes(client.get(page)) == [(["flash", "success"], CREATED)]


def test_the_messages_sit_in_one_labelled_section_only_when_there_are_some(forms, client):
    """The layout binds get_flashed_messages() once with {% with %}: a section labelled "Messages" holds them,
    and a page with no message has no empty section for a screen reader to land on."""
    section = expects.element('section.messages[aria-label="Messages"]')
    assert parse(client.get("/").get_data(as_text=True)).select(section) == []
    forms.submit("/signup", "/signup", VALID)
    sections = parse(client.get("/").get_data(as_text=True)).select(section)
    assert len(sections) == 1
    assert [p.get_text(strip=True) for p in sections[0].select(".flash")] == [CREATED]


def test_the_message_is_announced_to_screen_readers(forms, client):
    forms.submit("/signup", "/signup", VALID)
    message = parse(client.get("/").get_data(as_text=True)).select_one(".flash")
    assert message["role"] == "status"


def test_a_flashed_username_is_escaped(forms, client):
    forms.submit("/signup", "/signup", {**VALID, "username": "<script>alert(1)</script>"})
    html = client.get("/").get_data(as_text=True)
    assert "<script>alert" not in html
    assert flashes(client.get("/")) == []  # shown once already
    assert "Account created for &lt;script&gt;alert(1)&lt;/script&gt;." in html


def test_two_messages_are_shown_in_order(forms, client):
    """Both forms are loaded first: loading a page would show (and so use up) a waiting message."""
    signup = forms.find("/signup", "/signup").find("input", attrs={"name": "csrf_token"})["value"]
    login = forms.find("/login", "/login").find("input", attrs={"name": "csrf_token"})["value"]
    client.post("/signup", data={**VALID, "csrf_token": signup})
    client.post("/login", data={"username": "student", "password": "flask", "csrf_token": login})
    texts = [text for _, text in flashes(client.get("/"))]
    assert texts == [CREATED, expects.text("Welcome back, student!")]


def test_a_refused_form_flashes_nothing(forms, client):
    forms.submit("/signup", "/signup", {**VALID, "username": ""})
    forms.submit("/login", "/login", {"username": "student", "password": "wrong"})
    assert flashes(client.get("/")) == []
