"""ProxyFix trusts exactly one proxy, nginx: its X-Forwarded-For, -Proto and -Host, and nothing more."""
import pytest
from flask import current_app, request, url_for

from support import endpoint, expects

pytestmark = pytest.mark.concept("trusting exactly one proxy", "proxy-fix", zh="只信任一层代理")

NGINX = {"REMOTE_ADDR": "127.0.0.1"}  # the app only ever hears from nginx, on loopback

expects.env("APP_HOSTS")


@pytest.fixture
def seen(app):
    """A client whose requests answer with what the app believes about them."""

    @app.route("/_what_the_app_sees")
    def what_the_app_sees():
        return {"remote_addr": request.remote_addr, "scheme": request.scheme, "host": request.host,
                "is_secure": request.is_secure, "external_url": url_for(endpoint(current_app, "tasks"), _external=True)}

    client = app.test_client()

    def ask(**headers):
        return client.get("/_what_the_app_sees", headers=headers, environ_base=NGINX).get_json()

    return ask


def test_without_forwarded_headers_the_app_sees_the_connection_itself(seen):
    answer = seen()
    assert answer["remote_addr"] == "127.0.0.1"
    assert answer["external_url"] == "http://localhost/tasks"


def test_x_forwarded_proto_https_makes_external_urls_https(seen):
    """nginx ends TLS; the app hears plain http from it, but links and redirects must say https."""
    answer = seen(**{"X-Forwarded-Proto": "https"})
    assert answer["scheme"] == "https"
    assert answer["is_secure"] is True
    assert answer["external_url"] == "https://localhost/tasks"


def test_x_forwarded_host_is_the_site_name_in_external_urls(seen):
    answer = seen(**{"X-Forwarded-Host": "tasks.example.com", "X-Forwarded-Proto": "https"})
    assert answer["host"] == "tasks.example.com"
    assert answer["external_url"] == "https://tasks.example.com/tasks"


def test_x_forwarded_for_gives_the_visitors_address(seen):
    assert seen(**{"X-Forwarded-For": "203.0.113.7"})["remote_addr"] == "203.0.113.7"


def test_a_second_hop_in_x_forwarded_for_is_not_trusted(seen):
    """A visitor can send their own X-Forwarded-For; nginx appends the real address after it.
    Only that last value, written by the one proxy we run, is believed."""
    answer = seen(**{"X-Forwarded-For": "6.6.6.6, 203.0.113.7"})
    assert answer["remote_addr"] == "203.0.113.7"


@pytest.mark.parametrize("proto", ["https, http", "http, https"])
def test_only_the_last_x_forwarded_proto_counts(seen, proto):
    assert seen(**{"X-Forwarded-Proto": proto})["scheme"] == proto.split(", ")[-1]


def test_only_the_last_x_forwarded_host_counts(seen):
    answer = seen(**{"X-Forwarded-Host": "evil.example, tasks.example.com"})
    assert answer["host"] == "tasks.example.com"


@pytest.mark.parametrize("header, value", [("X-Forwarded-Prefix", "/evil"), ("X-Forwarded-Port", "4444")])
def test_headers_that_nginx_does_not_set_are_ignored(seen, header, value):
    assert seen(**{header: value})["external_url"] == "http://localhost/tasks"


def test_app_hosts_names_the_only_hosts_the_app_answers(fresh_import):
    """APP_HOSTS becomes Flask's TRUSTED_HOSTS: a forged Host is a 400, never a redirect to it."""
    app = fresh_import(APP_HOSTS="tasks.example.com, www.tasks.example.com").app
    client = app.test_client()
    for host in ("tasks.example.com", "www.tasks.example.com", "tasks.example.com:8080"):
        assert client.get("/healthz", headers={"Host": host}).status_code == 200, host
    for host in ("evil.example", "tasks.example.com.evil.example", "127.0.0.1"):
        response = client.get("/tasks//1", headers={"Host": host})
        assert response.status_code == 400, host
        assert "Location" not in response.headers
    forged = client.get("/tasks//1", headers={"Host": "tasks.example.com", "X-Forwarded-Host": "evil.example"},
                        environ_base=NGINX)
    assert forged.status_code == 400


def test_without_app_hosts_any_host_is_answered(fresh_import):
    """Unset, nginx's server_name is the one check (deploy/nginx.conf): fine behind nginx."""
    client = fresh_import(APP_HOSTS=None).app.test_client()
    assert client.get("/healthz", headers={"Host": "anything.example"}).status_code == 200
