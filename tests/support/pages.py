"""Check pages as a student's browser meets them: valid HTML5, labelled controls, working links."""
from collections import Counter, deque
from urllib.parse import urlsplit

import html5lib

from tools.forms import parse

from .messages import say

# Form controls that a person fills in, and so must have a label.
LABELLED_INPUTS = {"text", "email", "password", "search", "number", "url", "tel", "date", "checkbox", "radio"}


def visible_text(response):
    """The text a visitor sees on a page, with runs of spaces and newlines made one space."""
    return " ".join(parse(response.get_data(as_text=True)).body.get_text().split())


def expect_page(client, url, status=200):
    """GET url and check its status, with a message that names the route when it is missing."""
    response = client.get(url)
    hint = say(" app.py 里有这个路由吗？", " Is there a route for it in app.py?") if response.status_code == 404 else ""
    assert response.status_code == status, say("GET {url} 返回了 {got}，应该是 {status}。{hint}",
                                               "GET {url} answered {got}, expected {status}.{hint}",
                                               url=url, got=response.status_code, status=status, hint=hint)
    return response


def assert_valid_page(html, url="page"):
    """Fail unless html is a well-formed HTML5 document that a screen reader can use."""
    parser = html5lib.HTMLParser(strict=True, namespaceHTMLElements=False)
    try:
        parser.parse(html)
    except html5lib.html5parser.ParseError as error:
        line, col = parser.errors[-1][0] if parser.errors else ("?", "?")
        raise AssertionError(f"{url} is not valid HTML5 (line {line}, column {col}): {error}") from None
    assert html.lstrip().lower().startswith("<!doctype html>"), f"{url} does not start with <!doctype html>"
    soup = parse(html)
    root = soup.find("html")
    assert root is not None and root.get("lang"), f'{url} needs <html lang="..."> so screen readers pick a voice'
    title = soup.find("title")
    assert title is not None and title.get_text(strip=True), f"{url} has no <title>"
    ids = Counter(tag["id"] for tag in soup.find_all(id=True))
    repeated = [name for name, count in ids.items() if count > 1]
    assert not repeated, f"{url} repeats the ids {repeated}"
    labelled = {label.get("for") for label in soup.find_all("label")}
    for control in soup.find_all(["input", "select", "textarea"]):
        if control.name == "input" and control.get("type", "text") not in LABELLED_INPUTS:
            continue
        has_label = control.get("id") in labelled or control.get("aria-label") or control.find_parent("label")
        assert has_label, f"{url}: the control {control} has no <label>"
    for button in soup.find_all("button"):
        assert button.get_text(strip=True) or button.get("aria-label"), f"{url}: a button has no text"


def links_of(html):
    """Return the (method, path) of every link, form and asset on a page that stays on this site."""
    soup = parse(html)
    found = []
    for tag, attribute in (("a", "href"), ("link", "href"), ("script", "src"), ("img", "src")):
        for element in soup.find_all(tag):
            if element.has_attr(attribute):
                found.append(("GET", element[attribute]))
    for form in soup.find_all("form"):
        found.append((form.get("method", "get").upper(), form.get("action", "")))
    local = []
    for method, url in found:
        parts = urlsplit(url)
        if parts.scheme or parts.netloc or url.startswith("#"):
            continue
        local.append((method, parts.path + (f"?{parts.query}" if parts.query else "")))
    return local


def crawl(client, start=("/",), limit=200):
    """Follow every GET link from the start pages; return {url: response} for each page reached.

    Each HTML page is checked with assert_valid_page, and each link or form must lead
    to a route of the app (GET links must answer 200 themselves).
    """
    adapter = client.application.url_map.bind("localhost")
    seen, queue, pages = set(start), deque(start), {}
    while queue and len(pages) < limit:
        url = queue.popleft()
        response = client.get(url)
        assert response.status_code == 200, say("{url} 返回了 {got}，它应该以 200 打开。",
                                                "{url} answered {got}; it should open with 200",
                                                url=url, got=response.status_code)
        pages[url] = response
        if response.mimetype != "text/html":
            continue
        html = response.get_data(as_text=True)
        assert_valid_page(html, url)
        for method, link in links_of(html):
            path = urlsplit(link).path
            try:
                adapter.match(path, method=method)
            except Exception as error:  # NotFound or MethodNotAllowed from Werkzeug
                raise AssertionError(say("{url} 链接到 {method} {link}，但没有路由响应它（{error}）。",
                                         "{url} links to {method} {link}, which no route answers ({error}).",
                                         url=url, method=method, link=link, error=error)) from None
            if method == "GET" and link not in seen:
                seen.add(link)
                queue.append(link)
    return pages


def flashes(response):
    """The flashed messages on a page, as (classes, text) pairs: [(["flash", "success"], "Task added.")]."""
    soup = parse(response.get_data(as_text=True))
    return [(element["class"], element.get_text(strip=True)) for element in soup.select(".flash")]
