"""tutorial.py, the course's entry point: step names and its commands (the set-up: test_setup.py)."""
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from support import ROOT, STEPS

sys.path.insert(0, str(ROOT))
import tutorial  # noqa: E402
from tools import in_ci  # noqa: E402


@pytest.mark.parametrize("name", ["3", "03", "03_templates"])
def test_a_step_can_be_named_by_number_or_folder(name):
    assert tutorial.resolve_step(name) == "03_templates"


@pytest.mark.parametrize("name", ["99", "templates", "", "3x"])
def test_an_unknown_step_stops_with_the_list_of_steps(name):
    with pytest.raises(SystemExit) as stop:
        tutorial.resolve_step(name)
    assert "01_hello" in str(stop.value)


def test_every_step_folder_is_known():
    assert tutorial.STEPS == STEPS
    assert STEPS[:6] == ["01_hello", "02_routes", "03_templates", "04_forms", "05_sqlite", "06_taskman"]


def test_the_readme_tables_name_every_step_in_order():
    """README's "The steps" lists each folder under steps/ once, in the course's order."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## The steps", 1)[1].split("\n## ", 1)[0]
    rows = [line.split("|")[1].strip().strip("`") for line in section.splitlines() if line.startswith("| `")]
    assert rows == STEPS, "README.md's step tables should have one row per folder under steps/, in order"


def pins(path):
    """A requirements file's lines without comments: its pins and its -r lines."""
    lines = [line.split("#")[0].strip() for line in path.read_text(encoding="utf-8").splitlines()]
    return [line for line in lines if line]


def test_requirements_are_pinned():
    """Every student installs the same versions: each requirement names one exact version."""
    for path in [*ROOT.glob("requirements*.txt"), *ROOT.glob("steps/*/requirements.txt")]:
        for line in pins(path):
            if not line.startswith("-r"):
                assert "==" in line, f"{path.relative_to(ROOT)}: {line!r} is not pinned"


def test_each_group_of_requirements_lists_only_its_own_pins():
    """The core (requirements.txt) and each group's file (requirements-site.txt, ...) name disjoint packages and
    include no other file: tutorial.py gives pip the files a command needs; requirements-dev.txt includes them all."""
    groups = {group: pins(tutorial.requirements_file(group, ROOT / "requirements.txt")) for group in tutorial.GROUPS}
    named = {}
    for group, lines in groups.items():
        assert lines, f"the {group} group lists nothing"
        for line in lines:
            assert not line.startswith("-"), f"the {group} group's file includes another: {line!r}"
            name = line.split("==")[0].split("[")[0].lower()
            assert name not in named, f"{name} is in both the {named[name]} and the {group} groups"
            named[name] = group
    files = [tutorial.requirements_file(group, ROOT / "requirements.txt").name for group in tutorial.GROUPS]
    assert {f"-r {name}" for name in files} <= set(pins(ROOT / "requirements-dev.txt"))


def require_group(group):
    """Skip a test that needs a group of the course's packages this Python has not (a .venv that only `check` set
    up); fail in CI, whose `python tutorial.py test` installs every group."""
    reason = tutorial.missing_group(group)
    if reason and in_ci():
        pytest.fail(f"{reason} (CI runs python tutorial.py test, which installs every group)", pytrace=False)
    if reason:
        pytest.skip(reason)


def run_tutorial(*args):
    return subprocess.run([sys.executable, str(ROOT / "tutorial.py"), *args],
                          cwd=ROOT, capture_output=True, text=True, timeout=120)


def test_app_dir_needs_a_step():
    result = run_tutorial("test", "--app-dir", ".")
    assert result.returncode != 0
    assert "--app-dir needs a step" in result.stderr


@pytest.mark.parametrize("language, words", [("zh", "没有第 99 步"), ("en", "There is no step '99'")])
def test_a_step_that_does_not_exist_is_named_in_the_students_language(language, words):
    result = run_tutorial("check", "99", "--lang", language)
    assert result.returncode != 0
    assert words in result.stderr and "01_hello" in result.stderr and "Traceback" not in result.stderr


def test_app_dir_must_exist(tmp_path):
    result = run_tutorial("test", "03", "--app-dir", str(tmp_path / "missing"))
    assert result.returncode != 0
    assert "no such folder" in result.stderr


@pytest.fixture
def student_copy(tmp_path):
    """A student's folder: an untouched copy of step 03."""
    copy = tmp_path / "my_step"
    shutil.copytree(ROOT / "steps" / "03_templates", copy)
    return copy


def grade(folder):
    return run_tutorial("test", "03", "--app-dir", str(folder), "--", "-q", "-p", "no:warnings")


def test_an_untouched_copy_of_the_step_passes(student_copy):
    result = grade(student_copy)
    assert result.returncode == 0, result.stdout[-2000:]


def test_a_missing_template_is_named_with_what_to_review(student_copy):
    (student_copy / "templates" / "tasks.html").unlink()
    result = grade(student_copy)
    assert result.returncode == 1
    assert "tasks.html" in result.stdout
    assert "What to review" in result.stdout


def test_a_missing_route_is_named_with_what_to_review(student_copy):
    app_py = student_copy / "app.py"
    source = app_py.read_text()
    route = source.index('@app.route("/tasks/<int:task_id>")')
    end = source.index("@app.route", route + 1)
    app_py.write_text(source[:route] + source[end:])
    result = grade(student_copy)
    assert result.returncode == 1
    assert "task_detail" in result.stdout
    assert "What to review" in result.stdout


def test_diff_of_two_steps_shows_what_changed():
    result = run_tutorial("diff", "04", "05", "--color", "never")
    assert result.returncode == 1, "differences exit with 1, like diff"
    assert "changed: app.py" in result.stdout
    assert "added: schema.sql" in result.stdout
    assert "+import sqlite3" in result.stdout
    assert "\033[" not in result.stdout


def test_diff_is_coloured_when_asked():
    result = run_tutorial("diff", "01", "02", "--color", "always")
    assert "\033[32m+" in result.stdout and "\033[31m-" in result.stdout


def test_diff_of_a_students_folder_ignores_caches_venvs_and_databases(tmp_path):
    copy = tmp_path / "mine"
    shutil.copytree(ROOT / "steps" / "05_sqlite", copy)
    for leftover in ("__pycache__/app.cpython-311.pyc", ".venv/bin/python", "instance/tasks.db",
                     ".pytest_cache/README.md", "tasks.db"):
        (copy / leftover).parent.mkdir(parents=True, exist_ok=True)
        (copy / leftover).write_text("not part of the step")
    same = run_tutorial("diff", "05", "--app-dir", str(copy))
    assert same.returncode == 0 and "No differences." in same.stdout, same.stdout

    app_py = copy / "app.py"
    app_py.write_text(app_py.read_text().replace("MAX_SUMMARY = 300", "MAX_SUMMARY = 200"))
    (copy / "notes.txt").write_text("mine\n")
    changed = run_tutorial("diff", "05", "--app-dir", str(copy), "--color", "never")
    assert changed.returncode == 1
    assert "-MAX_SUMMARY = 300\n+MAX_SUMMARY = 200" in changed.stdout
    assert "added: notes.txt" in changed.stdout
    assert "+++ yours/app.py" in changed.stdout


@pytest.mark.servers
@pytest.mark.parametrize("step", ["05", "08", "09", "10"])
def test_demo_serves_a_throwaway_copy_with_sample_tasks_and_deletes_it(port, step):
    """`tutorial.py demo NN`: sample tasks on the dashboard (from step 09 on, the sample user's, who signs in with
    the name and password the demo prints); once stopped, the copy is gone."""
    import http.cookiejar
    import os
    import re
    import urllib.parse
    import urllib.request

    from support.servers import read_output, running

    command = [sys.executable, str(ROOT / "tutorial.py"), "demo", step, "--port", str(port)]
    base = f"http://127.0.0.1:{port}"
    browser = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar()))
    env = {**os.environ, "PYTHONDONTWRITEBYTECODE": "1", "LANG": "en_US.UTF-8", "DATABASE_URL": "postgresql://nowhere"}
    with running(command, f"{base}/", cwd=ROOT, env=env) as demo:
        account = re.search(r"Sign in as (\S+), password: (.+)", read_output(demo))
        if int(step) >= 9:
            assert account, f"the demo of step {step} says whom to sign in as:\n{read_output(demo)}"
            with browser.open(f"{base}/login", timeout=5) as response:
                token = re.search(r'name="csrf_token" value="([^"]+)"', response.read().decode("utf-8")).group(1)
            form = {"csrf_token": token, "username": account.group(1), "password": account.group(2).strip()}
            browser.open(f"{base}/login", data=urllib.parse.urlencode(form).encode(), timeout=5).close()
        with browser.open(f"{base}/tasks", timeout=5) as response:
            page = response.read().decode("utf-8")
    assert "Add a task of your own" in page, f"the demo's dashboard shows no sample task:\n{demo.output}"
    copy = re.search(r"a throwaway copy in (\S+)", demo.output).group(1)
    assert not Path(copy).exists(), f"the demo left {copy} behind"
    assert not str(copy).startswith(str(ROOT))


@pytest.mark.servers
def test_lab_starts_jupyterlab_with_the_courses_python(port):
    """`tutorial.py lab` serves JupyterLab on 127.0.0.1, and its kernel is the course's .venv Python."""
    import json
    import os
    import urllib.request

    from support.servers import running

    require_group("lab")
    command = [sys.executable, str(ROOT / "tutorial.py"), "lab", "--port", str(port), "--no-browser"]
    url = f"http://127.0.0.1:{port}/api"
    with running(command, url, cwd=ROOT, env={**os.environ, "PYTHONDONTWRITEBYTECODE": "1"}, timeout=60):
        with urllib.request.urlopen(url, timeout=5) as response:
            assert "version" in json.load(response)
    specs = subprocess.run([sys.executable, "-m", "jupyter", "kernelspec", "list", "--json"],
                           capture_output=True, text=True, timeout=60)
    argv = json.loads(specs.stdout)["kernelspecs"]["python3"]["spec"]["argv"]
    assert Path(argv[0]).resolve() == Path(sys.executable).resolve() or argv[0] == "python"
