"""url_for builds every link and the stylesheet's address; static/ serves the stylesheet."""
import pytest

from support import expects, links_of, parse

pytestmark = pytest.mark.concept("url_for for routes and static files", "url-for-and-static",
                                 zh="用 url_for 生成路由和静态文件的地址")

PAGES = ["/", "/tasks", "/tasks/1", "/search?q=a", "/docs", "/login"]

expects.file("static/style.css")


def stylesheet_of(html):
    return parse(html).find("link", rel="stylesheet")["href"]


def test_the_stylesheet_is_served_from_static_as_css(client, app_dir):
    href = stylesheet_of(client.get("/").get_data(as_text=True))
    response = client.get(href)
    assert response.status_code == 200
    assert response.mimetype == "text/css"
    assert response.get_data() == (app_dir / "static" / "style.css").read_bytes()


def test_a_missing_static_file_is_404(client):
    assert client.get("/static/missing.css").status_code == 404


@pytest.mark.parametrize("url", PAGES)
def test_links_follow_the_app_when_it_is_mounted_under_a_prefix(client, url):
    """Behind a prefix (/course), url_for adds it to every link; a hard-coded href="/tasks" would not."""
    response = client.get(url, base_url="http://localhost/course")
    assert response.status_code == 200
    links = [link for method, link in links_of(response.get_data(as_text=True))]
    assert links, f"{url} has no links"
    outside = [link for link in links if not link.startswith("/course/")]
    assert not outside, f"{url} has links written by hand instead of with url_for: {outside}"


def test_the_stylesheet_under_a_prefix_is_served(client):
    html = client.get("/", base_url="http://localhost/course").get_data(as_text=True)
    href = stylesheet_of(html)
    assert href == "/course/static/style.css"
    assert client.get(href.removeprefix("/course"), base_url="http://localhost/course").status_code == 200
