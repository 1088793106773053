"""Every page is a template that extends one base layout: same navigation, same stylesheet, its own title."""
import jinja2.nodes
import pytest
from flask import template_rendered

from support import expects, parse

pytestmark = pytest.mark.concept("a base layout with blocks", "base-layout", zh="带有块的基础布局")

# Every page of the step, as a visitor reaches it, and the <title> its `title` block gives it.
PAGES = [
    ("/", "Home"),
    ("/tasks", "Tasks"),
    ("/tasks/2", "Task #2"),
    ("/search", "Search"),
    ("/docs", "Docs"),
    ("/login", "Sign in"),
]
NAV = ["/", "/tasks", "/search", "/docs", "/login"]

expects.file("templates/base.html")
expects.element("nav a")


def rendered_templates(app, client, url):
    """GET url and return the names of the templates Flask rendered for it."""
    names = []

    def record(sender, template, context, **extra):
        names.append(template.name)

    with template_rendered.connected_to(record, app):
        response = client.get(url)
    assert response.status_code == 200, f"GET {url} answered {response.status_code}"
    return names


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_every_page_is_rendered_from_a_template_that_extends_base(app, client, url):
    """render_template() fills a child template; the child says {% extends "base.html" %}."""
    names = rendered_templates(app, client, url)
    assert names, f"{url} is not rendered with render_template()"
    source, _, _ = app.jinja_loader.get_source(app.jinja_env, names[0])
    extends = list(app.jinja_env.parse(source).find_all(jinja2.nodes.Extends))
    assert extends, f"templates/{names[0]} does not start with {{% extends \"base.html\" %}}"
    assert extends[0].template.value == "base.html"


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_every_page_shares_the_navigation(client, url):
    nav = parse(client.get(url).get_data(as_text=True)).find("nav")
    assert nav is not None, f"{url} has no <nav>: it should come from base.html"
    assert [link["href"] for link in nav.find_all("a")] == NAV


def test_the_navigation_is_the_same_markup_on_every_page(client):
    """The nav is written once, in base.html, so every page gets exactly the same one."""
    navs = {str(parse(client.get(url).get_data(as_text=True)).find("nav")) for url, _ in PAGES}
    assert len(navs) == 1


@pytest.mark.parametrize("url", [url for url, _ in PAGES])
def test_every_page_links_the_stylesheet(client, url):
    soup = parse(client.get(url).get_data(as_text=True))
    sheets = [link["href"] for link in soup.find_all("link", rel="stylesheet")]
    assert sheets == ["/static/style.css"]


@pytest.mark.parametrize(("url", "title"), PAGES)
def test_each_page_title_comes_from_its_block(client, url, title):
    """base.html writes `{% block title %}{% endblock %} · Task manager`; each page fills the block."""
    soup = parse(client.get(url).get_data(as_text=True))
    assert soup.title.get_text(strip=True) == expects.text(f"{title} · Task manager")


def test_the_title_block_of_a_task_page_uses_the_task_id(client, app_module):
    for task in app_module.TASKS:
        soup = parse(client.get(f"/tasks/{task['id']}").get_data(as_text=True))
        assert soup.title.get_text(strip=True) == f"Task #{task['id']} · Task manager"


def test_page_content_goes_inside_main(client):
    """The content block sits inside base.html's <main>, after the navigation."""
    soup = parse(client.get("/docs").get_data(as_text=True))
    assert soup.find("main").find("h1").get_text(strip=True) == expects.text("Docs")
