"""Start a real server in a subprocess, wait until it answers, and always stop it; the step deployed (gunicorn
behind nginx, one app server or several) and a visitor carrying its session cookie, for the tests and the bench."""
import contextlib
import http.client
import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path
from urllib.parse import urlencode


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def read_output(process):
    """Everything the process has printed so far (its output goes to a temporary file, never a full pipe)."""
    process.log.flush()
    process.log.seek(0)
    return process.log.read().decode("utf-8", "replace")


def wait_for(url, process, timeout=20.0):
    """Poll url until it answers; fail with the server's output if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"The server exited with code {process.returncode} before answering:\n{read_output(process)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"Nothing answered at {url} within {timeout:.0f} s:\n{read_output(process)}")


def start(command, url, cwd, env, timeout=20.0):
    """Start command (a list) in cwd and return the process once url answers.

    Its output goes to a temporary file (a full pipe would block a chatty server); read it with
    read_output(process). It runs in its own process group, so stop() also ends what it started.
    """
    log = tempfile.TemporaryFile()
    group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {"start_new_session": True}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, **group)
    process.log = log
    try:
        wait_for(url, process, timeout)
    except BaseException:
        stop(process)
        raise
    return process


@contextlib.contextmanager
def running(command, url, cwd, env, timeout=20.0):
    """Run command in cwd for the with-block; yields the process once url answers.

    After the block, process.output holds everything the server printed.
    """
    process = start(command, url, cwd, env, timeout)
    try:
        yield process
    finally:
        stop(process)


def stop(process):
    """Stop a process started by start(), and its children: politely, then by force after 10 s; keep its
    output. A process slow to stop (a loaded machine) is killed, never reported as an error."""
    if process.poll() is None:
        if os.name == "nt":
            process.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        if os.name == "nt":
            process.kill()
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if not process.log.closed:
        process.output = read_output(process)
        process.log.close()


def python():
    """The interpreter running the tests, which has Flask installed."""
    return sys.executable


# ---------------------------------------------------------------- gunicorn behind nginx

class Reply:
    """An HTTP response, read in full."""

    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.body = response.read()
        self.text = self.body.decode("utf-8", "replace")

    def session_cookie(self):
        """The session cookie this response sets, as its Set-Cookie header, or None."""
        for header in self.headers.get_all("Set-Cookie") or []:
            if header.startswith("session="):
                return header
        return None


class Visitor:
    """One browser: its own keep-alive connection to nginx, and its session cookie carried by hand.

    The cookie is Secure, so a real browser would not send it back over plain http: the tests
    play the part of nginx's TLS, which a real deployment adds. headers: sent with every request, such as
    the X-Forwarded-* headers nginx adds, for a visitor sent straight to an app server.
    """

    def __init__(self, port, headers=None):
        self.port = port
        self.headers = dict(headers or {})
        self.connection = None
        self.cookie = None
        self.token = None

    def reach(self, port, headers=None):
        """Send the next requests to another port (with these headers instead), as the same browser:
        its session cookie and CSRF token go along."""
        self.close()
        self.port = port
        self.headers = dict(headers or {})

    def send(self, method, path, fields=None):
        """Send one request and return its Reply; a broken connection raises OSError or HTTPException."""
        headers = {"Host": "localhost", **self.headers}
        body = None
        if self.cookie:
            headers["Cookie"] = self.cookie
        if fields is not None:
            body = urlencode(fields)
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        if self.connection is None:
            self.connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            self.connection.request(method, path, body=body, headers=headers)
            reply = Reply(self.connection.getresponse())
        except (OSError, http.client.HTTPException):
            self.connection.close()
            self.connection = None
            raise
        return reply

    def keep_cookie(self, reply):
        """Carry the session cookie a reply sets, as a browser would over https."""
        header = reply.session_cookie()
        if header:
            self.cookie = header.split(";", 1)[0]

    def open_session(self):
        """Load the dashboard: take its session cookie and the CSRF token of its form."""
        reply = self.send("GET", "/tasks")
        assert reply.status == 200, reply.text
        header = reply.session_cookie()
        assert header is not None, "The dashboard should set the session cookie (it holds the CSRF token)."
        assert "Secure" in header and "HttpOnly" in header, header
        self.keep_cookie(reply)
        self.token = re.search(r'name="csrf_token" value="([^"]+)"', reply.text).group(1)

    def sign_up(self, username, password, email=None):
        """Create an account through /signup (step 09 on), which signs this visitor in; then open the dashboard."""
        reply = self.send("GET", "/signup")
        assert reply.status == 200, reply.text
        self.keep_cookie(reply)
        token = re.search(r'name="csrf_token" value="([^"]+)"', reply.text).group(1)
        fields = {"username": username, "email": email or f"{username}@example.com", "password": password,
                  "csrf_token": token}
        reply = self.send("POST", "/signup", fields)
        assert reply.status == 302, f"Signing up as {username} answered {reply.status}: {reply.text[:500]}"
        self.keep_cookie(reply)
        self.open_session()

    def sign_in(self, username, password):
        """Sign in through /login (step 09 on), then open the dashboard."""
        reply = self.send("GET", "/login")
        assert reply.status == 200, reply.text
        self.keep_cookie(reply)
        token = re.search(r'name="csrf_token" value="([^"]+)"', reply.text).group(1)
        reply = self.send("POST", "/login", {"username": username, "password": password, "csrf_token": token})
        assert reply.status == 302, f"Signing in as {username} answered {reply.status}: {reply.text[:500]}"
        self.keep_cookie(reply)
        self.open_session()

    def add(self, summary, path="/tasks"):
        """Send the dashboard's New task form; return the Reply (302 when the task was stored)."""
        return self.send("POST", path, {"summary": summary, "csrf_token": self.token})

    def close(self):
        if self.connection is not None:
            self.connection.close()
            self.connection = None



# What is written around a step's deploy/nginx.conf: everything nginx writes goes into the given folder.
NGINX_MAIN = """\
daemon off;
master_process on;
worker_processes 1;
{user}
pid {tmp}/nginx.pid;
error_log {tmp}/nginx-error.log warn;
events {{
    worker_connections 512;
}}
http {{
    types {{
        text/html html;
        text/css css;
        application/javascript js;
    }}
    default_type application/octet-stream;
    access_log {tmp}/nginx-access.log;
    client_body_temp_path {tmp}/client_body;
    proxy_temp_path {tmp}/proxy;
    fastcgi_temp_path {tmp}/fastcgi;
    uwsgi_temp_path {tmp}/uwsgi;
    scgi_temp_path {tmp}/scgi;
    include {tmp}/taskman.conf;
}}
"""


def upstream_placeholders(upstreams):
    """{placeholder: address} for the app servers: {{UPSTREAM}} for the first, {{UPSTREAM_2}} for the second..."""
    if isinstance(upstreams, str):
        upstreams = [upstreams]
    return {"UPSTREAM" if number == 1 else f"UPSTREAM_{number}": address
            for number, address in enumerate(upstreams, start=1)}


def nginx_site(app_dir, listen, upstreams, location="/static/"):
    """deploy/nginx.conf with its placeholders filled in (and the static location changed, if asked).

    upstreams: where the app servers listen, one address or a list; the first fills {{UPSTREAM}}, the others
    {{UPSTREAM_2}}, {{UPSTREAM_3}}... (step 10's upstream block has a line for each of two servers).
    """
    path = Path(app_dir) / "deploy" / "nginx.conf"
    assert path.is_file(), "Write nginx's site configuration in deploy/nginx.conf."
    text = path.read_text(encoding="utf-8")
    comments = "\n".join(line for line in text.splitlines() if line.lstrip().startswith("#"))
    values = {"LISTEN": listen, "SERVER_NAME": "localhost", "APP_DIR": Path(app_dir).as_posix(),
              **upstream_placeholders(upstreams)}
    for name, value in values.items():
        assert "{{" + name + "}}" in comments, f"Explain the placeholder {{{{{name}}}}} in a comment of nginx.conf"
        text = text.replace("{{" + name + "}}", value)
    assert "{{" not in text, f"nginx.conf has a placeholder the tests do not know: {text}"
    if location != "/static/":
        text = text.replace("location /static/ ", f"location {location} ")
    return text


def write_nginx_config(tmp, site):
    """Write the site and a minimal main configuration around it into tmp; return the main file."""
    tmp = Path(tmp)
    for folder in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (tmp / folder).mkdir(exist_ok=True)
    (tmp / "taskman.conf").write_text(site, encoding="utf-8")
    # As root, nginx's workers would switch to "nobody", who cannot read the test's private folders.
    user = "user root;" if hasattr(os, "geteuid") and os.geteuid() == 0 else ""
    main = tmp / "nginx.conf"
    main.write_text(NGINX_MAIN.format(tmp=tmp.as_posix(), user=user), encoding="utf-8")
    return main


def nginx_command(nginx, tmp, main):
    """Run nginx in the foreground with every file it writes in tmp."""
    return [nginx, "-p", str(tmp), "-e", str(Path(tmp) / "nginx-error.log"), "-c", str(main)]


class Deployment:
    """`servers` gunicorn instances (as if on as many machines), each on a free port of 127.0.0.1 with its own
    workers, behind one nginx (the step's deploy/nginx.conf, its upstream filled with their addresses).

    command is gunicorn's command line; each instance gets GUNICORN_BIND (and GUNICORN_WORKERS, when
    workers is given: one number for all, or a list with one for each, None leaving the step's own) in its
    environment, which the step's gunicorn.conf.py reads. upstreams, when given, chooses what fills the upstream
    placeholders (server numbers, from 0: [0, 0] names the first twice; [0] leaves the second out of nginx).
    """

    def __init__(self, app_dir, tmp, env, nginx, command, servers=1, workers=None, upstreams=None):
        self.app_dir = Path(app_dir)
        self.tmp = Path(tmp)
        self.env = dict(env)
        self.nginx = nginx
        self.command = command
        self.workers = workers
        self.ports = [free_port() for _ in range(servers)]
        self.upstreams = list(range(servers)) if upstreams is None else upstreams
        self.port = free_port()
        self.processes = []
        self.stack = contextlib.ExitStack()

    def server_env(self, number):
        """The environment of app server `number` (from 0)."""
        env = dict(self.env, GUNICORN_BIND=f"127.0.0.1:{self.ports[number]}")
        workers = self.workers[number] if isinstance(self.workers, (list, tuple)) else self.workers
        if workers is not None:
            env["GUNICORN_WORKERS"] = str(workers)
        return env

    def start(self, timeout=30.0):
        """Start every gunicorn, then nginx; each is ready once it answers its home page (which needs no database)."""
        for number, port in enumerate(self.ports):
            self.processes.append(self.stack.enter_context(
                running(self.command, f"http://127.0.0.1:{port}/", cwd=self.app_dir, env=self.server_env(number),
                        timeout=timeout)))
        site = nginx_site(self.app_dir, f"127.0.0.1:{self.port}",
                          [f"127.0.0.1:{self.ports[number]}" for number in self.upstreams])
        self.main_config = write_nginx_config(self.tmp, site)
        # localhost: the site's server_name; nginx does not answer a request for 127.0.0.1.
        self.nginx_process = self.stack.enter_context(
            running(nginx_command(self.nginx, self.tmp, self.main_config), f"http://localhost:{self.port}/",
                    cwd=self.tmp, env=self.env, timeout=timeout))
        return self

    def stop(self):
        """Stop nginx and every gunicorn (SIGINT: gunicorn's quick shutdown; the work is over)."""
        for process in self.processes:
            if process.poll() is None:
                process.send_signal(signal.SIGINT)
        self.stack.close()

    def stop_server(self, number=0):
        """Stop app server `number` (its master and workers) and leave the others and nginx running.

        SIGTERM to the master and its workers, then SIGKILL to what is left (stop()): a worker still booting
        misses a SIGTERM, and its master would wait gunicorn's graceful_timeout (30 s) for it."""
        stop(self.processes[number])

    def output(self, number=None):
        """Everything app server `number` has printed so far (all of them, one after the other, when None)."""
        chosen = self.processes if number is None else [self.processes[number]]
        return "".join(process.output if process.log.closed else read_output(process) for process in chosen)
