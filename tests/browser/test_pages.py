"""Every page of every step, opened in Chromium: no console error, no failed request, the stylesheet applied.

A student meets these pages in a browser, not in Flask's test client: a missing stylesheet,
a script that throws or a link to a 404 shows up only there.
"""
import pytest

from tools.screenshots import STYLED_STEPS
from tools.steps import STEPS

# Styles that a step's own stylesheet changes somewhere on every page (the browser's defaults otherwise).
STYLE_PROBE = """() => {
  const sheets = [...document.styleSheets].filter(sheet => sheet.href);
  const elements = ["body", "nav", "h1", "a", "label", "button"]
    .map(selector => document.querySelector(selector)).filter(Boolean);
  const properties = ["font-family", "max-width", "margin-left", "color", "line-height", "display",
                      "padding-top", "outline-color", "font-weight", "background-color"];
  const snapshot = () => elements.map(element => {
    const style = getComputedStyle(element);
    return properties.map(name => style.getPropertyValue(name)).join("|");
  }).join("\\n");
  const styled = snapshot();
  sheets.forEach(sheet => { sheet.disabled = true; });
  const plain = snapshot();
  sheets.forEach(sheet => { sheet.disabled = false; });
  return {
    sheets: sheets.map(sheet => ({href: sheet.href, rules: sheet.cssRules.length})),
    changes: styled !== plain,
  };
}"""


@pytest.mark.parametrize("server", STEPS, indirect=True, scope="module")
def test_every_page_loads_without_console_errors_or_failed_requests(page, site):
    """Open each page reachable from "/": nothing logged as an error, every request answered below 400."""
    assert "/" in site
    problems = {}
    for path in site:
        response = page.goto(path)
        assert response.status == 200, f"{path} answered {response.status}"
        found = page.problems.take()
        if found:
            problems[path] = found
    assert not problems, "Pages with problems in the browser:\n" + "\n".join(
        f"  {path}: {'; '.join(found)}" for path, found in problems.items())
    assert not page.dialogs.unexpected, f"A page opened a dialog by itself: {page.dialogs.unexpected}"


@pytest.mark.parametrize("server", STYLED_STEPS, indirect=True, scope="module")
def test_the_stylesheet_loads_and_applies_on_every_page(page, html_pages):
    """Each HTML page links the step's stylesheet, it loads with rules, and turning it off changes the page."""
    failures = []
    for path in html_pages:
        page.goto(path)
        probe = page.evaluate(STYLE_PROBE)
        if not probe["sheets"]:
            failures.append(f"{path} links no stylesheet")
        elif not all(sheet["rules"] for sheet in probe["sheets"]):
            failures.append(f"{path}: a stylesheet loaded with no rules: {probe['sheets']}")
        elif not probe["changes"]:
            failures.append(f"{path}: the stylesheet changes nothing that is computed on the page")
    assert not failures, "\n".join(failures)


@pytest.mark.parametrize("server", STEPS, indirect=True, scope="module")
def test_the_browser_finds_the_sites_icon(page):
    """The icon a browser shows in the tab is there: the page's <link rel=icon>, or else /favicon.ico."""
    page.goto("/")
    icon = page.evaluate("""() => {
      const link = document.querySelector("link[rel~=icon]");
      return link ? link.href : new URL("/favicon.ico", location.href).href;
    }""")
    if icon.startswith("data:"):
        return
    response = page.request.get(icon)
    assert response.ok, f"The browser asks for the icon {icon}, which answers {response.status}"
