"""The benchmark's arithmetic: ratios, verdicts, wrk's report, the table and the data it fills databases with.

The benchmark itself (python tutorial.py bench) never runs in the suite: these checks start no server.
"""
import contextlib
import sqlite3

import pytest

import tutorial
from tools import bench

WRK_REPORT = """Running 5s test @ http://127.0.0.1:8000/tasks
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    31.93ms   11.85ms 112.03ms   84.73%
    Req/Sec   126.22     11.40   147.00     80.00%
  Latency Distribution
     50%   30.12ms
     75%   36.46ms
     90%   44.61ms
     99%    1.21s
  1261 requests in 5.00s, 21.09MB read
  Socket errors: connect 0, read 0, write 0, timeout 2
  Non-2xx or 3xx responses: 3
Requests/sec:    252.07
Transfer/sec:      4.22MB
"""


def figures(rps, p99=10.0, generator="wrk"):
    return {"rps": rps, "p50_ms": p99 / 2, "p99_ms": p99, "requests": 100, "errors": 0, "generator": generator}


def load_of(dashboards, healthz=1000.0):
    """A load part with the given (dashboard req/s, dashboard p99) for 06 and 07 at every size."""
    rows = [{"step": step, "tasks": size, "dashboard": figures(*dashboards[step, size]), "healthz": figures(healthz)}
            for step in bench.STEPS for size in bench.SIZES if (step, size) in dashboards]
    return {"rows": bench.add_ratios(rows), "generator": "wrk", "seconds": 5, "connections": 8}


def every_size(step, rps, p99=10.0):
    return {(step, size): (rps, p99) for size in bench.SIZES}


def test_ratios_say_how_close_the_dashboard_comes_to_healthz_and_how_much_faster_07_is():
    load = load_of({**every_size("06_taskman", 2.0), **every_size("07_deploy", 500.0)})
    for row in load["rows"]:
        assert row["dashboard_over_healthz"] == (0.002 if row["step"] == "06_taskman" else 0.5)
        assert row.get("over_06") == (250.0 if row["step"] == "07_deploy" else None)


@pytest.mark.parametrize(("rps", "holds"), [(500.0, True), (499.0, False), (900.0, True)])
def test_the_throughput_target_is_half_of_healthz_at_the_largest_size(rps, holds):
    dashboards = {**every_size("06_taskman", 1.0), **every_size("07_deploy", 900.0)}
    dashboards["07_deploy", bench.SIZES[-1]] = (rps, 10.0)
    verdict = {v["id"]: v for v in bench.verdicts(load_of(dashboards))}["throughput"]
    assert verdict["holds"] is holds
    assert verdict["measured"] == rps / 1000
    assert verdict["tasks"] == 100_000 and verdict["limit"] == 0.5


@pytest.mark.parametrize(("p99", "holds"), [(20.0, True), (20.2, False), (5.0, True)])
def test_the_latency_target_is_twice_the_p99_at_100_tasks(p99, holds):
    dashboards = every_size("07_deploy", 900.0, p99=10.0)
    dashboards["07_deploy", bench.SIZES[-1]] = (900.0, p99)
    verdict = {v["id"]: v for v in bench.verdicts(load_of(dashboards))}["p99_growth"]
    assert verdict["holds"] is holds
    assert verdict["measured"] == pytest.approx(p99 / 10.0)


def test_a_target_that_cannot_be_measured_does_not_hold():
    dashboards = every_size("07_deploy", 900.0, p99=0.0)  # no request finished at 100 tasks
    verdicts = bench.verdicts(load_of(dashboards))
    assert [(v["id"], v["measured"], v["holds"]) for v in verdicts][1] == ("p99_growth", None, False)
    assert all(not v["holds"] for v in bench.verdicts({"rows": []}))


@pytest.mark.parametrize(("p99", "holds"), [(20.0, True), (20.2, False), (None, False)])
def test_the_search_target_is_twice_the_dashboards_p99_at_the_largest_size(p99, holds):
    load = load_of(every_size("07_deploy", 900.0, p99=10.0))
    if p99 is not None:
        load["rows"][-1]["search"] = {"rps": 800.0, "p50_ms": 5.0, "p99_ms": p99}
    verdict = {v["id"]: v for v in bench.verdicts(load)}["search_p99"]
    assert verdict["holds"] is holds
    assert verdict["measured"] == (None if p99 is None else pytest.approx(p99 / 10.0))


def test_every_07_ratio_is_given_against_the_bare_apps_ceiling_too():
    ceiling = {"rps": 3000.0, "p50_ms": 1.0, "p99_ms": 2.0}
    rows = load_of({**every_size("06_taskman", 2.0), **every_size("07_deploy", 600.0)})["rows"]
    rows = bench.add_ratios(rows, ceiling)
    for row in rows:
        if row["step"] == "07_deploy":
            assert row["over_ceiling"] == {"healthz": 0.333, "dashboard": 0.2}
        else:
            assert "over_ceiling" not in row
    text = bench.table({"rows": rows, "ceiling": ceiling})
    assert "The ceiling, a bare Flask app's /healthz" in text and "dashboard 0.20×" in text


def test_wrk_report_is_read_in_milliseconds():
    assert bench.parse_wrk(WRK_REPORT) == {"rps": 252.07, "p50_ms": 30.12, "p99_ms": 1210.0, "requests": 1261,
                                           "errors": 5, "generator": "wrk"}


def test_figures_are_written_for_people():
    assert [bench.figure(v) for v in (123456.7, 252.07, 30.12, 5.2, 0.5, 0.0734, 0.000069, 0.0, None)] == \
        ["123,457", "252", "30.1", "5.20", "0.50", "0.073", "0.000069", "0.0", "—"]
    assert [bench.times(v) for v in (0.46, 1700.0, None)] == ["0.46×", "1,700×", "—"]
    assert bench.percentile([1, 2, 3, 4], 50) == 2 and bench.percentile(list(range(1, 101)), 99) == 99


def test_the_table_shows_every_row_and_marks_the_python_generator():
    load = load_of({**every_size("06_taskman", 0.25), **every_size("07_deploy", 400.0)})
    load["rows"][2]["dashboard"]["generator"] = "python"
    lines = bench.table(load).splitlines()
    assert len(lines) == 1 + 6 + 1
    assert "100,000" in lines[3] and "0.25*" in lines[3]
    assert lines[6].split()[:3] == ["07_deploy", "100,000", "400"] and "1,600×" in lines[6]
    assert lines[-1].startswith("* too slow for wrk")


def test_the_tasks_look_real():
    tasks = bench.sample_tasks(5000)
    assert tasks == bench.sample_tasks(5000), "the same data every run"
    assert [created for _, _, created in tasks] == sorted(created for _, _, created in tasks)
    assert 0.6 < sum(done for _, done, _ in tasks) / len(tasks) < 0.95
    assert sum(done for _, done, _ in tasks[-30:]) < 15, "the newest tasks are mostly still to do"
    summaries = {summary for summary, _, _ in tasks}
    assert len(summaries) > 100 and all(0 < len(summary) <= 300 for summary in summaries)
    assert any("&" in s or "<" in s for s in summaries) and any("\u4e00" <= s[0] <= "\u9fff" for s in summaries)


@pytest.mark.parametrize("step", bench.STEPS)
def test_the_step_creates_its_database_and_its_counts_follow_the_tasks(step, tmp_path):
    database = str(tmp_path / "tasks.db")
    total, done = bench.fill_database(step, database, 250)
    with contextlib.closing(sqlite3.connect(database)) as db:
        assert db.execute("SELECT count(*), sum(done) FROM tasks").fetchone() == (total, done) and total == 250
        if step == "07_deploy":
            assert db.execute("SELECT total, done FROM task_counts").fetchone() == (total, done)
            assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_tutorial_passes_the_bench_options_on(monkeypatch, tmp_path):
    seen = []
    monkeypatch.setattr(tutorial, "command_tool", lambda args: seen.append((args.tool, args.tool_args)) or 0)
    assert tutorial.main(["bench", "--only", "load", "--seconds", "2", "--output", str(tmp_path / "r.json")]) == 0
    assert seen == [("bench", ["--only=load", "--seconds=2", f"--output={tmp_path / 'r.json'}"])]
    seen.clear()
    assert tutorial.main(["bench", "--only", "check", "--runs", "3", "--steps", "01", "07"]) == 0
    assert seen == [("bench", ["--only=check", "--runs=3", "--steps", "01", "07"])]


def test_the_warm_suite_is_its_two_parts_added_up():
    runs = [{"id": "cold_setup", "seconds": 80.0, "passed": True},
            {"id": "fast_tests", "seconds": 120.4, "passed": True},
            {"id": "servers_and_browser", "seconds": 60.2, "passed": False}]
    warm = bench.warm_test(runs)
    assert (warm["id"], warm["seconds"], warm["passed"]) == ("warm_test", 180.6, False)


def test_the_environment_size_counts_every_file_and_names_the_largest_packages():
    """The set-up's cost on disk, measured on the environment running these tests."""
    import importlib.metadata
    import sys
    from pathlib import Path

    size = bench.environment_size(Path(sys.prefix), Path(sys.executable), largest=3)
    largest = [package["megabytes"] for package in size["largest"]]
    assert len(largest) == 3 and largest == sorted(largest, reverse=True)
    assert size["packages"] == len(list(importlib.metadata.distributions()))
    assert size["megabytes"] >= sum(largest) > 0


def test_the_readme_shows_the_set_up_cost_the_bench_measured():
    """README.md's "What is installed and why" shows bench/results.json's figures, not older ones."""
    import json

    course = json.loads((bench.ROOT / "bench" / "results.json").read_text(encoding="utf-8"))["course"]
    table = bench.setup_cost(course)
    assert table in (bench.ROOT / "README.md").read_text(encoding="utf-8"), (
        "README.md's set-up figures differ from bench/results.json; paste this table there:\n" + table)
