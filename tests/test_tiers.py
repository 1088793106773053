"""The coach's two tiers (tools/check.py): the first verdict comes from the in-process tests alone; the tests that
start real servers, and the grading of a student's own tests, run only when it passes, and the report grows on
the screen as they do. `--watch` checks again once per real save, and a save during a check replaces that check."""
import json
import os
import re
import subprocess
import sys
import time
from pathlib import Path

import pytest

from support import ROOT


def copy_of(step, tmp_path):
    """An untouched copy of a course step, outside the repository."""
    import shutil

    folder = tmp_path / step
    shutil.copytree(ROOT / "steps" / step, folder, ignore=shutil.ignore_patterns("instance", "__pycache__"))
    return folder


def coach(*args, timeout=600):
    """`python -m tools.check ARGS`, as a student runs it: (exit code, what it printed)."""
    completed = subprocess.run([sys.executable, "-m", "tools.check", *args], cwd=ROOT, capture_output=True,
                               text=True, encoding="utf-8", timeout=timeout,
                               env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    return completed.returncode, completed.stdout + completed.stderr


def test_a_passing_first_tier_is_said_before_the_second_tier_runs_and_is_shown_once(tmp_path):
    folder = copy_of("03_templates", tmp_path)
    result_file = tmp_path / "result.json"
    code, report = coach("03", "--app-dir", str(folder), "--lang", "en", "--json", str(result_file))
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert code == 0, report
    assert report.count("Checking ") == 1, "the first tier's part of the report was printed twice:\n" + report
    tier_one = report.index("The first tier passes")
    servers = report.index("Checks that start real servers… pass")
    assert report.index("a base layout with blocks") < tier_one < servers < report.index("Everything passes")
    # the fuzzer (a longer check) and the servers: both parts, in the report's order
    assert [part["name"] for part in result["parts"]] == ["later", "servers"]
    assert 0 < result["first_seconds"] < result["seconds"]
    assert f"the first verdict in {result['first_seconds']:.1f} s, the whole check in {result['seconds']:.1f} s" in report


def test_a_failing_first_tier_starts_no_server_and_says_what_waits(tmp_path):
    folder = copy_of("03_templates", tmp_path)
    layout = folder / "templates" / "base.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace("{% block content %}", "{% block contents %}"),
                      encoding="utf-8")
    result_file = tmp_path / "result.json"
    code, report = coach("03", "--app-dir", str(folder), "--lang", "zh", "--json", str(result_file))
    result = json.loads(result_file.read_text(encoding="utf-8"))
    assert code == 1
    assert result["parts"] == [], "a server was started although the first tier failed"
    assert "先改这一项" in report and "要等上面这些都通过之后才会运行的：" in report
    # Step 03 has real-server checks and no grading of the student's own tests (that starts at step 08).
    waits = next(line for line in report.splitlines() if "要等上面这些都通过之后才会运行的" in line)
    assert "启动真实服务器的检查" in waits and "评分" not in waits
    assert "用时：" in report and "整个检查" not in report


def test_the_fast_check_of_the_coachs_own_tests_has_one_tier(tmp_path):
    result_file = tmp_path / "result.json"
    code, report = coach("03", "--app-dir", str(copy_of("03_templates", tmp_path)), "--lang", "en", "--fast",
                         "--json", str(result_file))
    assert code == 0, report
    assert json.loads(result_file.read_text(encoding="utf-8"))["parts"] == []
    assert "start real servers" not in report


def reports_in(path):
    """How many reports a watching coach has begun, from its output so far."""
    return path.read_text(encoding="utf-8", errors="replace").count("Checking ")


def wait_for(condition, limit=300):
    """Wait until condition() holds (a check of a step takes seconds, more on a busy machine)."""
    ends = time.monotonic() + limit
    while time.monotonic() < ends:
        if condition():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.skipif(os.name == "nt", reason="the test stops the watching coach with a POSIX signal")
def test_watch_checks_once_per_real_save_and_a_save_during_a_check_replaces_it(tmp_path):
    import signal

    folder = copy_of("02_routes", tmp_path)
    output = tmp_path / "watch.txt"
    with output.open("w", encoding="utf-8") as sink:
        watcher = subprocess.Popen([sys.executable, "-m", "tools.check", "02", "--app-dir", str(folder), "--lang",
                                    "en", "--watch"], cwd=ROOT, stdout=sink, stderr=subprocess.STDOUT,
                                   env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", PYTHONUNBUFFERED="1"))
    try:
        watching = "Watching "
        assert wait_for(lambda: output.read_text(encoding="utf-8").count(watching) == 1), output.read_text()
        app = folder / "app.py"
        text = app.read_bytes()
        app.write_bytes(text)  # saved unchanged: no new check
        time.sleep(3)
        assert reports_in(output) == 1
        app.write_bytes(text + b"\n# a comment\n")  # a real change: a second check, to its end
        assert wait_for(lambda: output.read_text(encoding="utf-8").count(watching) == 2), output.read_text()
        assert reports_in(output) == 2
        app.write_bytes(text + b"\n# another comment\n")
        assert wait_for(lambda: reports_in(output) == 3)
        app.write_bytes(text + b"\n# a third comment\n")  # saved while that check runs: it gives way to a new one
        assert wait_for(lambda: output.read_text(encoding="utf-8").count(watching) == 3), output.read_text()
        assert reports_in(output) == 4
        # The third check gives way to the fourth; on a busy machine it may have ended before the save was seen.
        assert output.read_text(encoding="utf-8").count("Everything passes") in (3, 4)
    finally:
        watcher.send_signal(signal.SIGINT)
        watcher.wait(60)


def test_a_long_first_tier_is_shared_by_two_processes_by_the_times_of_the_last_check(monkeypatch):
    from tools import check

    files = sorted(path.name for path in (ROOT / "tests" / "07_deploy").glob("test_*.py"))
    times = {name: 0.5 for name in files}
    times[files[0]] = 9.0
    monkeypatch.setattr(check, "recorded_durations", lambda: {"chosen": {"07_deploy": times}})
    monkeypatch.setattr(check.os, "cpu_count", lambda: 2)
    mine, theirs = check.shares("07_deploy", "chosen")
    assert sorted(mine + theirs) == files, "every test file runs in exactly one of the two processes"
    assert files[0] in mine, "the longest file stays in this process: the other pays for its start"
    total = lambda names: sum(times[name] for name in names)  # noqa: E731
    assert abs(total(mine) - (total(theirs) + check.PROCESS_START)) <= 9.0 / 2
    # A short tier is not worth a second process, nor is a machine of one core.
    monkeypatch.setattr(check, "recorded_durations", lambda: {"chosen": {"07_deploy": {n: 0.01 for n in files}}})
    assert check.shares("07_deploy", "chosen") is None
    monkeypatch.setattr(check, "recorded_durations", lambda: {"chosen": {"07_deploy": times}})
    monkeypatch.setattr(check.os, "cpu_count", lambda: 1)
    assert check.shares("07_deploy", "chosen") is None


def test_a_failure_in_the_other_process_is_reported_with_its_cause_as_one_in_this_one(tmp_path, monkeypatch):
    from tools import check

    folder = copy_of("03_templates", tmp_path)
    layout = folder / "templates" / "base.html"
    layout.write_text(layout.read_text(encoding="utf-8").replace("{% block content %}", "{% block contents %}"),
                      encoding="utf-8")
    monkeypatch.setattr(check, "DURATIONS", tmp_path / "durations.json")  # the course's own timings stay as they are
    alone = check.check("03_templates", folder, "en", fast=True)
    files = sorted(path.name for path in (ROOT / "tests" / "03_templates").glob("test_*.py"))
    monkeypatch.setattr(check, "shares", lambda step, marker: ([n for n in files if n != "test_layout.py"],
                                                               ["test_layout.py"]))
    shared = check.check("03_templates", folder, "en", fast=True)
    assert not shared["passed"]
    counts = lambda result: [(c["anchor"], c["en"], c["passed"], c["failed"]) for c in result["concepts"]]  # noqa: E731
    assert counts(shared) == counts(alone), "two processes gave other counts than one"
    unplaced = lambda result: re.sub(r"0x[0-9a-f]+", "0x…", check.render(result, "en", with_time=False))  # noqa: E731
    assert unplaced(shared) == unplaced(alone), "two processes gave another report than one"
    assert "Fix this first: a base layout with blocks" in check.render(shared, "en"), check.render(shared, "en")
