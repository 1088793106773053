"""Real servers for the tests: the helpers live in tools/servers.py, shared with the bench and the instructor
notebooks; here, what the servers tests add: the step deployed (gunicorn behind nginx, one app server or several)
with gunicorn's access log read back, visitors writing side by side, and nginx with no app server behind it.

Which worker answers a request is the kernel's choice, and how fast depends on the machine's load: a test never
waits for luck. To prove that something is shared between processes, it sends requests to two processes it knows
apart (a second gunicorn with one worker beside the deployment, or the only worker left running); a wait ends when
what it waits for happens, and fails only when nothing moves for a long while."""
import contextlib
import http.client
import os
import re
import signal
import socket
import sqlite3
import subprocess
import tempfile
import threading
import time
import urllib.error
import urllib.request
from contextlib import closing
from pathlib import Path

import pytest

from tools import servers as tools_servers
from tools.servers import (Reply, Visitor, free_port, nginx_command, nginx_site, python, read_output,  # noqa: F401
                           running, start, stop, wait_for, write_nginx_config)
from tools.steps import ROOT
from tutorial import flask_app_option, wsgi_target

from .tools import require_program

# gunicorn's access log with the pid of the worker that served each request, and the query string:
# "<1234> POST /tasks 302 " or "<1234> GET /tasks 200 round=3".
ACCESS_LOG_FORMAT = "%(p)s %(m)s %(U)s %(s)s %(q)s"
ACCESS_LINE = re.compile(r"^<(\d+)> ([A-Z]+) (\S+) (\d{3}) ?(\S*)$", re.MULTILINE)
BOOTED = re.compile(r"Booting worker with pid: (\d+)")
# What nginx adds to each request it passes on (the step's deploy/nginx.conf), for a visitor sent straight to an
# app server: the app sees the request as nginx would have passed it on (ProxyFix reads these).
NGINX_HEADERS = {"X-Forwarded-For": "127.0.0.1", "X-Forwarded-Proto": "http", "X-Forwarded-Host": "localhost"}
WHY_NGINX = "the deployment tests run the app behind a real nginx (apt install nginx, brew install nginx)"
SECRET = "a-secret-for-the-servers-tests-long-enough-" + "x" * 8


def gunicorn_command(app_dir, *options):
    """The command that starts gunicorn with the step's gunicorn.conf.py (and no control socket in $HOME)."""
    if os.name == "nt":
        pytest.skip("gunicorn runs on Linux and macOS; on Windows, use Docker or WSL")
    return [python(), "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket", *options, wsgi_target(app_dir)]


def nginx_program():
    """nginx's path (skip the test, or fail it in CI, when nginx is not installed)."""
    return require_program("nginx", "/usr/sbin/nginx", why=WHY_NGINX)


class Writers:
    """Visitors that add tasks side by side (`each` tasks, or until stopped), retrying a failed request once.

    servers: where each visitor goes in turn (None: through nginx; a number: straight to that app server);
    accounts: (username, password) pairs that exist (step 09 on); visitor n signs in as accounts[n % len(accounts)],
    so that several visitors can write as one person at the same time. prefix starts every summary they write.
    """

    def __init__(self, deployment, count, each=None, accounts=None, servers=(None,), prefix=""):
        self.deployment = deployment
        self.each = each
        self.accounts = accounts
        self.servers = servers
        self.prefix = prefix
        self.acknowledged = []  # summaries the app answered 302 for: stored, as far as a visitor knows
        self.failed_once = []   # summaries whose first try failed (then retried once)
        self.lost = []          # summaries that failed twice
        self.errors = []        # anything unexpected in a thread
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(count)]

    def write(self, number):
        """Add tasks as visitor `number` until stopped, or until it has added `each`."""
        visitor = self.deployment.visitor(self.servers[number % len(self.servers)])
        try:
            if self.accounts:
                visitor.sign_in(*self.accounts[number % len(self.accounts)])
            else:
                visitor.open_session()
            sent = 0
            while not self.stop.is_set() and (self.each is None or sent < self.each):
                summary = f"{self.prefix}visitor {number} task {sent}"
                sent += 1
                for attempt in (1, 2):
                    try:
                        status = visitor.add(summary).status
                    except (OSError, http.client.HTTPException):
                        status = None
                    if status == 302:
                        self.acknowledged.append(summary)
                        break
                    (self.failed_once if attempt == 1 else self.lost).append((summary, status))
        except Exception as error:  # reported by the test, with the thread's number
            self.errors.append(f"visitor {number}: {error!r}")
        finally:
            visitor.close()

    def start(self):
        for thread in self.threads:
            thread.start()
        return self

    def progress(self):
        """How many requests the visitors have had answered (or failed) so far."""
        return len(self.acknowledged) + len(self.failed_once) + len(self.lost)

    def wait_for(self, count, stall=30):
        """Wait until `count` tasks are acknowledged in all: as long as it takes while tasks keep coming, and
        fail when none comes for `stall` seconds (a busy machine is slower; a stuck deployment is stuck)."""
        seen, moved = self.progress(), time.monotonic()
        while len(self.acknowledged) < count:
            assert not self.errors, self.errors
            assert any(thread.is_alive() for thread in self.threads), \
                f"The visitors stopped after {len(self.acknowledged)} tasks, not {count}"
            if self.progress() != seen:
                seen, moved = self.progress(), time.monotonic()
            assert time.monotonic() - moved < stall, \
                f"No answer for {stall} s, with {len(self.acknowledged)} tasks of {count} added"
            time.sleep(0.02)

    def finish(self, stall=60):
        """Wait for every visitor to finish (telling them to stop, when they have no number of tasks to add):
        as long as they make progress, and fail when none has been answered for `stall` seconds."""
        if self.each is None:
            self.stop.set()
        for thread in self.threads:
            while thread.is_alive():
                seen = self.progress()
                thread.join(timeout=stall)
                assert not thread.is_alive() or self.progress() != seen, \
                    f"No visitor was answered for {stall} s ({len(self.acknowledged)} tasks added)"
        assert not self.errors, self.errors


class Deployment(tools_servers.Deployment):
    """The step deployed on free loopback ports: gunicorn (the step's gunicorn.conf.py, 4 workers unless asked)
    and nginx (deploy/nginx.conf); with servers=2, two gunicorn instances in nginx's upstream.

    beside=True adds a second gunicorn with one worker, on the same database, that nginx does not know: a test
    sends a request straight to it (entrance(1)) to have it served by a process other than the first gunicorn's
    workers, and two requests sent there are served by the same process. Whichever worker the kernel picks, a
    test then knows that its requests crossed from one process to another.

    The database is a file in a folder that does not exist yet (a cold start), unless env names another
    (DATABASE_URL, from step 10 on). gunicorn's access log names the pid of the worker behind each request.
    """

    def __init__(self, app_dir, tmp, env, nginx, servers=1, workers=None, beside=False):
        self.database = tmp / "instance" / "tasks.db"
        env = dict(env, APP_DATABASE=str(self.database))
        for name in ("GUNICORN_WORKERS", "APP_ENV"):
            env.pop(name, None)
        command = gunicorn_command(app_dir, "--access-logformat", ACCESS_LOG_FORMAT)
        upstreams = None
        if beside:
            servers, workers, upstreams = 2, [workers, 1], [0]
        super().__init__(app_dir, tmp, env, nginx, command, servers=servers, workers=workers, upstreams=upstreams)

    @property
    def gunicorn(self):
        """The first app server's gunicorn master (the only one behind nginx, with servers=1)."""
        return self.processes[0]

    @property
    def gunicorn_port(self):
        return self.ports[0]

    def entrance(self, server=None):
        """Where a visitor goes in, as (port, headers): through nginx (server None), or straight to app server
        `server` (from 0) with the headers nginx adds, as nginx would pass the request on."""
        if server is None:
            return self.port, {}
        return self.ports[server], dict(NGINX_HEADERS)

    def visitor(self, server=None):
        """A new browser, going in through nginx or straight to app server `server` (see entrance())."""
        return Visitor(*self.entrance(server))

    def route(self, visitor, server=None):
        """Send the visitor's next requests through nginx, or straight to app server `server`: the same browser,
        with its session cookie and CSRF token."""
        visitor.reach(*self.entrance(server))

    def workers_booted(self, number=0, at_least=1, timeout=30):
        """The pids of the workers app server `number` has started so far, waiting up to `timeout` seconds for
        `at_least` of them (then a moment more: no extra worker should come)."""
        deadline = time.monotonic() + timeout
        while len(BOOTED.findall(self.gunicorn_log(number))) < at_least and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)
        return [int(pid) for pid in BOOTED.findall(self.gunicorn_log(number))]

    @contextlib.contextmanager
    def only_worker(self, pid, number=0):
        """For the with-block, freeze every other worker of app server `number` (SIGSTOP, then SIGCONT after):
        the next request sent to that server is served by worker pid, the one left to take it. Keep it short:
        gunicorn's master replaces a worker silent for its timeout (30 s)."""
        master = self.processes[number].pid
        others = [other for other in set(self.workers_booted(number)) if other != pid and in_group(other, master)]
        try:
            for other in others:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(other, signal.SIGSTOP)
            yield
        finally:
            for other in others:
                with contextlib.suppress(ProcessLookupError):
                    os.kill(other, signal.SIGCONT)

    def gunicorn_log(self, number=None):
        """Everything gunicorn has printed so far (app server `number`, or all): its messages and the access log."""
        return self.output(number)

    def served(self, path=None, count=0, timeout=30, number=None):
        """gunicorn's access log as (pid, method, path, status) tuples, for one path or all (of app server
        `number`, or of all of them).

        The path includes the query string, if any. A worker writes its line just after it answers,
        and two workers may write theirs in either order: wait until there are `count` of them.
        """
        deadline = time.monotonic() + timeout
        while True:
            lines = [(int(pid), method, f"{logged}?{query}" if query else logged, int(status))
                     for pid, method, logged, status, query in ACCESS_LINE.findall(self.gunicorn_log(number))]
            lines = [line for line in lines if path is None or line[2] == path]
            if len(lines) >= count or time.monotonic() > deadline:
                return lines
            time.sleep(0.05)

    def get(self, path, server=None):
        """One GET on a connection of its own, through nginx (or straight to app server `server`)."""
        visitor = self.visitor(server)
        try:
            return visitor.send("GET", path)
        finally:
            visitor.close()

    def summaries(self, prefix=""):
        """The summaries stored in the database that start with prefix, oldest id first."""
        with closing(sqlite3.connect(self.database)) as db:
            return [row[0] for row in db.execute("SELECT summary FROM tasks ORDER BY id") if row[0].startswith(prefix)]


def in_group(pid, leader):
    """Whether process pid is in the process group of leader (a server started by start(), and its children):
    a pid read from a log is never taken for another process that happens to reuse it."""
    try:
        return os.getpgid(pid) == leader
    except ProcessLookupError:
        return False


def answers(url):
    """Whether something answers HTTP at url now (any status)."""
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except urllib.error.HTTPError:
        return True
    except (urllib.error.URLError, ConnectionError, TimeoutError):
        return False


def exits_or_serves(command, url, cwd, env, limit=300):
    """Start command and watch it until it exits or answers at url: (its exit code, or None when it serves; what
    it printed). It is stopped either way. The verdict comes from what it did: `limit` seconds only bound a
    command that does neither."""
    log = tempfile.TemporaryFile()
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT,
                               start_new_session=True)
    process.log = log
    deadline = time.monotonic() + limit
    try:
        while process.poll() is None and not answers(url) and time.monotonic() < deadline:
            time.sleep(0.1)
        code = process.poll()
    finally:
        stop(process)
    return code, process.output


def module_app_dir(request):
    """For a module's fixture: the folder under test, --app-dir or the course's step named like the module's folder
    (tests/08_package/test_servers.py: steps/08_package, also for the tests it reuses from step 07)."""
    chosen = request.config.getoption("--app-dir")
    return Path(chosen).resolve() if chosen else ROOT / "steps" / Path(request.path).parent.name


def server_env(app_dir, **extra):
    """The environment of an app server the tests start: the tests' own, without FLASK_DEBUG, with a real secret,
    no bytecode written, FLASK_APP naming a package (step 08 on), and extra."""
    env = {name: value for name, value in os.environ.items() if name not in ("FLASK_DEBUG", "FLASK_APP")}
    env.update(PYTHONDONTWRITEBYTECODE="1", APP_SECRET=SECRET, **extra)
    app_option = " ".join(flask_app_option(app_dir)[1:])
    if app_option:
        env["FLASK_APP"] = app_option
    return env


@contextlib.contextmanager
def deployed(app_dir, tmp, env, **options):
    """The step deployed (a Deployment with these options) for the with-block, always stopped after it.

    What each app server printed, its access log left out, is printed after: pytest shows it when a test fails.
    """
    deployment = Deployment(app_dir, tmp, env, nginx_program(), **options)
    try:
        yield deployment.start()
    finally:
        deployment.stop()
        for number, process in enumerate(deployment.processes):
            messages = [line for line in process.output.splitlines() if not ACCESS_LINE.match(line)]
            print(f"app server {number + 1}'s messages (access log left out):", *messages[-60:], sep="\n")


@contextlib.contextmanager
def nginx_without_app(app_dir, tmp, location="/static/"):
    """nginx with the step's site (its static location changed, if asked) and no app server: its upstream is a
    port of 127.0.0.1 that the test holds without listening, so every request nginx passes on is refused, and
    nginx answers 502, whatever else runs on the machine. Yields the port nginx listens on."""
    nginx = nginx_program()
    with socket.socket() as held:
        held.bind(("127.0.0.1", 0))
        upstream = f"127.0.0.1:{held.getsockname()[1]}"
        port = free_port()
        main = write_nginx_config(tmp, nginx_site(app_dir, f"127.0.0.1:{port}", upstream, location=location))
        # localhost: the site's server_name; the home page is a 502, which is an answer.
        with running(nginx_command(nginx, tmp, main), f"http://localhost:{port}/", cwd=tmp, env=dict(os.environ)):
            yield port
