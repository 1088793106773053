"""Tests that every step must pass. Each step's suite imports them all (import *), so they run in it.

A step whose pages need data before they can be crawled overrides the `crawl_start` fixture.
"""
import ast
import urllib.request

import pytest

from .pages import crawl
from .servers import python, running
from tutorial import app_source


# What `from support.shared_tests import *` brings into a step's suite: the tests every step passes,
# and the default crawl_start fixture, which a step whose pages need data overrides below the import.
__all__ = [
    "crawl_start",
    "test_every_page_is_valid_html5_and_links_only_to_routes",
    "test_debug_is_off_and_not_switched_on_in_the_code",
    "test_flask_run_serves_the_home_page",
    "test_python_app_py_serves_on_127_0_0_1_port_5000",
]


@pytest.fixture
def crawl_start():
    """The pages to start crawling from."""
    return ["/"]


@pytest.mark.concept("every page links only to routes of this step", "pages-and-links", zh="每个页面只链接到这一步已有的路由")
def test_every_page_is_valid_html5_and_links_only_to_routes(client, crawl_start):
    """Pitfall 10: a link to a route the step does not have breaks the page (url_for raises BuildError).

    陷阱 10：指向本步没有的路由的链接会让页面出错（`url_for` 抛出 `BuildError`）。

    Crawl from the home page: each page opens, is valid HTML5, and each link or form leads to a route.
    """
    pages = crawl(client, crawl_start)
    assert "/" in pages


@pytest.mark.concept("debug mode is never switched on in the code", "debug-mode", zh="代码里从不打开调试模式")
def test_debug_is_off_and_not_switched_on_in_the_code(app, app_dir):
    """Pitfall 11: debug mode comes from `flask run --debug`, never from the code.

    陷阱 11：调试模式只来自 `flask run --debug`，从不来自代码。

    The interactive debugger runs any Python code for whoever reaches it.
    """
    assert not app.debug
    for source in {*app_dir.glob("*.py"), *app_source(app_dir).parent.glob("*.py")}:  # and the package (08 on)
        tree = ast.parse(source.read_bytes())
        for node in ast.walk(tree):
            if isinstance(node, ast.keyword) and node.arg == "debug":
                pytest.fail(f"{source.name} passes debug=... in the code; use `flask run --debug` instead.")
            if isinstance(node, (ast.Assign, ast.AugAssign)):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                for target in targets:
                    text = ast.unparse(target)
                    if text.endswith(".debug") or "DEBUG" in text:
                        pytest.fail(f"{source.name} sets {text} in the code; use `flask run --debug` instead.")


@pytest.mark.servers
@pytest.mark.concept("starting the development server", "run-it", zh="启动开发服务器")
def test_flask_run_serves_the_home_page(app_dir, port, clean_env):
    """`flask run` inside the step's folder finds app.py by itself and serves the home page."""
    command = [python(), "-m", "flask", "run", "--port", str(port)]
    url = f"http://127.0.0.1:{port}/"
    with running(command, url, cwd=app_dir, env=clean_env):
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200


# Runs app.py as `python app.py` does, but records what app.run() is asked for and serves on a free
# port, so the test neither needs port 5000 free nor disturbs a server a student has running there.
RUN_AS_MAIN = """
import runpy, sys, flask
original = flask.Flask.run
def run(self, host=None, port=None, **options):
    print(f"app.run(host={host!r}, port={port!r}, options={sorted(options)})", flush=True)
    original(self, host="127.0.0.1", port=free_port)
flask.Flask.run = run
free_port, sys.argv = int(sys.argv[1]), ["app.py"]  # app.py sees the command line of `python app.py`
runpy.run_path("app.py", run_name="__main__")
"""


@pytest.mark.servers
@pytest.mark.concept("starting the development server", "run-it", zh="启动开发服务器")
def test_python_app_py_serves_on_127_0_0_1_port_5000(app_dir, port, clean_env):
    """`python app.py` calls app.run() with the defaults: 127.0.0.1:5000, and no debug mode."""
    url = f"http://127.0.0.1:{port}/"
    with running([python(), "-c", RUN_AS_MAIN, str(port)], url, cwd=app_dir, env=clean_env) as server:
        with urllib.request.urlopen(url, timeout=5) as response:
            assert response.status == 200
    call = next((line for line in server.output.splitlines() if line.startswith("app.run(")), server.output)
    assert call.startswith("app.run("), call
    assert "host=None" in call or "host='127.0.0.1'" in call, f"app.py must serve on 127.0.0.1 only: {call}"
    assert "port=None" in call or "port=5000" in call, call
    assert "options=[]" in call, f"app.py must not pass options such as debug to app.run(): {call}"
