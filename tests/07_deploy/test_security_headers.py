"""Every response carries security headers, and the session cookie is Secure, HttpOnly and SameSite=Lax."""
import pytest

from support import crawl, expects, parse

pytestmark = pytest.mark.concept("the app's security headers and secure session cookie", "security-headers",
                                 zh="应用的安全响应头与安全的会话 Cookie")

expects.header("X-Content-Type-Options: nosniff", "X-Frame-Options: DENY",
               "Referrer-Policy: same-origin | strict-origin-when-cross-origin | no-referrer",
               "Content-Security-Policy: default-src 'self'; frame-ancestors 'none'; form-action 'self'",
               "Set-Cookie: session=…; Secure; HttpOnly; SameSite=Lax")

URLS = ["/", "/tasks", "/api/tasks", "/healthz", "/static/style.css", "/no-such-page", "/tasks/999"]


def policy(response):
    """The Content-Security-Policy header as {directive: [sources]}."""
    header = response.headers.get("Content-Security-Policy", "")
    directives = {}
    for part in header.split(";"):
        words = part.split()
        if words:
            directives[words[0].lower()] = words[1:]
    return directives


@pytest.mark.parametrize("url", URLS)
def test_every_response_forbids_sniffing_framing_and_leaking_the_referrer(client, url):
    """Error pages, JSON and static files too: an attacker picks the response, not you."""
    response = client.get(url)
    assert response.headers.get("X-Content-Type-Options") == "nosniff"
    frame_ancestors = policy(response).get("frame-ancestors")
    assert response.headers.get("X-Frame-Options") == "DENY" or frame_ancestors == ["'none'"]
    assert response.headers.get("Referrer-Policy") in ("same-origin", "strict-origin-when-cross-origin", "no-referrer")


@pytest.mark.parametrize("url", URLS)
def test_every_response_has_a_content_security_policy_that_allows_only_this_site(client, url):
    sources = policy(client.get(url))
    scripts = sources.get("script-src", sources.get("default-src"))
    assert scripts is not None, "Set default-src (or script-src) in the Content-Security-Policy."
    assert "'self'" in scripts
    assert not {"*", "'unsafe-inline'", "'unsafe-eval'", "http:", "https:"} & set(scripts)


def test_frames_are_refused_by_both_headers(client):
    """Clickjacking: another site must not show these pages in a frame (old and new browsers)."""
    response = client.get("/tasks")
    assert response.headers["X-Frame-Options"] == "DENY"
    assert policy(response)["frame-ancestors"] == ["'none'"]


def test_forms_may_post_only_to_this_site(client):
    assert policy(client.get("/tasks"))["form-action"] == ["'self'"]


def test_the_policy_still_lets_every_page_load_its_script_and_stylesheet(client, tasks):
    """The pages use only files from /static/ (confirm.js, style.css): nothing inline that the policy would block."""
    assert tasks.add("A task, so the dashboard has its forms").status_code == 302
    pages = crawl(client, ["/", "/tasks", "/tasks/1"])
    scripts = set()
    for url, response in pages.items():
        if response.mimetype != "text/html":
            continue
        soup = parse(response.get_data(as_text=True))
        for script in soup.find_all("script"):
            assert script.get("src", "").startswith("/static/"), f"{url} has an inline or foreign script"
            scripts.add(script["src"])
        assert not soup.find_all("style"), f"{url} has an inline <style> block"
        assert not soup.find_all(style=True), f"{url} has a style= attribute"
        assert not [tag for tag in soup.find_all(True) if any(name.startswith("on") for name in tag.attrs)], (
            f"{url} has an inline event handler (onclick=...)"
        )
    assert "/static/confirm.js" in scripts
    assert client.get("/static/confirm.js").status_code == 200


def session_cookie_header(client, forms):
    """The Set-Cookie header that carries the session, after a form was sent."""
    response = forms.submit("/tasks", "/tasks", {"summary": "Set the session"})
    headers = [value for value in response.headers.getlist("Set-Cookie") if value.startswith("session=")]
    assert headers, "Adding a task should set the session cookie (it carries the flashed message)."
    return headers[0]


def test_the_session_cookie_is_secure_http_only_and_same_site_lax(client, forms):
    """Secure: sent over https only. HttpOnly: no script can read it. SameSite=Lax: not sent with
    POSTs that other sites start."""
    attributes = [part.strip().lower() for part in session_cookie_header(client, forms).split(";")]
    assert "secure" in attributes
    assert "httponly" in attributes
    assert "samesite=lax" in attributes


def test_in_development_the_cookie_works_over_plain_http(fresh_import):
    """On a laptop the site is http://127.0.0.1:5000, where a browser may drop a Secure cookie."""
    app = fresh_import(APP_ENV="development").app
    assert app.config["SESSION_COOKIE_SECURE"] is False
    assert app.config["SESSION_COOKIE_HTTPONLY"] is True
    assert app.config["SESSION_COOKIE_SAMESITE"] == "Lax"
