"""The browser checks themselves: each finds what it should on a page made to fail it, and only that.

A check that cannot fail proves nothing, so these pages break every rule the other tests enforce.
No step is served: the pages are set straight into the tab (or answered by page.route, never the network).
"""
import pytest

from tools.screenshots import DESKTOP

BAD_PAGE = """<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>Made to fail</title>
<style>
  body { background: #ffffff; }
  .pale { color: #aaaaaa; }
  .dark { background: #000000; }
  .dark p { color: #333333; }
  .dark-veil { background: rgba(0, 0, 0, 0.7); }
  .light-veil { background: rgba(0, 0, 0, 0.3); }
  #no-ring:focus, #no-ring:focus-visible { outline: none; }
</style>
</head>
<body>
<main>
  <h1>Made to fail</h1>
  <p class="pale">Pale grey on white</p>
  <div class="dark"><p>Dark grey on black</p></div>
  <div class="dark-veil"><p style="color: #000000">Black behind a dark veil</p></div>
  <div class="light-veil"><p style="color: #ffffff">White behind a light veil</p></div>
  <p style="color: #767676">Just dark enough</p>
  <p style="color: #949494; font-size: 24px">Large light grey</p>
  <button type="button"></button>
  <input id="unlabelled">
  <a href="#" id="no-ring">A link with no focus ring</a>
  <div inert><a href="#">A link Tab cannot reach</a></div>
  <button type="button">A good button</button>
</main>
</body>
</html>"""


@pytest.fixture
def bad_page(browser):
    """A tab showing BAD_PAGE."""
    context = browser.new_context(viewport=DESKTOP)
    tab = context.new_page()
    tab.set_content(BAD_PAGE)
    yield tab
    context.close()


def test_the_name_check_finds_the_nameless_button_and_field(bad_page, checks):
    found = checks.nameless_controls(bad_page)
    assert len(found) == 2, found
    assert any("button" in line for line in found) and any('id="unlabelled"' in line for line in found), found


def test_the_contrast_check_finds_the_pale_texts_only(bad_page, checks):
    found = "\n".join(checks.low_contrast(bad_page))
    assert "Pale grey on white" in found
    assert "Dark grey on black" in found  # the background comes from the parent
    # Translucent backgrounds are mixed with the white below them: neither white nor black is behind these.
    assert "Black behind a dark veil" in found
    assert "White behind a light veil" in found
    assert "Just dark enough" not in found  # #767676 on white is 4.54:1
    assert "Large light grey" not in found  # large text needs only 3:1
    assert "A good button" not in found


def test_the_focus_check_finds_the_hidden_ring_and_the_unreachable_link(bad_page, checks):
    found = checks.focus_problems(bad_page)
    assert len(found) == 2, found
    assert "no-ring" in found[0] and "shows no focus" in found[0], found
    assert "never reached with Tab" in found[1], found


def test_axe_core_finds_the_same_problems(bad_page, checks, axe_core):
    found = "\n".join(checks.axe_violations(bad_page, axe_core))
    for rule in ("button-name", "label", "color-contrast"):
        assert rule in found, found


@pytest.fixture
def recorded_page(browser, watch):
    """A watched tab in which page.route answers http://checks.invalid/ (nothing leaves the machine)."""
    context = browser.new_context(viewport=DESKTOP)
    tab = watch(context.new_page())
    answers = {
        "/": (200, "text/html", '<!doctype html><html lang="en"><title>Broken</title>'
                                '<script>console.error("boom"); null.property;</script>'
                                '<img src="/missing.png" alt="missing"></html>'),
        "/missing.png": (404, "text/plain", "not found"),
    }

    def answer(route):
        status, kind, body = answers[route.request.url.removeprefix("http://checks.invalid")]
        route.fulfill(status=status, content_type=kind, body=body)

    tab.route("http://checks.invalid/**", answer)
    yield tab
    context.close()


def test_the_problem_recorder_sees_console_errors_exceptions_and_error_responses(recorded_page):
    """What test_pages.py relies on: page.problems collects what went wrong in the tab."""
    recorded_page.goto("http://checks.invalid/")
    recorded_page.wait_for_load_state("networkidle")
    found = "\n".join(recorded_page.problems.take())
    assert "console error: boom" in found
    assert "uncaught JavaScript error" in found
    assert "GET http://checks.invalid/missing.png answered 404" in found
    assert recorded_page.problems.take() == [], "take() empties the list"
