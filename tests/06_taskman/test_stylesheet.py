"""A clean, responsive stylesheet: the page fits a phone's screen."""
import re

import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("a responsive stylesheet", "stylesheet", zh="响应式样式表")

expects.element('meta[name="viewport"][content*="width=device-width"]')
expects.file("static/style.css", "@media")


def test_every_page_asks_for_the_device_width(client):
    """Without this meta tag, a phone shows the page zoomed out as if it were a desktop screen."""
    viewport = parse(client.get("/tasks").get_data(as_text=True)).find("meta", attrs={"name": "viewport"})
    assert viewport is not None
    assert "width=device-width" in viewport.get("content", "")


def test_the_stylesheet_adapts_to_narrow_screens(client):
    soup = parse(client.get("/tasks").get_data(as_text=True))
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert sheets, "the layout links no stylesheet"
    css = "".join(client.get(href).get_data(as_text=True) for href in sheets)
    assert re.search(r"@media[^{]*max-width", css), "the stylesheet has no @media (max-width: ...) rule"
