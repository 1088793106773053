"""Fixtures shared by every step's suite, in the shape of Flask's own tutorial: app, client, runner.

Each suite lives in tests/NN_name/ and runs against steps/NN_name by default.
`--app-dir PATH` runs it against a student's own folder instead.
"""
import functools
import os
import subprocess
import sys
from pathlib import Path

import jinja2
import pytest

# A test run writes nothing into the repository: no __pycache__ beside the steps. (The coach, tools/check.py,
# keeps compiled files in sys.pycache_prefix, outside the repository, so that a warm check starts at once.)
sys.dont_write_bytecode = sys.dont_write_bytecode or not sys.pycache_prefix

from support import ROOT, STEPS, Forms, TaskActions, load_app_module, step_title  # noqa: E402
from support.messages import forget_requests, record_requests, remember_comparison  # noqa: E402
from tools.servers import free_port  # noqa: E402
from tutorial import flask_app_option  # noqa: E402

TESTS = Path(__file__).resolve().parent


@pytest.hookimpl(tryfirst=True)
def pytest_configure(config):
    """Register the fuzzer's "thorough" profile (support/fuzz.py) before Hypothesis's plugin loads the one that
    --hypothesis-profile names. Without that option only the fuzz tests import Hypothesis."""
    if config.getoption("hypothesis_profile", None):
        import support.fuzz  # noqa: F401


def pytest_addoption(parser):
    parser.addoption(
        "--app-dir",
        metavar="PATH",
        help="run the suite against the app in PATH instead of the course's own step",
    )


def step_of(node):
    """Return the step a test belongs to ("03_templates"), or None for course-wide tests."""
    return step_of_path(str(node.path))


@functools.lru_cache(maxsize=None)
def step_of_path(path):
    """step_of() for a test file's path (resolved once per file: each test's hooks ask again)."""
    folder = Path(path).resolve().relative_to(TESTS).parts[0]
    return folder if folder in STEPS else None


@pytest.fixture
def step(request):
    """The name of the step this test checks."""
    name = step_of(request.node)
    if name is None:
        pytest.fail("This fixture only serves tests inside a step's folder, such as tests/03_templates/.")
    return name


@pytest.fixture
def app_dir(request, step):
    """The folder whose app.py is under test: --app-dir, or the course's own step."""
    chosen = request.config.getoption("--app-dir")
    return Path(chosen).resolve() if chosen else ROOT / "steps" / step


# The environment a deployed step reads its configuration from (step 07); earlier steps ignore it.
TEST_SECRET = "a-test-secret-that-is-long-enough-for-production"


@pytest.fixture
def app_env(tmp_path, monkeypatch):
    """Set the production configuration in the environment: a real secret and a temporary database."""
    database = str(tmp_path / "tasks.db")
    # FLASK_DATABASE for steps 04-06 (app.config.from_prefixed_env), APP_DATABASE for step 07.
    env = {"APP_SECRET": TEST_SECRET, "APP_DATABASE": database, "FLASK_DATABASE": database}
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    return env


@pytest.fixture
def app_module(app_dir, app_env):
    """The step's app.py, imported afresh for this test (so in-memory lists start clean)."""
    try:
        return load_app_module(app_dir)
    except (FileNotFoundError, AttributeError) as error:
        pytest.fail(str(error), pytrace=False)


class TemplateCache(jinja2.BytecodeCache):
    """Compiled templates kept in memory for the whole run: each test loads its app afresh, and would otherwise
    compile every template again. Jinja checks each template's source, so an edited template is compiled anew."""

    def __init__(self):
        self.buckets = {}

    def load_bytecode(self, bucket):
        if bucket.key in self.buckets:
            bucket.bytecode_from_string(self.buckets[bucket.key])

    def dump_bytecode(self, bucket):
        self.buckets[bucket.key] = bucket.bytecode_to_string()


TEMPLATES = TemplateCache()


@pytest.fixture
def app(app_module, tmp_path):
    """The Flask app in testing mode, with its database (from step 05 on) in a temporary folder."""
    flask_app = app_module.app
    flask_app.config.update(TESTING=True)
    flask_app.jinja_env.bytecode_cache = TEMPLATES
    if "DATABASE" in flask_app.config:
        flask_app.config["DATABASE"] = str(tmp_path / "tasks.db")
    return flask_app


@pytest.fixture
def client(app):
    """A test client: a browser without a screen."""
    return app.test_client()


@pytest.fixture
def runner(app):
    """Runs the app's `flask` commands without a shell."""
    return app.test_cli_runner()


@pytest.fixture
def forms(client):
    """Submits the app's forms as a browser would, CSRF token included."""
    return Forms(client)


@pytest.fixture
def tasks(app, client, forms):
    """Use the task manager (05 on) through its forms and read its database back."""
    return TaskActions(app, client, forms)


@pytest.fixture(scope="session")
def course_site(tmp_path_factory):
    """The course site as `mkdocs build --strict` makes it, built once per run for every test that reads it."""
    from support.site_build import build

    return build(ROOT, tmp_path_factory.mktemp("site"))


def pytest_collection_modifyitems(config, items):
    """Mark the slow kinds of test by where they live; with --app-dir, insist on a single step.

    Everything under tests/browser/ drives Chromium; a file named test_servers.py, and a test that needs the
    throwaway PostgreSQL server (support/postgres.py), start real servers: `-m "not servers and not browser"`
    selects the fast part of the suite. A file named test_containers.py builds and runs Docker images: servers
    too, and containers, which a student's check leaves out (support/containers.py).
    """
    for item in items:
        path = Path(item.path)
        if "browser" in path.relative_to(TESTS).parts[:1]:
            item.add_marker(pytest.mark.browser)
        if path.name == "test_servers.py" or "postgres" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.servers)
        if path.name == "test_containers.py":
            item.add_marker(pytest.mark.servers)
            item.add_marker(pytest.mark.containers)
    if config.getoption("--app-dir"):
        steps = {step_of(item) for item in items} - {None}
        if len(steps) > 1:
            raise pytest.UsageError("--app-dir checks one step at a time: name it, e.g. tests/03_templates")


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    """Add to each failure the concept it checks and where the course explains it."""
    report = yield
    marker = item.get_closest_marker("concept")
    step = step_of(item)
    if report.failed and marker and step:
        title, anchor = marker.args
        report.concept = (f"{step_title(step)}: {title} "
                          f"(the course site: /steps/{step}/#{anchor}, in English /en/steps/{step}/#{anchor})")
        report.sections.append(("What to review", f"This test checks {report.concept}."))
    return report


def repository_state():
    """What a test could leave in the repository: ignored files git reports, and every file under steps/
    with its size and modification time (so a database that already existed and was written counts too).
    None outside a git checkout."""
    try:
        result = subprocess.run(["git", "status", "--porcelain", "--ignored", "--untracked-files=all"],
                                cwd=ROOT, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if result.returncode != 0:
        return None
    state = {line for line in result.stdout.splitlines()
             if ".venv/" not in line and (line.startswith("!!") or line[3:].startswith("steps/"))}
    for path in (ROOT / "steps").rglob("*"):
        if path.is_file():
            stat = path.stat()
            state.add(f"{path.relative_to(ROOT).as_posix()} ({stat.st_size} bytes, modified {stat.st_mtime_ns})")
    return state


def pytest_sessionstart(session):
    session.config.repository_before = repository_state()
    record_requests()


@pytest.hookimpl(tryfirst=True)
def pytest_runtest_setup(item):
    """Each test starts with no request recorded: the coach (tools/check.py) tells what a failing test sent,
    from support.messages.last_requests()."""
    forget_requests()


def pytest_assertrepr_compare(op, left, right):
    """Keep the two values of a failed comparison for the coach's plain_cause(); pytest explains it as usual."""
    remember_comparison(op, left, right)


def pytest_sessionfinish(session, exitstatus):
    """Tests never write into the repository: fail the run if anything appeared or changed in it."""
    before = getattr(session.config, "repository_before", None)
    after = repository_state()
    if before is None or after is None:
        return
    changed = sorted(after - before)
    if changed:
        session.config.repository_changes = changed
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter):
    """List, once each, the concepts whose tests failed: a student's reading list."""
    concepts = []
    for report in terminalreporter.stats.get("failed", []):
        concept = getattr(report, "concept", None)
        if concept and concept not in concepts:
            concepts.append(concept)
    changes = getattr(terminalreporter.config, "repository_changes", None)
    if changes:
        terminalreporter.section("The tests wrote into the repository", red=True)
        for line in changes:
            terminalreporter.line(line)
    if concepts:
        terminalreporter.section("What to review")
        for concept in concepts:
            terminalreporter.line(f"- {concept}")
        terminalreporter.line("Open the course with `python tutorial.py serve`, then http://127.0.0.1:8000 plus the path above.")


@pytest.fixture
def port():
    """A free port on 127.0.0.1."""
    return free_port()


@pytest.fixture
def clean_env(tmp_path, request):
    """An environment for a subprocess that writes no bytecode and keeps its database in tmp_path.
    In a step made as a package (08 on), FLASK_APP names it, so `flask run` finds it as it finds app.py."""
    database = str(tmp_path / "tasks.db")
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", FLASK_DATABASE=database,
               APP_DATABASE=database, APP_SECRET=TEST_SECRET)
    env.pop("FLASK_DEBUG", None)
    env.pop("FLASK_APP", None)
    if step_of(request.node):
        env.update(FLASK_APP=" ".join(flask_app_option(request.getfixturevalue("app_dir"))[1:]))
        if not env["FLASK_APP"]:
            env.pop("FLASK_APP")
    return env
