"""Several static routes: a home page, a JSON health check and a docs page."""
import pytest

from support import expect_page, expects, parse

pytestmark = pytest.mark.concept("several static routes", "static-routes", zh="几个静态路由")

expects.route("GET /", "GET /docs", "GET /healthz")


@pytest.mark.parametrize("url, heading", [("/", expects.text("Routes and view functions")), ("/docs", "Docs")])
def test_static_html_pages_open(client, url, heading):
    response = expect_page(client, url)
    assert response.mimetype == "text/html"
    assert parse(response.get_data(as_text=True)).h1.get_text() == heading


def test_health_check_answers_json(client):
    """/healthz is for machines (a load balancer, a monitor): JSON, not HTML."""
    response = expect_page(client, "/healthz")
    assert response.mimetype == "application/json"
    assert response.get_json() == expects.json({"status": "ok"})


@pytest.mark.parametrize("converter", ["string", "int", "float", "path"])
def test_docs_page_names_each_converter(client, converter):
    html = expect_page(client, "/docs").get_data(as_text=True)
    codes = [code.get_text() for code in parse(html).find_all("code")]
    assert converter in codes


@pytest.mark.parametrize("url", ["/nowhere", "/Docs", "/healthz/extra", "/hello"])
def test_a_url_no_route_matches_is_404(client, url):
    """Routes match exactly: another spelling or an extra segment is 404 Not Found."""
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url, title", [
    ("/", "Home"), ("/docs", "Docs"), ("/hello/Ada", "Hello"), ("/ticket/42", "Ticket"), ("/price/9.99", "Price"),
    ("/temperature/-4.5", "Temperature"), ("/files/a/b/c.txt", "File"), ("/search", "Search"), ("/login", "Sign in"),
])
def test_each_page_has_a_title_naming_it(client, url, title):
    """The page() helper gives every page a <title>: what a browser tab and a bookmark show."""
    response = client.get(url)
    assert response.status_code == 200
    assert parse(response.get_data(as_text=True)).title.get_text() == title
