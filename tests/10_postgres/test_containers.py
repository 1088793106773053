"""compose.yaml brought up for real: the README's `docker compose up --build`, with only the build arguments added
(the stand-in images for Python, PostgreSQL and nginx, and the wheels served on this machine: tools/containers.py).

It publishes nginx on 127.0.0.1:8080, as the file says. Each test signs up an account of its own."""
import re
import secrets
import shutil
import socket
import subprocess
import time
import uuid

import pytest

from support.containers import build_context, docker, http_status, wait_until_answers  # noqa: F401
from support.servers import SECRET, Visitor, module_app_dir
from support.tools import unavailable

pytestmark = pytest.mark.concept("several app servers behind nginx", "several-servers", zh="nginx 后面的多台应用服务器")

ENTRANCE = 8080
SERVERS = ("app1", "app2")
PASSWORD = "correct horse battery staple"


class Compose:
    """The step's compose.yaml in a copy of the step, run against the tests' Docker daemon."""

    def __init__(self, docker, folder):  # noqa: F811
        self.docker = docker
        self.folder = folder
        self.up_process = None
        if shutil.which("docker") and docker("compose", "version", check=False).returncode == 0:
            self.program = ["docker", "compose"]
        elif shutil.which("docker-compose"):
            self.program = ["docker-compose"]
        else:
            unavailable("neither `docker compose` nor docker-compose is installed (apt install docker-compose)")

    def __call__(self, *arguments, timeout=300, check=True):
        result = subprocess.run([*self.program, *arguments], cwd=self.folder, env=self.docker.env, text=True,
                                capture_output=True, timeout=timeout)
        if check:
            assert result.returncode == 0, f"{' '.join(arguments)}:\n{result.stdout[-3000:]}\n{result.stderr[-3000:]}"
        return result

    def up(self):
        """`docker compose up --build`, as a student starts it (in the foreground), until nginx answers."""
        with socket.socket() as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # connections of a run before, ended
            try:
                probe.bind(("127.0.0.1", ENTRANCE))
            except OSError:
                pytest.fail(f"Port {ENTRANCE}, where compose.yaml publishes nginx, is taken on this machine.")
        log = open(self.folder / "compose-up.log", "ab")
        self.up_process = subprocess.Popen([*self.program, "up", "--build"], cwd=self.folder, env=self.docker.env,
                                           stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        log.close()

        def stopped():
            if self.up_process.poll() is not None:
                return (self.folder / "compose-up.log").read_text(errors="replace")[-6000:]
            return None

        wait_until_answers(f"http://127.0.0.1:{ENTRANCE}/healthz", stopped, "docker compose up --build", timeout=600)
        # nginx sets aside an app server that refused it while booting (max_fails): wait until each one serves
        # and nginx has sent it a request again, so that no test depends on how fast they booted.
        for server in SERVERS:
            self.serving(server)
            self.in_rotation(server)

    def down(self, *options):
        self("down", *options, timeout=300, check=False)
        if self.up_process is not None:
            try:
                self.up_process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.up_process.kill()
                self.up_process.wait()
            self.up_process = None

    def logs(self, service):
        return self("logs", "--no-color", service).stdout

    def in_rotation(self, service, timeout=120):
        """Wait until nginx passes requests to this app server again. nginx set it aside when it failed
        (max_fails, fail_timeout in deploy/nginx.conf): its access log shows when nginx sends it one again."""
        deadline = time.monotonic() + timeout
        while True:
            marker = uuid.uuid4().hex
            http_status(f"http://127.0.0.1:{ENTRANCE}/healthz?rotation={marker}")
            if marker in self.logs(service):
                return
            assert time.monotonic() < deadline, f"nginx sent nothing to {service} for {timeout} s"
            time.sleep(0.5)

    def serving(self, service, timeout=120):
        """Wait until this app server answers /healthz from inside its container."""
        script = ("import urllib.request as u; print(u.urlopen(u.Request('http://127.0.0.1:8000/healthz', "
                  "headers={'Host': 'localhost'}), timeout=5).status)")
        deadline = time.monotonic() + timeout
        while self("exec", "-T", service, "python", "-c", script, check=False).stdout.strip() != "200":
            assert time.monotonic() < deadline, f"{service} did not answer /healthz within {timeout} s"
            time.sleep(1)


@pytest.fixture(scope="module")
def compose(docker, request, tmp_path_factory):  # noqa: F811  (the fixture imported above)
    folder = build_context(module_app_dir(request), tmp_path_factory.mktemp("compose"))
    # The two secrets in .env beside compose.yaml, as its comments tell a student.
    (folder / ".env").write_text(f"APP_SECRET={SECRET}\nPOSTGRES_PASSWORD={secrets.token_hex(16)}\n")
    project = Compose(docker, folder)
    try:
        project.up()
        yield project
    finally:
        log = folder / "compose-up.log"
        if log.exists():
            print("docker compose up printed:", log.read_text(errors="replace")[-6000:], sep="\n")
        project.down("--volumes")


def head_revision(app_dir):
    """The newest migration of the step: the revision no other one comes after."""
    revisions, parents = set(), set()
    for path in (app_dir / "migrations" / "versions").glob("*.py"):
        text = path.read_text(encoding="utf-8")
        revisions.update(re.findall(r'^revision = "([^"]+)"', text, re.M))
        parents.update(re.findall(r'^down_revision = "([^"]+)"', text, re.M))
    return revisions - parents


def new_account(summary):
    """A visitor to nginx with an account of its own and one task; its name."""
    visitor = Visitor(ENTRANCE)
    username = f"user{uuid.uuid4().hex[:8]}"
    visitor.sign_up(username, PASSWORD)
    assert visitor.add(summary).status == 302, "Adding a task through nginx failed."
    visitor.close()
    return username


def sees(username, summary):
    """Whether this user, signed in again through nginx, sees the task on the dashboard."""
    visitor = Visitor(ENTRANCE)
    visitor.sign_in(username, PASSWORD)
    reply = visitor.send("GET", "/tasks")
    visitor.close()
    return reply.status == 200 and summary in reply.text


def test_the_migrations_run_once_before_the_app_servers(compose, request):
    migrate = compose("ps", "-q", "migrate").stdout.strip()
    state = compose.docker("inspect", "--format", "{{.State.Status}} {{.State.ExitCode}}", migrate).stdout.split()
    assert state == ["exited", "0"], f"The migrate service ended {state}:\n{compose.logs('migrate')}"
    version = compose("exec", "-T", "db", "psql", "--username", "taskman", "--dbname", "taskman", "--tuples-only",
                      "--no-align", "--command", "SELECT version_num FROM alembic_version").stdout.split()
    assert set(version) == head_revision(module_app_dir(request))
    assert "Running upgrade" in compose.logs("migrate")
    for server in SERVERS:
        assert "Running upgrade" not in compose.logs(server), f"{server} ran the migrations too"


def test_a_task_written_through_one_app_server_is_read_through_the_other(compose):
    summary = f"Written through app1 {uuid.uuid4().hex[:6]}"
    compose("stop", "app2")
    try:
        username = new_account(summary)  # app1 is the only one left behind nginx
        compose("start", "app2")
        compose.serving("app2")
        compose.in_rotation("app2")
        compose("stop", "app1")
        # app2 alone now: the session signed by app1 and the task stored through it, read on another server.
        assert sees(username, summary), "app2 does not show the task written through app1"
        statuses = [http_status(f"http://127.0.0.1:{ENTRANCE}/healthz") for _ in range(10)]
        assert statuses == [200] * 10, f"With app1 stopped, nginx answered {statuses}"
    finally:
        compose("start", "app1", "app2", check=False)
    compose.serving("app1")
    compose.in_rotation("app1")


def test_down_then_up_keeps_the_data(compose):
    summary = f"Kept on the volume {uuid.uuid4().hex[:6]}"
    username = new_account(summary)
    compose.down()
    compose.up()
    assert sees(username, summary), "After docker compose down and up, the task is gone."
