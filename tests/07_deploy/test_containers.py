"""The Dockerfile, built and run for real: the README's `docker build -t taskman .` with only the build arguments
added (the stand-in base image and the wheels served on this machine: tools/containers.py), then `docker run`."""
import contextlib
import uuid

import pytest

from support.containers import LOCAL_FILES, build_context, docker, http_status, wait_until_answers  # noqa: F401
from support.servers import NGINX_HEADERS, SECRET, Visitor, free_port, module_app_dir

pytestmark = pytest.mark.concept("packaging: Docker, systemd and pinned requirements", "packaging",
                                 zh="打包：Docker、systemd 和固定版本的依赖")


@pytest.fixture(scope="module")
def image(docker, request, tmp_path_factory):  # noqa: F811  (the fixture imported above)
    """The step's image, built from a copy of its folder that also holds local files an image must leave out."""
    context = build_context(module_app_dir(request), tmp_path_factory.mktemp("image"))
    result = docker("build", "-t", "taskman", *docker.build_options(), ".", cwd=context, check=False, timeout=900)
    assert result.returncode == 0, f"docker build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}"
    return "taskman"


@contextlib.contextmanager
def container(docker, image, volume):  # noqa: F811
    """The README's `docker run` (on a free port of this machine's loopback) until it answers /healthz;
    removed after the with-block."""
    port = free_port()
    name = f"taskman-{uuid.uuid4().hex[:8]}"
    docker("run", "--detach", "--name", name, "-e", f"APP_SECRET={SECRET}", "-v", f"{volume}:/data",
           "-p", f"127.0.0.1:{port}:8000", image)
    try:
        def stopped():
            if docker("inspect", "--format", "{{.State.Running}}", name).stdout.strip() != "true":
                logs = docker("logs", name, check=False)
                return logs.stdout + logs.stderr
            return None

        wait_until_answers(f"http://127.0.0.1:{port}/healthz", stopped, f"The container {name}")
        yield name, port
    finally:
        docker("rm", "--force", name, check=False)


def test_the_image_leaves_out_git_local_data_caches_and_tests(docker, image):  # noqa: F811
    found = docker("run", "--rm", "--entrypoint", "find", image, "/app", "-maxdepth", "2").stdout.split()
    names = {path.removeprefix("/app/") for path in found}
    assert "requirements.txt" in names, f"The image's /app holds {sorted(names)}"
    left = sorted(name for name in LOCAL_FILES if name in names or name.split("/")[0] in names)
    assert not left, f"The image holds {left}: list them in .dockerignore, so that docker build leaves them out."


def test_the_container_answers_as_a_user_that_is_not_root(docker, image):  # noqa: F811
    with container(docker, image, f"data-{uuid.uuid4().hex[:8]}") as (name, port):
        assert http_status(f"http://127.0.0.1:{port}/healthz") == 200
        processes = docker("top", name, "-eo", "pid,uid,args").stdout.splitlines()[1:]
        assert processes, "docker top listed no process"
        as_root = [line for line in processes if line.split()[1] == "0"]
        assert not as_root, f"These processes run as root in the container: {as_root}"


def test_without_app_secret_the_container_stops_with_one_line(docker, image):  # noqa: F811
    result = docker("run", "--rm", image, check=False, timeout=120)
    output = result.stdout + result.stderr
    assert result.returncode != 0, f"The container started without APP_SECRET:\n{output}"
    lines = output.strip().splitlines()
    assert len(lines) == 1 and "APP_SECRET" in lines[0], f"Expected one line that names APP_SECRET:\n{output}"


def test_a_task_outlives_its_container_on_the_volume(docker, image):  # noqa: F811
    volume = f"data-{uuid.uuid4().hex[:8]}"
    summary = f"Water the plants {uuid.uuid4().hex[:6]}"
    with container(docker, image, volume) as (_, port):
        visitor = Visitor(port, NGINX_HEADERS)
        visitor.open_session()
        assert visitor.add(summary).status == 302
        visitor.close()
    with container(docker, image, volume) as (_, port):
        visitor = Visitor(port, NGINX_HEADERS)
        reply = visitor.send("GET", "/tasks")
        visitor.close()
    assert reply.status == 200 and summary in reply.text, "A new container on the same volume lost the task."
