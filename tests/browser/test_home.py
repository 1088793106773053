"""The home page's first screen, in Chromium at 1280 x 900, in each language: before scrolling, a new reader sees
the finished task manager (a picture with a description in the page's language) and the start: the command that
serves the course and the link to step 01.

The built site (tests/conftest.py's course_site) is opened from its folder: what is measured here is the layout,
which needs no web server.
"""
import re

import pytest

from tools.site import HAN

FIRST_SCREEN = {"width": 1280, "height": 900}
HOME = {"zh": "index.html", "en": "en/index.html"}
LOCALE = {"zh": "zh-CN", "en": "en-US"}


@pytest.fixture(params=["zh", "en"])
def home(request, browser, course_site):
    """(language, a tab on that language's home page at 1280 x 900, scrolled to the top)."""
    language = request.param
    context = browser.new_context(viewport=FIRST_SCREEN, locale=LOCALE[language])
    tab = context.new_page()
    tab.goto((course_site / HOME[language]).as_uri())
    yield language, tab
    context.close()


def on_first_screen(locator):
    """Whether the element is shown and lies whole within the first screen."""
    box = locator.bounding_box()
    return (locator.is_visible() and box is not None and box["y"] >= 0
            and box["y"] + box["height"] <= FIRST_SCREEN["height"])


def test_the_finished_task_manager_is_on_the_first_screen(home):
    language, tab = home
    picture = tab.locator('article img[src$="screenshots/06_taskman.png"]')
    assert picture.count() == 1, "the home page shows no picture of the task manager"
    assert picture.evaluate("image => image.complete && image.naturalWidth > 0"), "the picture does not load"
    assert on_first_screen(picture), f"the picture is not whole on the first screen: {picture.bounding_box()}"
    alt = (picture.get_attribute("alt") or "").strip()
    assert alt, "the picture has no alt text"
    assert bool(re.search(f"[{HAN}]", alt)) == (language == "zh"), f"the alt text is not in the page's language: {alt!r}"


def test_the_start_is_on_the_first_screen(home):
    _, tab = home
    serve = tab.locator("article code", has_text=re.compile(r"^python tutorial\.py serve$")).first
    assert serve.count() == 1, "the home page does not show python tutorial.py serve"
    assert on_first_screen(serve), f"python tutorial.py serve is below the first screen: {serve.bounding_box()}"
    step_01 = tab.locator('article a[href="steps/01_hello/"]').first
    assert step_01.count() == 1, "the home page does not link to step 01"
    assert on_first_screen(step_01), f"the link to step 01 is below the first screen: {step_01.bounding_box()}"
