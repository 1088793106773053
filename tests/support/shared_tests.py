"""Tests that every step must pass. Each step's test_app.py imports them, so they run in its suite.

A step whose pages need data before they can be crawled overrides the `crawl_start` fixture.
"""
import ast
import socket
import urllib.request

import pytest

from .pages import crawl
from .servers import python, running


@pytest.fixture
def crawl_start():
    """The pages to start crawling from."""
    return ["/"]


@pytest.mark.concept("every page links only to routes of this step", "pages-and-links")
def test_every_page_is_valid_html5_and_links_only_to_routes(client, crawl_start):
    """Crawl from the home page: each page opens, is valid HTML5, and each link leads to a route."""
    pages = crawl(client, crawl_start)
    assert "/" in pages


@pytest.mark.concept("debug mode is never switched on in the code", "debug-mode")
def test_debug_is_off_and_not_switched_on_in_the_code(app, app_dir):
    """Debug mode comes from `flask run --debug`, never from the code (the debugger runs any code)."""
    assert not app.debug
    for source in app_dir.glob("*.py"):
        tree = ast.parse(source.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "debug":
                pytest.fail(f"{source.name} passes debug=... in the code; use `flask run --debug` instead.")
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    text = ast.unparse(target)
                    if text.endswith(".debug") or "DEBUG" in text:
                        pytest.fail(f"{source.name} sets {text} in the code; use `flask run --debug` instead.")


@pytest.mark.concept("starting the development server", "run-it")
def test_flask_run_serves_the_home_page(app_dir, port, clean_env):
    """`flask run` inside the step's folder finds app.py by itself and serves the home page."""
    command = [python(), "-m", "flask", "run", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with running(command, url, cwd=app_dir, env=clean_env):
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200


@pytest.mark.concept("starting the development server", "run-it")
def test_python_app_py_serves_on_127_0_0_1_port_5000(app_dir, clean_env):
    """`python app.py` starts the development server on 127.0.0.1:5000, the address the course uses."""
    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", 5000)) == 0:
            pytest.skip("port 5000 is in use on this machine (another server, or macOS AirPlay)")
    url = "http://127.0.0.1:5000/"
    with running([python(), "app.py"], url, cwd=app_dir, env=clean_env):
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
