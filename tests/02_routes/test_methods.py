"""A route answers only the methods it lists; any other method is 405 Method Not Allowed."""
import pytest

pytestmark = pytest.mark.concept("405 for a method a route does not accept", "method-not-allowed", zh="路由不接受的方法返回 405")


@pytest.mark.parametrize("method, url", [
    ("POST", "/"),
    ("POST", "/healthz"),
    ("POST", "/docs"),
    ("POST", "/hello/Ada"),
    ("POST", "/ticket/42"),
    ("DELETE", "/files/a/b/c.txt"),
    ("POST", "/search"),
    ("PUT", "/login"),
    ("DELETE", "/login"),
])
def test_a_method_the_route_does_not_accept_is_405(client, method, url):
    response = client.open(url, method=method)
    assert response.status_code == 405


@pytest.mark.parametrize("url, allowed", [("/login", {"GET", "POST"}), ("/search", {"GET"}), ("/", {"GET"})])
def test_405_says_which_methods_are_allowed(client, url, allowed):
    """The Allow header lists the route's methods (Flask adds HEAD and OPTIONS by itself)."""
    response = client.put(url)
    assert response.status_code == 405
    methods = {method.strip() for method in response.headers["Allow"].split(",")}
    assert methods - {"HEAD", "OPTIONS"} == allowed
