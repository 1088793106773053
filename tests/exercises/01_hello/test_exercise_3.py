"""Exercise 3 of step 01: `python app.py --port N` serves on port N."""
import urllib.request

from support.exercises import exercise_concept
from support.messages import say
from support.servers import python, running

pytestmark = exercise_concept(__file__)

# Runs `python app.py --port N`, but an app.run() asked for another port stops at once instead of serving
# there: the test never takes port 5000 from a server a student has running, nor waits for a port in vain.
RUN_WITH_PORT = """
import runpy, sys, flask
original = flask.Flask.run
def run(self, host=None, port=None, **options):
    if port != int(sys.argv[2]):
        sys.exit(f"app.run() was called with port={port!r}, not {sys.argv[2]}")
    original(self, host=host, port=port, **options)
flask.Flask.run = run
sys.argv[0] = "app.py"
runpy.run_path("app.py", run_name="__main__")
"""


def test_python_app_py_serves_on_the_port_given(app_dir, port, clean_env):
    url = f"http://127.0.0.1:{port}/"
    try:
        with running([python(), "-c", RUN_WITH_PORT, "--port", str(port)], url, cwd=app_dir, env=clean_env):
            with urllib.request.urlopen(url, timeout=5) as response:
                assert response.status == 200
    except AssertionError as error:
        raise AssertionError(say("python app.py --port {port} 没有在 {port} 端口上提供服务：{error}",
                                 "python app.py --port {port} did not serve on port {port}: {error}",
                                 port=port, error=str(error).strip().splitlines()[-1][:300])) from None
