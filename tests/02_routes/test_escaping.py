"""Text a user controls is escaped with markupsafe.escape before it goes into HTML."""
import pytest

from support import expect_page, expects, parse

pytestmark = pytest.mark.concept("escaping user text with markupsafe", "escaping", zh="用 markupsafe 转义用户输入的文字")

SCRIPT = "<script>alert(1)</script>"
BREAK_OUT = '" autofocus onfocus="alert(1)'


@pytest.mark.parametrize("url, text", [
    # The string converter stops at "/", so the greeting gets a tag without its closing one.
    ("/hello/<script>alert(1)", "<script>alert(1)"),
    ("/files/" + SCRIPT, SCRIPT),
    ("/search?q=" + SCRIPT, SCRIPT),
])
def test_html_in_the_url_is_shown_as_text(client, url, text):
    html = expect_page(client, url).get_data(as_text=True)
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html
    assert text in parse(html).get_text()


def test_html_in_a_greeting_does_not_become_markup(client):
    """<b> typed into the URL is shown as it was typed, not obeyed: the page has no <b> element."""
    soup = parse(expect_page(client, "/hello/<b>Ada<b>").get_data(as_text=True))
    assert soup.find("b") is None
    assert soup.h1.get_text() == "Hello, <b>Ada<b>!"


def test_a_quote_in_the_search_cannot_break_out_of_the_input(client):
    """The query is put back in value="..."; a quote in it must not end the attribute."""
    response = client.get("/search", query_string={"q": BREAK_OUT})
    field = parse(response.get_data(as_text=True)).select_one(expects.element("input#q"))
    assert field["value"] == BREAK_OUT
    assert not field.has_attr("onfocus")


def test_html_in_a_rejected_username_is_shown_escaped(forms):
    response = forms.submit("/login", "/login", {"username": SCRIPT, "password": "x"})
    assert response.status_code == 401
    html = response.get_data(as_text=True)
    assert "&lt;script&gt;" in html
    assert "<script>alert" not in html
    assert parse(html).select_one(expects.element("input#username"))["value"] == SCRIPT


def test_a_quote_in_a_rejected_username_cannot_break_out_of_the_input(forms):
    response = forms.submit("/login", "/login", {"username": BREAK_OUT, "password": "x"})
    field = parse(response.get_data(as_text=True)).select_one(expects.element("input#username"))
    assert field["value"] == BREAK_OUT
    assert not field.has_attr("onfocus")
