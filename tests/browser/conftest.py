"""Fixtures for the browser checks: a real Chromium, driven by Playwright, against each step served on 127.0.0.1.

Course-wide, not a student's step: every test here is parametrized over the steps it applies to.
On a laptop without Chromium or Playwright they skip; in CI (CI=true) a missing one is a failure.

    browser         one headless Chromium for the whole run
    server          the step, loaded in-process and served on a free port, one per test module and step
                    (tools/screenshots.py's StepServer; the parameter names the step)
    fresh_database  an empty database for one test, on the same server (with the sample user where
                    tasks have an owner, step 09 on)
    anonymous       profile(): a new browser profile signed in as nobody, on that empty database (step 09 on)
    page            a fresh tab (own cookies) whose problems are recorded: page.problems, page.dialogs;
                    where tasks have an owner, signed in as the sample user (anonymous: context.new_page())
    site            {path: content type} of the pages reachable from "/" by following links (step 09 on:
                    signed in, and signed out)
    html_pages      the HTML ones among them
    checks          the accessibility checks (Checks, at the end of this file)
"""
import importlib
from collections import deque
from urllib.parse import urldefrag, urlsplit

import pytest

from support import require_program
from tools import in_ci
from tools.screenshots import (CHROMIUM_NAMES, DESKTOP, SAMPLE_TASKS, StepServer, has_accounts, has_database, launch,
                               sign_in)

IN_CI = in_ci()


def required_module(name, package):
    """Import a module the browser checks need: skip on a laptop without it, fail in CI (which installs it)."""
    reason = f"the {package} package is not installed: python tutorial.py setup browser"
    if IN_CI:
        try:
            return importlib.import_module(name)
        except ImportError:
            pytest.fail(f"{reason} (CI installs every group of requirements, so it must be there)", pytrace=False)
    return pytest.importorskip(name, reason=reason)


@pytest.fixture(scope="session")
def sync_api():
    """Playwright's synchronous API."""
    return required_module("playwright.sync_api", "playwright")


@pytest.fixture(scope="session")
def axe_core():
    """Deque's axe-core accessibility engine, bundled by axe-playwright-python (no download)."""
    return required_module("axe_playwright_python.sync_playwright", "axe-playwright-python").Axe()


@pytest.fixture(scope="session")
def browser(sync_api):
    """One headless Debian Chromium for every browser test (Playwright's own download does not work offline)."""
    executable = require_program(*CHROMIUM_NAMES,
                                 why="the browser checks drive a real Chromium (apt-get install chromium)")
    with sync_api.sync_playwright() as playwright:
        chromium = launch(playwright, executable)
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def server(request, tmp_path_factory):
    """The step named by the test's parameter, served on 127.0.0.1 until the module's tests are done.

    From step 05 on it starts with the course's sample tasks, so the task pages have something to show.
    """
    step = request.param
    folder = tmp_path_factory.mktemp(f"browser-{step}")
    served = StepServer(step, folder)
    if has_database(step):
        served.use_database(folder / "sample.db", SAMPLE_TASKS)
    yield served
    served.stop()


@pytest.fixture
def fresh_database(server, tmp_path):
    """An empty database for this test only (the server stays the same)."""
    server.use_database(tmp_path / "tasks.db")
    return server.database


@pytest.fixture
def anonymous(browser, server, watch, fresh_database):
    """Where tasks have an owner: a fresh browser profile for each person, signed in as nobody, on an empty
    database (call it once per person)."""
    opened = []

    def profile():
        context = browser.new_context(base_url=server.url, locale="en-US")
        opened.append(context)
        return watch(context.new_page())

    yield profile
    for context in opened:
        context.close()


class Problems:
    """What a page did wrong while a test used it: console errors, failed requests, error responses."""

    def __init__(self, page):
        self.found = []
        page.on("console", self.console)
        page.on("pageerror", lambda error: self.found.append(f"uncaught JavaScript error: {error}"))
        page.on("requestfailed", self.request_failed)
        page.on("response", self.response)

    def console(self, message):
        # A page with no <link rel=icon> (a JSON answer) makes Chromium ask for /favicon.ico, which no step
        # serves: not a fault of the page. test_pages.py checks that each step's pages link an icon that is there.
        if message.location.get("url", "").endswith("/favicon.ico"):
            return
        if message.type == "error":
            self.found.append(f"console error: {message.text} (at {message.location.get('url')})")

    def request_failed(self, request):
        # Chromium fetches the tab's icon (a request of type "other") after the page has loaded, so going on
        # to the next page often cancels it: net::ERR_ABORTED, not a fault of the page. A missing icon
        # answers 404, which response() records.
        if request.failure == "net::ERR_ABORTED" and request.resource_type == "other":
            return
        self.found.append(f"request failed: {request.method} {request.url} ({request.failure})")

    def response(self, response):
        if response.status >= 400:
            self.found.append(f"{response.request.method} {response.url} answered {response.status}")

    def take(self):
        """The problems seen since the last call."""
        found, self.found = self.found, []
        return found


class Dialogs:
    """Answers window.confirm()/alert() dialogs as planned; any other dialog is dismissed and recorded."""

    def __init__(self, page):
        self.planned = deque()
        self.messages = []
        self.unexpected = []
        page.on("dialog", self.answer)

    def answer(self, dialog):
        self.messages.append(dialog.message)
        if not self.planned:
            self.unexpected.append(f"{dialog.type}: {dialog.message}")
            dialog.dismiss()
        elif self.planned.popleft():
            dialog.accept()
        else:
            dialog.dismiss()

    def will(self, accept):
        """Answer the next dialog with OK (accept=True) or Cancel."""
        self.planned.append(accept)


@pytest.fixture
def context(browser, server):
    """A fresh browser profile (no cookies) at desktop size, whose relative URLs go to the server."""
    fresh = browser.new_context(base_url=server.url, viewport=DESKTOP, locale="en-US")
    yield fresh
    fresh.close()


def watched(tab):
    """Give a tab page.problems and page.dialogs, which record what went wrong in it."""
    tab.problems = Problems(tab)
    tab.dialogs = Dialogs(tab)
    return tab


@pytest.fixture(scope="session")
def watch():
    """watched(), for tests that open their own tabs."""
    return watched


@pytest.fixture
def page(context, server):
    """A tab in that profile; page.problems and page.dialogs record what went wrong. Where tasks have an owner,
    the sample user is signed in first, so the task pages are theirs."""
    tab = watched(context.new_page())
    if has_accounts(server.step):
        sign_in(tab)
        tab.problems.take()
    return tab


def crawl(page, start="/", limit=80):
    """Follow every link from start (GET only, same site); return {path: content type} of each page reached."""
    queue, seen, reached = deque([start]), {start}, {}
    while queue and len(reached) < limit:
        path = queue.popleft()
        response = page.goto(path)
        assert response is not None, f"Opening {path} gave no response"
        kind = response.headers.get("content-type", "").split(";")[0]
        reached[path] = kind
        if kind != "text/html":
            continue
        origin = "{0.scheme}://{0.netloc}".format(urlsplit(page.url))
        for href in page.eval_on_selector_all("a[href]", "links => links.map(link => link.href)"):
            url, _ = urldefrag(href)
            if not url.startswith(origin + "/"):
                continue
            link = url[len(origin):]
            if link not in seen:
                seen.add(link)
                queue.append(link)
    return reached


@pytest.fixture(scope="session")
def crawled():
    """The crawls made so far, by step: every module serves the same pages, so one crawl a step will do."""
    return {}


@pytest.fixture(scope="module")
def site(server, browser, crawled):
    """{path: content type} of every page reachable from "/"."""
    if server.step not in crawled:
        context = browser.new_context(base_url=server.url, viewport=DESKTOP)
        try:
            crawled[server.step] = crawl(context.new_page())
            if has_accounts(server.step):
                # What a signed-in person reaches (their tasks), besides what a visitor does (sign in, sign up).
                signed_in = context.new_page()
                sign_in(signed_in)
                crawled[server.step] = {**crawled[server.step], **crawl(signed_in)}
        finally:
            context.close()
    return crawled[server.step]


@pytest.fixture(scope="module")
def html_pages(site):
    """The paths of the HTML pages a student can reach (JSON endpoints left out)."""
    return [path for path, kind in site.items() if kind == "text/html"]


# Chromium's roles for things a person operates; each must have a name.
CONTROL_ROLES = {"link", "button", "textbox", "searchbox", "checkbox", "radio", "combobox", "listbox",
                 "slider", "spinbutton", "switch", "menuitem", "tab"}

# Collects the page's keyboard-focusable controls and how each looks while it does not have focus.
FOCUS_SETUP = """() => {
  const look = element => {
    const style = getComputedStyle(element);
    return `outline: ${style.outlineStyle} ${style.outlineWidth} ${style.outlineColor}; box-shadow: ${style.boxShadow}`;
  };
  const controls = [...document.querySelectorAll(
      "a[href], button, input:not([type=hidden]), select, textarea, [tabindex]")]
    .filter(element => element.tabIndex >= 0 && !element.disabled && element.checkVisibility());
  document.activeElement.blur();
  window.focusCheck = {controls, look, unfocused: controls.map(look)};
  return controls.map(element => element.outerHTML.split(">")[0].slice(0, 100) + ">");
}"""

# Which of those controls has focus now, and whether it looks different from when it had none.
FOCUS_NOW = """() => {
  const {controls, look, unfocused} = window.focusCheck;
  const index = controls.indexOf(document.activeElement);
  if (index < 0) return {index};
  return {index, before: unfocused[index], after: look(controls[index])};
}"""

# The contrast of every piece of visible text with what is behind it, computed from the styles
# Chromium computed: the text colour over the element's background, walking up through
# transparent and translucent backgrounds to the first opaque one (the white canvas at the top).
CONTRAST = """() => {
  const canvas = document.createElement("canvas").getContext("2d");
  const parse = value => {
    const match = value.match(/^rgba?\\(([\\d.]+),\\s*([\\d.]+),\\s*([\\d.]+)(?:,\\s*([\\d.]+))?\\)$/);
    if (match) return [+match[1], +match[2], +match[3], match[4] === undefined ? 1 : +match[4]];
    canvas.clearRect(0, 0, 1, 1); canvas.fillStyle = value; canvas.fillRect(0, 0, 1, 1);
    const [r, g, b, a] = canvas.getImageData(0, 0, 1, 1).data;
    return [r, g, b, a / 255];
  };
  const over = (top, below) => {  // top drawn over an opaque colour
    const alpha = top[3];
    return [0, 1, 2].map(i => top[i] * alpha + below[i] * (1 - alpha)).concat(1);
  };
  const background = element => {
    const layers = [];
    for (let node = element; node; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (style.backgroundImage !== "none") return null;  // an image or gradient: not computable here
      const colour = parse(style.backgroundColor);
      if (colour[3] > 0) layers.push(colour);
      if (colour[3] >= 1) break;
    }
    let result = [255, 255, 255, 1];
    for (const layer of layers.reverse()) result = over(layer, result);
    return result;
  };
  const luminance = colour => {
    const [r, g, b] = colour.slice(0, 3).map(v => {
      v /= 255;
      return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const results = [];
  for (const element of document.body.querySelectorAll("*")) {
    const hasText = [...element.childNodes].some(node => node.nodeType === 3 && node.textContent.trim());
    const value = ["INPUT", "TEXTAREA"].includes(element.tagName) && element.type !== "hidden" && element.value.trim();
    if (!(hasText || value) || ["SCRIPT", "STYLE", "OPTION"].includes(element.tagName)) continue;
    if (!element.checkVisibility({opacityProperty: true, visibilityProperty: true}) || element.disabled) continue;
    const style = getComputedStyle(element);
    const back = background(element);
    if (!back) continue;
    const text = over(parse(style.color), back);
    const [light, dark] = [luminance(text), luminance(back)].sort((a, b) => b - a);
    const ratio = (light + 0.05) / (dark + 0.05);
    const size = parseFloat(style.fontSize), bold = parseInt(style.fontWeight, 10) >= 700;
    const large = size >= 24 || (bold && size >= 18.66);
    results.push({
      text: (value || element.textContent).trim().replace(/\\s+/g, " ").slice(0, 60),
      tag: element.tagName.toLowerCase(), ratio, required: large ? 3 : 4.5,
      colour: style.color, background: `rgb(${back.slice(0, 3).map(Math.round).join(", ")})`,
    });
  }
  return results;
}"""

WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]


class Checks:
    """The accessibility checks, each returning the problems it finds on the page as it is now.

    tests/browser/test_checks.py shows that each one finds what it should on a page made to fail it.
    """

    @staticmethod
    def nameless_controls(page):
        """Links, buttons and fields that have no name in Chromium's accessibility tree."""
        cdp = page.context.new_cdp_session(page)
        nameless = []
        for node in cdp.send("Accessibility.getFullAXTree")["nodes"]:
            role = node.get("role", {}).get("value")
            if node.get("ignored") or role not in CONTROL_ROLES or node.get("name", {}).get("value", "").strip():
                continue
            described = cdp.send("DOM.describeNode", {"backendNodeId": node["backendDOMNodeId"]})["node"]
            attributes = described.get("attributes", [])
            html = " ".join(f'{name}="{value}"' for name, value in zip(attributes[::2], attributes[1::2]))
            nameless.append(f"a {role} with no name: <{described['localName']} {html}>")
        cdp.detach()
        return nameless

    @staticmethod
    def low_contrast(page):
        """Text whose contrast with its background is below what WCAG 2 AA asks."""
        return [f"{item['tag']} “{item['text']}”: {item['ratio']:.2f}:1, needs {item['required']}:1 "
                f"({item['colour']} on {item['background']})"
                for item in page.evaluate(CONTRAST) if item["ratio"] < item["required"]]

    @staticmethod
    def axe_violations(page, axe):
        """What axe-core reports against WCAG 2.0 and 2.1, levels A and AA."""
        # Only the violations: the lists of what passed are most of axe's time on a long page.
        result = axe.run(page, options={"runOnly": {"type": "tag", "values": WCAG_TAGS}, "resultTypes": ["violations"]})
        return [f"{violation['id']} ({violation['impact']}): {violation['help']} — "
                + ", ".join(str(node["target"]) for node in violation["nodes"][:5])
                for violation in result.response["violations"]]

    @staticmethod
    def focus_problems(page):
        """Press Tab through the page: controls that show no focus, and controls Tab never reaches.

        A date field (step 10 on) takes several presses of Tab, one for each of its parts (month, day, year),
        while it stays the focused element: those presses go on to the next control."""
        controls = page.evaluate(FOCUS_SETUP)
        reached, problems, last = set(), [], None
        for _ in range(len(controls) + 2 + 4 * page.locator("input[type=date]").count()):
            page.keyboard.press("Tab")
            now = page.evaluate(FOCUS_NOW)
            index = now["index"]
            if index >= 0 and index == last:
                continue
            if index < 0 or index in reached:
                break
            reached.add(index)
            last = index
            if now["before"] == now["after"]:
                problems.append(f"{controls[index]} shows no focus ({now['after']})")
        return problems + [f"{control} is never reached with Tab"
                           for index, control in enumerate(controls) if index not in reached]


@pytest.fixture(scope="session")
def checks():
    """The accessibility checks (see Checks)."""
    return Checks()
