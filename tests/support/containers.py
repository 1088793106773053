"""The container tests' fixtures: a Docker daemon of their own with stand-in images (tools/containers.py), and
a copy of the step to build, with the kind of local files a student's folder holds.

They need root (the daemon), dockerd, and a folder made beforehand with the network, named in COURSE_CONTAINERS:
    sudo python3 -m tools.containers prepare /tmp/course-containers
    sudo COURSE_CONTAINERS=/tmp/course-containers CI=true python3 tutorial.py test 07 -- -m containers
Elsewhere they skip, saying so; with CI=true they fail (.ci/run prepares the folder).
"""
import os
import shutil
import time
import urllib.error
import urllib.request

import pytest

from tools.containers import Docker

from .tools import require_program, unavailable

WHY = ("the container tests build and run the step's image in a Docker daemon of their own, from images made "
       "with Debian's packages (tools/containers.py); CI runs them")
# What a student's folder holds beside the code, and an image must not: the tests put one of each in the copy.
LOCAL_FILES = {".git/HEAD": "ref: refs/heads/main\n", "instance/tasks.db": "", "__pycache__/app.cpython-311.pyc": "",
               "tests/test_local.py": "", ".venv/pyvenv.cfg": "", ".env": "APP_SECRET=not-for-the-image\n"}


@pytest.fixture(scope="session")
def docker():
    """The tests' Docker daemon with the stand-in images and the wheels, removed with all it made at the end."""
    prepared = os.environ.get("COURSE_CONTAINERS")
    if not prepared:
        unavailable(f"COURSE_CONTAINERS is not set: {WHY}; to run them here, see README's container tests "
                    "(sudo python3 -m tools.containers prepare FOLDER, then COURSE_CONTAINERS=FOLDER)")
    if not (os.path.isfile(os.path.join(prepared, "rootfs.tar")) and os.path.isdir(os.path.join(prepared, "wheels"))):
        unavailable(f"COURSE_CONTAINERS={prepared} was not made by `python -m tools.containers prepare`")
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        unavailable(f"the tests' own Docker daemon needs root: {WHY}")
    require_program("dockerd", why=WHY)
    require_program("docker", why=WHY)
    try:
        with Docker(prepared) as daemon:
            yield daemon
    except RuntimeError as error:
        pytest.fail(f"Could not start Docker for the tests: {error}", pytrace=False)


def build_context(app_dir, tmp):
    """A copy of the step's folder to build, with the local files an image must leave out."""
    context = tmp / "taskman"
    shutil.copytree(app_dir, context, ignore=shutil.ignore_patterns(*LOCAL_FILES_IN_THE_STEP))
    for name, text in LOCAL_FILES.items():
        path = context / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if not path.exists():
            path.write_text(text)
    return context


# What the course's own step folder may hold after a run on this computer, not copied: the copy gets its own.
LOCAL_FILES_IN_THE_STEP = (".venv", "__pycache__", "instance", ".env")


def http_status(url, host="localhost", timeout=5):
    """The status of GET url with this Host header; None while nothing answers."""
    request = urllib.request.Request(url, headers={"Host": host})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code
    except (OSError, ValueError):
        return None


def wait_until_answers(url, alive, what, timeout=180):
    """Wait until url answers 200; fail with what printed when alive() turns false or time runs out."""
    deadline = time.monotonic() + timeout
    while http_status(url) != 200:
        problem = alive()
        if problem:
            pytest.fail(f"{what} stopped before it answered {url}:\n{problem}", pytrace=False)
        if time.monotonic() > deadline:
            pytest.fail(f"{what} did not answer {url} within {timeout} s", pytrace=False)
        time.sleep(0.5)
