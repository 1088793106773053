"""tutorial.py's set-up, as a new student meets it: the Python it needs, progress, failures explained, and
for each command only the groups of packages it needs.

The environments made here live in temporary folders (TUTORIAL_VENV) and install tiny requirements files
(TUTORIAL_REQUIREMENTS, and its groups' files beside it) from wheels made on the spot; pip is cut off from every
index, so nothing but loopback is ever reached.
"""
import ast
import contextlib
import os
import re
import signal
import socket
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from support import ROOT
from tools.pythons import ci_runs, find_python

sys.path.insert(0, str(ROOT))
import tutorial  # noqa: E402

FLOOR = "{}.{}".format(*tutorial.MINIMUM_PYTHON)


# ---------------------------------------------------------------- the oldest Python the course supports

@pytest.mark.parametrize("language, words", [
    ("en", ["Python 3.10.13", f"Python {FLOOR} or newer", "python.org", "Microsoft Store", "Homebrew",
            "package manager", "tutorial.py test"]),
    ("zh", ["Python 3.10.13", f"Python {FLOOR} 或更新的版本", "python.org", "Microsoft Store", "Homebrew",
            "包管理器", "tutorial.py test"]),
])
def test_an_older_python_is_told_which_one_to_install_in_three_lines(language, words):
    message = tutorial.python_too_old((3, 10, 13, "final", 0), language, "/usr/bin/python3", ["tutorial.py", "test"])
    assert len(message.splitlines()) <= 3
    for word in words:
        assert word in message, f"{word!r} is missing from:\n{message}"


@pytest.mark.parametrize("version", [tutorial.MINIMUM_PYTHON + (0,), (3, 13, 0), (4, 0, 0)])
def test_the_floor_and_anything_newer_is_good_enough(version):
    assert tutorial.python_too_old(version, "en", "python", ["tutorial.py"]) is None


def test_the_readme_the_site_and_tutorial_py_name_the_same_floor():
    promises = {"README.md": f"Python {FLOOR} or newer", "docs/index.en.md": f"Python {FLOOR} or newer",
                "docs/index.md": f"Python {FLOOR} 或更新的版本", "tutorial.py": f"Python {FLOOR} or newer"}
    for path, promise in promises.items():
        text = (ROOT / path).read_text(encoding="utf-8")
        assert promise in text, f"{path} does not say {promise!r}"
        assert not re.search(r"Python 3\.(?!" + FLOOR.split(".")[1] + r"\b)\d+ (or newer|或更新)", text), path


@pytest.mark.parametrize("minor", range(6, tutorial.MINIMUM_PYTHON[1]))
@pytest.mark.parametrize("lang", ["en", "zh"])
def test_tutorial_py_under_an_older_python_stops_with_three_lines_and_no_traceback(minor, lang):
    """Run for real under each older Python on this machine: the file must still parse there."""
    python = find_python(3, minor)
    if not python:
        pytest.skip(f"Python 3.{minor} is not installed here (pyenv or python3.{minor} on PATH)")
    env = {name: value for name, value in os.environ.items() if not name.startswith(("LC_", "LANG"))}
    env["LANG"] = "en_US.UTF-8" if lang == "en" else "zh_CN.UTF-8"
    result = subprocess.run([python, "tutorial.py", "test"], cwd=ROOT, env=env, capture_output=True,
                            text=True, encoding="utf-8", timeout=60)
    assert result.returncode == 1
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert 1 <= len(lines) <= 3 and "Traceback" not in result.stderr, result.stderr
    assert f"Python 3.{minor}." in lines[0] and f"Python {FLOOR}" in lines[0], lines[0]
    # Chinese where the console can show it (Python 3.6 falls back to ASCII without that locale installed)
    assert ("newer" in lines[0]) if lang == "en" else ("更新的版本" in lines[0] or "newer" in lines[0])


def test_ci_runs_the_fast_suite_under_the_oldest_and_the_newest_python_but_not_twice_under_python3():
    pythons = {(3, 10): ("3.10.13", "/p/3.10"), (3, 11): ("3.11.7", "/p/3.11"), (3, 13): ("3.13.0", "/p/3.13")}
    runs, notes = ci_runs(pythons, current=(3, 12), minimum=(3, 11))
    assert runs == [("oldest-supported", "3.11.7", "/p/3.11"), ("newest-installed", "3.13.0", "/p/3.13")]
    runs, notes = ci_runs(pythons, current=(3, 11), minimum=(3, 11))
    assert runs == [("newest-installed", "3.13.0", "/p/3.13")]
    assert any("3.11.7" in note and "python3 itself" in note for note in notes)
    runs, notes = ci_runs({(3, 13): ("3.13.0", "/p/3.13")}, current=(3, 13), minimum=(3, 11))
    assert runs == [] and any(note.startswith("missing: Python 3.11") for note in notes)


# ---------------------------------------------------------------- the set-up, with pip cut off from the world

def make_wheel(folder, name="tutorial_probe", version="1.0"):
    """A tiny pure-Python wheel, so that pip has something to install without any index."""
    dist = f"{name}-{version}"
    files = {f"{name}.py": "ANSWER = 42\n",
             f"{dist}.dist-info/METADATA": f"Metadata-Version: 2.1\nName: {name}\nVersion: {version}\n",
             f"{dist}.dist-info/WHEEL": "Wheel-Version: 1.0\nGenerator: tests\nRoot-Is-Purelib: true\nTag: py3-none-any\n"}
    files[f"{dist}.dist-info/RECORD"] = "".join(f"{path},,\n" for path in [*files, f"{dist}.dist-info/RECORD"])
    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(folder / f"{dist}-py3-none-any.whl", "w") as wheel:
        for path, text in files.items():
            wheel.writestr(path, text)
    return folder


@pytest.fixture
def course(tmp_path):
    """Environment variables for tutorial.py with its own venv and a one-package requirements file (the core);
    the groups' files beside it list nothing until a test gives them a package.

    pip reads no configuration file (this machine's adds indexes) and no index: only the folder in
    PIP_FIND_LINKS, which starts empty, as if there were no network.
    """
    (tmp_path / "requirements.txt").write_text("tutorial-probe==1.0\n")
    for group in tutorial.OPTIONAL_GROUPS:
        (tmp_path / f"requirements-{group}.txt").write_text(f"# the {group} group: nothing yet\n")
    (tmp_path / "nothing").mkdir()
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("PIP_", "LC_", "LANG")) and name not in ("VIRTUAL_ENV", "PYTHONHOME")}
    env.update(PIP_CONFIG_FILE=os.devnull, PIP_NO_INDEX="1", PIP_FIND_LINKS=str(tmp_path / "nothing"),
               PIP_DISABLE_PIP_VERSION_CHECK="1", TUTORIAL_VENV=str(tmp_path / "venv"),
               TUTORIAL_REQUIREMENTS=str(tmp_path / "requirements.txt"), LANG="en_US.UTF-8")
    return tmp_path, env


def tutorial_py(env, *args, **kwargs):
    return subprocess.run([sys.executable, str(ROOT / "tutorial.py"), *args], cwd=ROOT, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300, **kwargs)


def test_a_failed_install_says_what_failed_and_the_next_run_finishes_the_set_up(course):
    folder, env = course
    venv_dir = folder / "venv"
    # A set-up that died half-way: the folder and its pyvenv.cfg, a python that does not run.
    (venv_dir / "bin").mkdir(parents=True)
    (venv_dir / "pyvenv.cfg").write_text("home = /nowhere\n")
    (venv_dir / "bin" / "python").write_text("not a program")

    failed = tutorial_py(env, "test")
    assert failed.returncode == 1
    assert "Traceback" not in failed.stdout + failed.stderr, failed.stderr
    assert "cannot be used" in failed.stdout and "making it again" in failed.stdout, failed.stdout
    paragraph = failed.stderr
    assert "pip could not install tutorial-probe==1.0" in paragraph, paragraph
    assert "ERROR: No matching distribution found for tutorial-probe==1.0" in paragraph
    assert "network" in paragraph and "proxy" in paragraph and "disk" in paragraph
    log = venv_dir / "setup.log"
    assert str(log) in paragraph or os.path.relpath(log, ROOT) in paragraph, paragraph
    assert "No matching distribution" in log.read_text(encoding="utf-8")
    assert "tutorial.py test" in paragraph.splitlines()[-1]
    assert len(paragraph.splitlines()) <= 4, "one short paragraph"

    # The same failure in Chinese; the environment made by the first run is kept.
    chinese = tutorial_py({**env, "LANG": "zh_CN.UTF-8"}, "test")
    assert chinese.returncode == 1 and "Traceback" not in chinese.stderr
    assert "无法使用" not in chinese.stdout, "a working environment is kept"
    assert "pip 无法安装 tutorial-probe==1.0" in chinese.stderr and "网络" in chinese.stderr, chinese.stderr
    assert "tutorial.py test" in chinese.stderr.splitlines()[-1]

    # pip can reach the package now: the set-up finishes, saying what it installs and how long it took.
    working = {**env, "PIP_FIND_LINKS": str(make_wheel(folder / "wheels"))}
    done = tutorial_py(working, "setup")
    assert done.returncode == 0, done.stdout + done.stderr
    assert "[1] tutorial_probe 1.0" in done.stdout, done.stdout
    assert re.search(r"Set-up done in \d+ s: 1 package installed", done.stdout), done.stdout
    python = tutorial.venv_python(venv_dir)
    assert subprocess.run([str(python), "-c", "import tutorial_probe"]).returncode == 0

    # Once done, nothing is installed again; a changed requirements file with nothing new only checks.
    again = tutorial_py(working, "setup")
    assert again.returncode == 0 and "Installing" not in again.stdout, again.stdout
    (venv_dir / "requirements.txt").write_text("tutorial-probe==1.0\n# a comment, nothing new\n")
    checked = tutorial_py({**working, "TUTORIAL_REQUIREMENTS": str(venv_dir / "requirements.txt")}, "setup")
    assert checked.returncode == 0 and "already had every package" in checked.stdout, checked.stdout


@pytest.mark.skipif(os.name == "nt", reason="sends Ctrl+C's SIGINT to a process group, which Windows has not")
def test_ctrl_c_during_the_set_up_says_how_to_finish_it(course):
    folder, env = course
    # An index on loopback that accepts connections and never answers: pip waits, as on a slow network.
    with socket.create_server(("127.0.0.1", 0)) as silent:
        port = silent.getsockname()[1]
        env = {**env, "PIP_INDEX_URL": f"http://127.0.0.1:{port}/simple", "PIP_TIMEOUT": "60", "PIP_RETRIES": "0"}
        del env["PIP_NO_INDEX"]
        process = subprocess.Popen([sys.executable, str(ROOT / "tutorial.py"), "test"], cwd=ROOT, env=env,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, encoding="utf-8",
                                   start_new_session=True)
        try:
            for line in process.stdout:
                if line.startswith("Installing the packages for"):
                    break
            time.sleep(1.5)  # pip is waiting for the index now
            os.killpg(process.pid, signal.SIGINT)  # what Ctrl+C does in a terminal
            stdout, stderr = process.communicate(timeout=60)
        finally:
            if process.poll() is None:
                process.kill()
    assert process.returncode == 1
    assert "Traceback" not in stdout + stderr, stderr
    assert "stopped (Ctrl+C)" in stderr and "tutorial.py test" in stderr, stderr
    assert not (folder / "venv" / "requirements.sha256").exists(), "an unfinished set-up must not be stamped done"


def test_an_environment_made_by_an_older_python_is_made_again():
    """A student who first tried Python 3.10 and then installed a newer one gets a new .venv, not the old one."""
    assert tutorial.venv_works(Path(sys.executable))
    older = find_python(3, tutorial.MINIMUM_PYTHON[1] - 1)
    if not older:
        pytest.skip(f"no Python 3.{tutorial.MINIMUM_PYTHON[1] - 1} here to play the older one")
    assert not tutorial.venv_works(Path(older))


def test_a_folder_that_is_not_a_virtual_environment_is_left_alone(tmp_path):
    (tmp_path / "requirements.txt").write_text("tutorial-probe==1.0\n")
    mine = tmp_path / "venv"
    mine.mkdir()
    (mine / "notes.txt").write_text("mine")
    with pytest.raises(tutorial.SetupError) as stop:
        tutorial.ensure_venv(mine, tmp_path / "requirements.txt", "en")
    assert "is not a virtual environment" in str(stop.value)
    assert [path.name for path in mine.iterdir()] == ["notes.txt"]


def fake_venv(tmp_path, monkeypatch):
    """An environment folder whose Python "works" (a file standing for it), so that no real venv is made."""
    venv_dir = tmp_path / "venv"
    fake_python = tutorial.venv_python(venv_dir)
    fake_python.parent.mkdir(parents=True)
    fake_python.write_text("")
    monkeypatch.setattr(tutorial, "venv_works", lambda python: True)
    return venv_dir


def test_set_up_is_skipped_when_requirements_have_not_changed(tmp_path, monkeypatch):
    """A second `tutorial.py test` starts at once: no pip install while the stamp matches."""
    requirements = tmp_path / "requirements.txt"
    requirements.write_text("Flask==3.1.3\n")
    venv_dir = fake_venv(tmp_path, monkeypatch)
    installs = []
    monkeypatch.setattr(tutorial, "pip_install", lambda python, files, *rest: installs.append(python) or 1)

    tutorial.ensure_venv(venv_dir, requirements, "en")
    tutorial.ensure_venv(venv_dir, requirements, "en")
    assert len(installs) == 1, "the second run must not reinstall"

    requirements.write_text("Flask==3.1.3\nFlask-WTF==1.3.0\n")
    tutorial.ensure_venv(venv_dir, requirements, "en")
    assert len(installs) == 2, "a changed requirements.txt must be installed again"


# ---------------------------------------------------------------- the groups: each command installs what it needs

EVERY_GROUP = {"core", *tutorial.OPTIONAL_GROUPS}


@pytest.mark.parametrize("command, groups", [
    ("check 01", {"core"}), ("check 01 --exercise 1", {"core"}), ("progress --app-dir .", {"core", "database"}),
    ("run 01", {"core"}), ("demo 05", {"core"}), ("test 03", {"core"}), ("setup", {"core"}),
    ("check 10", {"core", "database"}), ("run 10", {"core", "database"}), ("test 10", {"core", "database"}),
    ("demo 10", {"core", "database"}), ("check 09", {"core"}), ("setup database", {"core", "database"}),
    ("bench --only check", {"core"}),
    ("serve", {"core", "site"}), ("lab", {"core", "lab"}), ("screenshots", {"core", "browser"}),
    ("bench --only site", {"core", "site"}), ("setup site lab", {"core", "site", "lab"}),
    ("setup all", EVERY_GROUP), ("test", EVERY_GROUP),
])
def test_each_command_sets_up_only_the_groups_it_needs(command, groups, monkeypatch, capsys):
    """A fresh clone's first `check 01` installs the core alone; `serve` the site on top, `test` every group."""
    asked = []

    def ensure_venv(venv_dir=None, requirements=None, language=None, groups=()):
        asked.append({"core", *groups})
        raise tutorial.SetupError("stopped before anything runs")

    monkeypatch.setattr(tutorial, "ensure_venv", ensure_venv)
    assert tutorial.main(command.split()) == 1
    assert asked == [groups]


def test_diff_sets_up_nothing(monkeypatch, capsys):
    monkeypatch.setattr(tutorial, "ensure_venv", lambda *args, **kwargs: pytest.fail("diff set up .venv"))
    assert tutorial.main(["diff", "01", "02", "--color", "never"]) == 1


def test_each_group_has_its_own_stamp(tmp_path, monkeypatch):
    """A group is installed on its first use and again only when its own file changes; the groups installed before
    go to pip with it, so that their pins hold."""
    files = {group: tutorial.requirements_file(group, tmp_path / "requirements.txt") for group in tutorial.GROUPS}
    for group, path in files.items():
        path.write_text(f"tutorial-probe-{group}==1.0\n")
    venv_dir = fake_venv(tmp_path, monkeypatch)
    installs = []
    monkeypatch.setattr(tutorial, "pip_install",
                        lambda python, given, *rest: installs.append([Path(path).name for path in given]) or 1)

    def set_up(*groups):
        """The files pip is given by one set-up asking for these groups, or None when it installs nothing."""
        installs.clear()
        tutorial.ensure_venv(venv_dir, files["core"], "en", groups)
        return installs[0] if installs else None

    core, database, site, browser, lab = (path.name for path in files.values())
    assert set_up() == [core]  # check, run, diff, progress, demo
    assert set_up() is None
    assert set_up("site") == [core, site]  # serve, on top of the core
    assert set_up("site") is None and set_up() is None
    assert sorted(path.name for path in venv_dir.glob("*.sha256")) == ["requirements-site.sha256",
                                                                        "requirements.sha256"]

    files["site"].write_text("tutorial-probe-site==2.0\n")
    assert set_up() is None, "the core does not depend on the site's file"
    assert set_up("site") == [core, site]
    assert set_up("lab") == [core, site, lab], "the site, installed, goes to pip with the lab"
    site_stamp = (venv_dir / "requirements-site.sha256").read_text()

    files["core"].write_text("tutorial-probe-core==2.0\n")
    assert set_up() == [core, site, lab]
    assert (venv_dir / "requirements-site.sha256").read_text() == site_stamp
    assert set_up("site", "lab") is None
    assert set_up(*tutorial.OPTIONAL_GROUPS) == [core, database, site, browser, lab]  # test
    assert set_up(*tutorial.OPTIONAL_GROUPS) is None

    # An install that fails leaves that group unstamped (the next run tries again), and the others as they were.
    files["lab"].write_text("tutorial-probe-lab==2.0\n")
    def no_network(*args):
        raise tutorial.SetupError("pip could not install tutorial-probe-lab==2.0")

    monkeypatch.setattr(tutorial, "pip_install", no_network)
    with pytest.raises(tutorial.SetupError):
        set_up("lab")
    assert sorted(path.name for path in venv_dir.glob("*.sha256")) == ["requirements-browser.sha256",
                                                                        "requirements-database.sha256",
                                                                        "requirements-site.sha256",
                                                                        "requirements.sha256"]


def test_a_group_is_installed_on_top_of_the_core_and_a_failure_is_explained_the_same_way(course):
    """For real, with pip: `setup` installs the core alone; `setup site` (what serve does) adds the site's package
    without installing the core again, and when it cannot, says so in the same paragraph, in both languages."""
    folder, env = course
    (folder / "requirements-site.txt").write_text("tutorial-probe-site==1.0\n")
    env = {**env, "PIP_FIND_LINKS": str(make_wheel(folder / "wheels"))}  # the core's package only, for now
    venv_dir = folder / "venv"

    core = tutorial_py(env, "setup")
    assert core.returncode == 0, core.stdout + core.stderr
    assert "Installing the packages for the apps and their tests, listed in" in core.stdout, core.stdout
    assert "[1] tutorial_probe 1.0" in core.stdout and "tutorial_probe_site" not in core.stdout
    assert (venv_dir / "requirements.sha256").exists() and not (venv_dir / "requirements-site.sha256").exists()

    failed = tutorial_py(env, "setup", "site")
    assert failed.returncode == 1 and "Traceback" not in failed.stderr, failed.stderr
    assert "the course site" in failed.stdout and "requirements-site.txt" in failed.stdout, failed.stdout
    assert "pip could not install tutorial-probe-site==1.0" in failed.stderr, failed.stderr
    assert "network" in failed.stderr and "setup.log" in failed.stderr
    assert "tutorial.py setup site" in failed.stderr.splitlines()[-1]
    chinese = tutorial_py({**env, "LANG": "zh_CN.UTF-8"}, "setup", "site")
    assert chinese.returncode == 1 and "课程网站" in chinese.stdout, chinese.stdout
    assert "pip 无法安装 tutorial-probe-site==1.0" in chinese.stderr and "网络" in chinese.stderr, chinese.stderr
    assert (venv_dir / "requirements.sha256").exists(), "the core stays set up"

    make_wheel(folder / "wheels", "tutorial_probe_site")
    site = tutorial_py(env, "setup", "site")
    assert site.returncode == 0, site.stdout + site.stderr
    assert "[1] tutorial_probe_site 1.0" in site.stdout and "tutorial_probe 1.0" not in site.stdout, site.stdout
    assert re.search(r"Set-up done in \d+ s: 1 package installed", site.stdout), site.stdout

    # The site's file changes: the core's commands do not care; the next `serve` checks the site again.
    (folder / "requirements-site.txt").write_text("tutorial-probe-site==1.0\n# a comment, nothing new\n")
    quiet = tutorial_py(env, "setup")
    assert quiet.returncode == 0 and "Installing" not in quiet.stdout, quiet.stdout
    checked = tutorial_py(env, "setup", "site")
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert "already had every package listed in" in checked.stdout and "requirements-site.txt" in checked.stdout


def imported_distributions(paths):
    """{installed distribution: a file that imports it}, for the imports of these files (inside functions too)."""
    from importlib.metadata import packages_distributions
    from packaging.utils import canonicalize_name

    owners = packages_distributions()
    found = {}
    for path in paths:
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Import):
                names = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level:
                names = [node.module]
            else:
                continue
            for name in names:
                for owner in owners.get(name.split(".")[0], []):
                    found.setdefault(canonicalize_name(owner), path.relative_to(ROOT).as_posix())
    return found


def requirements_closure(path):
    """The distributions a requirements file installs: its own and, from their installed metadata, theirs."""
    from importlib.metadata import PackageNotFoundError, requires
    from packaging.requirements import Requirement
    from packaging.utils import canonicalize_name

    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    todo = [Requirement(line) for line in lines if line]
    found = set()
    while todo:
        requirement = todo.pop()
        name = canonicalize_name(requirement.name)
        if name in found:
            continue
        found.add(name)
        with contextlib.suppress(PackageNotFoundError):
            for text in requires(name) or []:
                needed = Requirement(text)
                extras = [{"extra": extra} for extra in (*requirement.extras, "")]
                if needed.marker is None or any(needed.marker.evaluate(extra) for extra in extras):
                    todo.append(needed)
    return found


def test_the_core_group_holds_every_package_the_steps_their_tests_and_the_coach_import():
    """`check`, `run`, `progress` and `demo` have only requirements.txt, and requirements-database.txt for a step
    whose own requirements.txt lists Flask-SQLAlchemy (step 10): whatever the steps, their suites, the exercises'
    tests and the coach import must come from those (the site, browser and lab groups are other commands')."""
    def is_database_steps(path):
        parts = path.relative_to(ROOT).parts
        # tests/support's modules that only step 10's suites use: its throwaway PostgreSQL, its statement counter
        return any(part[:2].isdigit() and tutorial.step_groups(part[:2]) for part in parts[:3]) or (
            parts[:2] == ("tests", "support") and path.name in ("postgres.py", "statements.py"))

    paths = [*ROOT.glob("steps/**/*.py"), *ROOT.glob("tests/[0-9]*/**/*.py"), *ROOT.glob("tests/exercises/**/*.py"),
             *ROOT.glob("tests/support/*.py"), ROOT / "tests" / "conftest.py", ROOT / "tutorial.py",
             *(ROOT / "tools" / f"{name}.py" for name in ("check", "grade", "exercises", "steps", "forms", "expects"))]
    core = requirements_closure(ROOT / "requirements.txt")
    with_database = core | requirements_closure(ROOT / "requirements-database.txt")
    imported = imported_distributions([path for path in paths if not is_database_steps(path)])
    assert {"flask", "pytest"} <= set(imported), "the imports were not read"
    missing = {name: path for name, path in imported.items() if name not in core}
    assert not missing, f"imported, but not installed by requirements.txt (the core): {missing}"
    imported = imported_distributions([path for path in paths if is_database_steps(path)])
    assert "flask-sqlalchemy" in imported, "step 10's imports were not read"
    missing = {name: path for name, path in imported.items() if name not in with_database}
    assert not missing, f"imported by step 10, but in neither the core nor the database group: {missing}"
