"""After sign-in, ?next= leads to a path of this site, never elsewhere, whatever is written in it."""
import re
from urllib.parse import parse_qs, quote, unquote, urljoin, urlsplit

import pytest

from support import Forms
from support.accounts import PASSWORD, Account, login_form, sign_in
from support.messages import expect

pytestmark = pytest.mark.concept("a next address on this site only", "safe-next", zh="next 只能指向本站")

SITE = "http://localhost/login"
# What a browser strips or ignores in a URL before reading it (the WHATWG URL standard): leading and trailing C0
# controls and spaces, and tabs and newlines anywhere; in http(s) URLs a backslash is a slash.
C0_AND_SPACE = "".join(map(chr, range(0x21)))
TAB_OR_NEWLINE = re.compile(r"[\t\n\r]")
SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*):(.*)$", re.DOTALL)


def where_a_browser_goes(location):
    """(scheme, host) of the page a browser opens for this Location header, read as a browser reads it."""
    text = TAB_OR_NEWLINE.sub("", location.strip(C0_AND_SPACE)).replace("\\", "/")
    match = SCHEME.match(text)
    if match:
        scheme, rest = match.group(1).lower(), match.group(2)
        if scheme not in ("http", "https"):
            return scheme, None  # javascript:, data:, ftp: ... never this site
        if scheme != "http" or rest.startswith("//"):
            # Another scheme than the page's: what follows is a host, however many slashes come first.
            return scheme, urlsplit("//" + rest.lstrip("/")).hostname
        text = rest  # http: without slashes is relative to the page
    if text.startswith("//"):
        return "http", urlsplit("//" + text.lstrip("/")).hostname  # ///host is //host to a browser
    resolved = urlsplit(urljoin(SITE, text))
    return resolved.scheme, resolved.hostname


def stays_on_the_site(response):
    scheme, host = where_a_browser_goes(response.headers.get("Location", ""))
    return scheme in ("http", "https") and host == "localhost"


HOSTILE = [
    "//evil.example", "///evil.example", "////evil.example", "/\\evil.example", "\\\\evil.example", "\\/evil.example",
    "/\\/evil.example", "https://evil.example", "http://evil.example/tasks", "https:evil.example", "https:/evil.example",
    "HTTPS://evil.example", "ftp://evil.example", "javascript:alert(document.cookie)", "JaVaScRiPt:alert(1)",
    " javascript:alert(1)", "data:text/html,<script>alert(1)</script>", "%2F%2Fevil.example", "/%2F%2Fevil.example",
    "%5C%5Cevil.example", "/%5Cevil.example", "\t//evil.example", "/\t/evil.example", "/\n/evil.example",
    "\r\n//evil.example", " //evil.example", "\x00//evil.example", "//evil.example\x00/tasks", "//evil%2Eexample",
    "//localhost@evil.example", "https://localhost@evil.example", "http://localhost.evil.example/",
    "//evil.example/%2F..", "/tasks/..//evil.example", "\uff0f\uff0fevil.example", "\u2215\u2215evil.example",
    "/\u3000/evil.example", "//evil\u3002example", "\u200b//evil.example", "//ｅｖｉｌ.example", "http:\\\\evil.example",
    "/login?next=//evil.example", "?next=//evil.example", "#//evil.example", "", " ", "\x00",
]


@pytest.fixture
def ada(app):
    return Account(app, "ada")


def through_the_form(app, next):
    """The visitor follows a link /login?next=..., and signs in with the form that page shows."""
    return sign_in(Forms(app.test_client()), "ada", PASSWORD, next=next)


def posted_directly(app, next):
    """A form made by hand: the same fields posted to /login?next=..., with next in the body as well."""
    client = app.test_client()
    form, _ = login_form(Forms(client), "/login")
    token = form.find("input", attrs={"name": "csrf_token"})["value"]
    return client.post(f"/login?next={quote(next, safe='')}",
                       data={"csrf_token": token, "username": "ada", "password": PASSWORD, "next": next})


@pytest.mark.parametrize("send", [through_the_form, posted_directly], ids=["the form's link", "a form made by hand"])
def test_a_next_that_leaves_the_site_leads_to_the_dashboard_instead(app, ada, send):
    """Pitfall 16: redirect(request.args["next"]) sends a person who signed in from a phishing link
    (/login?next=https://evil.example) to the attacker's copy of the site, which then asks for the password
    "again". Whatever trick is written in next, a browser that follows the answer stays on this site.

    陷阱 16：redirect(request.args["next"]) 会把一个从钓鱼链接（/login?next=https://evil.example）登录的人送到攻击者仿造的网站，那个网站再“重新”要一次密码。不管 next 里写了什么花招，浏览器跟着回答走，都留在本站。
    """
    for next in HOSTILE:  # one sign-in each, in a browser of its own
        response = send(app, next)
        assert response.status_code in (302, 303), (next, response.status_code)
        location = response.headers["Location"]
        expect(stays_on_the_site(response), "open-redirect", next=next, location=location)


@pytest.mark.parametrize("next", ["/tasks/1", "/tasks?page=2", "/search?q=milk", "/search?q=caf%C3%A9&page=1", "/"])
def test_a_next_on_this_site_is_where_signing_in_leads(app, ada, next):
    ada.add_all("Buy milk")
    response = through_the_form(app, next)
    assert response.status_code in (302, 303)
    assert response.headers["Location"] in (next, f"http://localhost{next}")


def test_without_next_signing_in_leads_to_the_dashboard(app, ada):
    response = sign_in(Forms(app.test_client()), "ada", PASSWORD)
    assert urlsplit(response.headers["Location"]).path == "/tasks"


def pieces():
    """Parts that open redirects are made of, for Hypothesis to put together in every order."""
    from hypothesis import strategies as st

    part = st.sampled_from(["/", "//", "\\", "%2F", "%5C", "\t", "\n", " ", ":", "http", "https", "javascript",
                            "evil.example", "@", ".", "..", "?", "#", "localhost", "\uff0f", "%00", "\x00", "tasks"])
    return st.lists(part, min_size=1, max_size=8).map("".join)


@pytest.mark.later  # hundreds of made-up addresses: a longer check, in the check's second tier
def test_no_next_put_together_from_the_tricks_leaves_the_site(app, ada):
    """The same, for next values Hypothesis puts together from the pieces of the tricks above."""
    from hypothesis import given, settings

    from support.fuzz import HEALTH_CHECKS  # importing the fuzzer keeps Hypothesis's files out of the repository

    @settings(max_examples=80, derandomize=True, deadline=None, database=None, suppress_health_check=HEALTH_CHECKS)
    @given(pieces())
    def hostile(next):
        response = posted_directly(app, next)
        assert response.status_code in (302, 303), (next, response.status_code)
        expect(stays_on_the_site(response), "open-redirect", next=next, location=response.headers["Location"])

    hostile()


LONG_SEARCH = "/search?q=" + "+".join(["word"] * 800)


def test_a_next_too_long_to_send_back_is_dropped(app, ada, anonymous):
    """nginx passes at most 4 KiB of an app's headers: a Location that carries a search of 800 words would be its
    502 Bad Gateway. Past 1000 characters, counted as sent (任 goes as %E4%BB%BB, nine), next is dropped: the
    visitor signs in and lands on the dashboard."""
    response = anonymous.get(LONG_SEARCH)
    assert response.status_code == 302 and urlsplit(response.headers["Location"]).path == "/login"
    assert len(response.headers["Location"]) <= 1100, f"a Location of {len(response.headers['Location'])} characters"
    for next in (LONG_SEARCH, "/search?q=" + "任" * 400, "/tasks?page=1&" + "x" * 2000):
        for send in (through_the_form, posted_directly):
            response = send(app, next)
            assert response.status_code in (302, 303), (next[:40], response.status_code)
            location = response.headers["Location"]
            assert len(location) <= 1100 and stays_on_the_site(response), (next[:40], location[:200])


def test_a_long_next_that_fits_is_kept(app, ada, anonymous):
    """A search of forty Chinese characters is 370 characters long as sent: long, not too long, and signing in leads
    back to it (its characters written as they are or percent-encoded: the same address)."""
    search = "/search?q=" + quote("任务" * 20) + "&page=1"
    response = anonymous.get(search)
    assert [unquote(next) for next in parse_qs(urlsplit(response.headers["Location"]).query).get("next", [])] == [
        unquote(search)], response.headers["Location"][:200]
    signed = through_the_form(app, search)
    assert unquote(signed.headers["Location"].removeprefix("http://localhost")) == unquote(search)
