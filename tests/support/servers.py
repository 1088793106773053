"""Real servers for the tests: the helpers live in tools/servers.py, shared with the bench and the instructor
notebooks; here, what the servers tests add: a visitor with its session cookie, visitors writing side by side,
and the step deployed (gunicorn behind nginx, one app server or several) with gunicorn's access log read back."""
import http.client
import os
import re
import sqlite3
import threading
import time
from contextlib import closing

import pytest

from tools import servers as tools_servers
from tools.servers import (Reply, Visitor, free_port, nginx_command, nginx_site, python, read_output,  # noqa: F401
                           running, start, stop, wait_for, write_nginx_config)
from tutorial import wsgi_target

# gunicorn's access log with the pid of the worker that served each request, and the query string:
# "<1234> POST /tasks 302 " or "<1234> GET /tasks 200 round=3".
ACCESS_LOG_FORMAT = "%(p)s %(m)s %(U)s %(s)s %(q)s"
ACCESS_LINE = re.compile(r"^<(\d+)> ([A-Z]+) (\S+) (\d{3}) ?(\S*)$", re.MULTILINE)
BOOTED = re.compile(r"Booting worker with pid: (\d+)")


def gunicorn_command(app_dir, *options):
    """The command that starts gunicorn with the step's gunicorn.conf.py (and no control socket in $HOME)."""
    if os.name == "nt":
        pytest.skip("gunicorn runs on Linux and macOS; on Windows, use Docker or WSL")
    return [python(), "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket", *options, wsgi_target(app_dir)]


class Writers:
    """Visitors that add tasks side by side (`each` tasks, or until stopped), retrying a failed request once.

    accounts: (username, password) pairs that exist (step 09 on); visitor n signs in as accounts[n % len(accounts)],
    so that several visitors can write as one person at the same time.
    """

    def __init__(self, port, count, each=None, accounts=None):
        self.port = port
        self.each = each
        self.accounts = accounts
        self.acknowledged = []  # summaries the app answered 302 for: stored, as far as a visitor knows
        self.failed_once = []   # summaries whose first try failed (then retried once)
        self.lost = []          # summaries that failed twice
        self.errors = []        # anything unexpected in a thread
        self.stop = threading.Event()
        self.threads = [threading.Thread(target=self.write, args=(n,)) for n in range(count)]

    def write(self, number):
        """Add tasks as visitor `number` until stopped, or until it has added `each`."""
        visitor = Visitor(self.port)
        try:
            if self.accounts:
                visitor.sign_in(*self.accounts[number % len(self.accounts)])
            else:
                visitor.open_session()
            sent = 0
            while not self.stop.is_set() and (self.each is None or sent < self.each):
                summary = f"visitor {number} task {sent}"
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

    def wait_for(self, count, timeout=30):
        """Wait until `count` tasks are acknowledged in all."""
        deadline = time.monotonic() + timeout
        while len(self.acknowledged) < count:
            assert not self.errors, self.errors
            assert time.monotonic() < deadline, f"Only {len(self.acknowledged)} tasks were added in {timeout} s"
            time.sleep(0.02)

    def finish(self):
        """Wait for every visitor to finish (telling them to stop, when they have no number of tasks to add)."""
        if self.each is None:
            self.stop.set()
        for thread in self.threads:
            thread.join(timeout=60)
        assert not self.errors, self.errors


class Deployment(tools_servers.Deployment):
    """The step deployed on free loopback ports: gunicorn (the step's gunicorn.conf.py, 4 workers unless asked)
    and nginx (deploy/nginx.conf); with servers=2, two gunicorn instances in nginx's upstream.

    The database is a file in a folder that does not exist yet (a cold start), unless env names another
    (DATABASE_URL, from step 10 on). gunicorn's access log names the pid of the worker behind each request.
    """

    def __init__(self, app_dir, tmp, env, nginx, servers=1, workers=None):
        self.database = tmp / "instance" / "tasks.db"
        env = dict(env, APP_DATABASE=str(self.database))
        for name in ("GUNICORN_WORKERS", "APP_ENV"):
            env.pop(name, None)
        command = gunicorn_command(app_dir, "--access-logformat", ACCESS_LOG_FORMAT)
        super().__init__(app_dir, tmp, env, nginx, command, servers=servers, workers=workers)

    @property
    def gunicorn(self):
        """The first app server's gunicorn master (the only one, with servers=1)."""
        return self.processes[0]

    @property
    def gunicorn_port(self):
        return self.ports[0]

    def stop_gunicorn(self, number=0):
        """Stop gunicorn (app server `number`) and leave nginx running."""
        self.stop_server(number)

    def workers_booted(self, at_least=4, timeout=15):
        """How many workers gunicorn has started so far (every app server's), waiting a while for `at_least`."""
        deadline = time.monotonic() + timeout
        while len(BOOTED.findall(self.gunicorn_log())) < at_least and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.2)  # one more look: no extra worker should come
        return len(BOOTED.findall(self.gunicorn_log()))

    def gunicorn_log(self, number=None):
        """Everything gunicorn has printed so far (app server `number`, or all): its messages and the access log."""
        return self.output(number)

    def served(self, path=None, count=0, timeout=10, number=None):
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

    def get(self, path):
        """One GET through nginx on a connection of its own."""
        visitor = Visitor(self.port)
        try:
            return visitor.send("GET", path)
        finally:
            visitor.close()

    def summaries(self):
        """The summaries stored in the database, oldest id first."""
        with closing(sqlite3.connect(self.database)) as db:
            return [row[0] for row in db.execute("SELECT summary FROM tasks ORDER BY id")]
