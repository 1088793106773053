"""Packaging: a Dockerfile that runs as a non-root user with the data on a volume, a systemd unit, pinned requirements."""
import configparser
import importlib.metadata
import json
import re
import shlex

import pytest
from packaging.requirements import Requirement

from support import expects
from tutorial import wsgi_target

pytestmark = pytest.mark.concept("packaging: Docker, systemd and pinned requirements", "packaging",
                                 zh="打包：Docker、systemd 和固定版本的依赖")

expects.file("Dockerfile", "ARG PYTHON_IMAGE=python:3.11-slim", "FROM ${PYTHON_IMAGE}", "ARG PIP_INDEX_URL=",
             "COPY requirements.txt .", "-r requirements.txt", "USER",
             "VOLUME", "ENV APP_DATABASE=", "GUNICORN_BIND=0.0.0.0:8000", "CMD")
expects.file(".dockerignore", "instance", "*.db", "__pycache__", ".venv")
expects.file("deploy/taskman.service", "User=", "EnvironmentFile=", "WorkingDirectory=", "ExecStart=", "Restart=",
             "WantedBy=multi-user.target")
expects.file("requirements.txt", "flask==", "flask-wtf==", "gunicorn==")


def instructions(app_dir):
    """The Dockerfile's instructions as (KEYWORD, arguments) pairs, comments left out, and an instruction
    continued on the next lines (a line ending with a backslash) read as one."""
    path = app_dir / "Dockerfile"
    assert path.is_file(), "Write a Dockerfile beside app.py."
    found, pending = [], ""
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        if line.endswith("\\"):
            pending += line[:-1].strip() + " "
            continue
        keyword, _, arguments = (pending + line).partition(" ")
        found.append((keyword.upper(), arguments.strip()))
        pending = ""
    return found


def arguments_of(app_dir, keyword):
    """The arguments of every instruction with this keyword, in order."""
    return [arguments for name, arguments in instructions(app_dir) if name == keyword]


def test_the_image_starts_from_python_3_11_slim_or_a_mirror_of_it(app_dir):
    """The base image is a build argument whose default is Docker Hub's python:3.11-slim: behind a registry
    mirror, the same file builds with --build-arg PYTHON_IMAGE=...; pip's index is one too."""
    found = instructions(app_dir)
    assert found[:2] == [("ARG", "PYTHON_IMAGE=python:3.11-slim"), ("FROM", "${PYTHON_IMAGE}")]
    assert ("ARG", "PIP_INDEX_URL=https://pypi.org/simple") in found



def test_the_image_installs_the_pinned_requirements(app_dir):
    assert "requirements.txt ." in arguments_of(app_dir, "COPY")
    assert any("pip install" in run and "-r requirements.txt" in run for run in arguments_of(app_dir, "RUN"))


def test_the_container_runs_as_a_user_that_is_not_root(app_dir):
    users = arguments_of(app_dir, "USER")
    assert users, "Add a USER instruction: a process in the container should not run as root."
    assert users[-1] not in ("root", "0")
    keywords = [name for name, _ in instructions(app_dir)]
    assert keywords.index("USER") < keywords.index("CMD")


def test_the_database_lives_on_a_volume(app_dir):
    volumes = arguments_of(app_dir, "VOLUME")
    assert volumes, "Declare a VOLUME for the database, so it outlives the container."
    database = next(env for env in arguments_of(app_dir, "ENV") if env.startswith("APP_DATABASE="))
    assert database.split("=", 1)[1].startswith(volumes[-1].strip("[]\" ") + "/")


def test_the_container_starts_gunicorn_with_its_settings(app_dir):
    command = arguments_of(app_dir, "CMD")[-1]
    # The exec form, a JSON list, makes gunicorn the container's main process (it gets the stop signal).
    assert json.loads(command) == ["gunicorn", "-c", "gunicorn.conf.py", wsgi_target(app_dir)]


def test_inside_the_container_gunicorn_listens_on_every_interface_of_the_container(app_dir):
    """The one exception to Pitfall 6: the container's own loopback is unreachable from the host."""
    assert "GUNICORN_BIND=0.0.0.0:8000" in arguments_of(app_dir, "ENV")


def test_docker_leaves_local_data_and_caches_out_of_the_image(app_dir):
    path = app_dir / ".dockerignore"
    assert path.is_file(), "Write a .dockerignore beside the Dockerfile."
    patterns = {line.strip().rstrip("/") for line in path.read_text(encoding="utf-8").splitlines()}
    assert {"instance", "*.db", "__pycache__", ".venv"} <= patterns


def unit(app_dir):
    """deploy/taskman.service, read as the INI file it is."""
    path = app_dir / "deploy" / "taskman.service"
    assert path.is_file(), "Write the systemd unit in deploy/taskman.service."
    parser = configparser.ConfigParser(interpolation=None)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_systemd_runs_gunicorn_as_its_own_user_with_an_environment_file(app_dir):
    service = unit(app_dir)["Service"]
    assert service.get("User") not in (None, "", "root")
    assert service.get("EnvironmentFile")
    assert shlex.split(service["ExecStart"])[1:] == ["-c", "gunicorn.conf.py", wsgi_target(app_dir)]
    assert service["ExecStart"].split()[0].endswith("/gunicorn")
    assert service.get("WorkingDirectory")
    assert service.get("Restart") in ("on-failure", "always")


def test_systemd_starts_it_at_boot(app_dir):
    assert unit(app_dir)["Install"]["WantedBy"] == "multi-user.target"


def pinned(app_dir):
    """The step's requirements.txt as {normalised name: version}, failing on any line that is not name==version."""
    path = app_dir / "requirements.txt"
    versions = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        requirement = Requirement(line)
        specifiers = list(requirement.specifier)
        assert len(specifiers) == 1 and specifiers[0].operator == "==", f"Pin {line!r} with == to one version"
        versions[normalised(requirement.name)] = specifiers[0].version
    return versions


def normalised(name):
    """A distribution's name as pip compares them: "Flask_WTF" and "flask-wtf" are the same."""
    return re.sub(r"[-_.]+", "-", name).lower()


def test_every_requirement_is_pinned_to_one_version(app_dir):
    assert {"flask", "flask-wtf", "gunicorn"} <= set(pinned(app_dir))


def test_the_dependencies_of_the_requirements_are_pinned_too(app_dir):
    """Otherwise a new Werkzeug or Jinja2 could change the app the day it is installed again."""
    versions = pinned(app_dir)
    missing = set()
    for name in versions:
        for line in importlib.metadata.requires(name) or []:
            requirement = Requirement(line)
            if requirement.marker is None or requirement.marker.evaluate({"extra": ""}):
                if normalised(requirement.name) not in versions:
                    missing.add(requirement.name)
    assert not missing, f"Pin these dependencies too: {sorted(missing)}"


def test_the_pins_are_the_versions_the_tests_run_with(app_dir):
    versions = pinned(app_dir)
    installed = {name: importlib.metadata.version(name) for name in versions}
    assert installed == versions
