"""Measure, then fix: the task manager under load as its data grows, and the course's own speed.

    python tutorial.py bench              everything (about 6 minutes on 2 cores), then bench/results.json
    python tutorial.py bench --only load  just the servers under load

For steps 06 and 07, with 100, 10,000 and 100,000 tasks, gunicorn (4 workers, loopback only) serves
the dashboard and /healthz to a load generator: wrk where it is installed, otherwise a small Python
one. /healthz does the least a request can do (it touches the database once), so it is the ceiling
of the stack, and dashboard/healthz says how close the dashboard comes to it.

Targets for step 07, checked and printed: at 100,000 tasks its dashboard serves at least half the
requests per second of /healthz, and its p99 latency stays within 2x of its p99 at 100 tasks.
"""
import argparse
import contextlib
import http.client
import json
import os
import re
import shutil
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.servers import start, stop
from tools.steps import ROOT

SIZES = (100, 10_000, 100_000)
STEPS = ("06_taskman", "07_deploy")
# /healthz first: a slow dashboard leaves queued requests behind that would slow whatever follows.
ENDPOINTS = {"healthz": "/healthz", "dashboard": "/tasks"}
CONNECTIONS = 8
RESULTS = ROOT / "bench" / "results.json"


def free_port():
    """A TCP port on 127.0.0.1 that nothing listens on."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def fill_database(step, path, count):
    """Create the step's schema in a new database and add `count` tasks, one second apart."""
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executescript((ROOT / "steps" / step / "schema.sql").read_text(encoding="utf-8"))
        db.executemany(
            "INSERT INTO tasks (summary, done, created) VALUES (?, ?, datetime('2026-01-01', ? || ' seconds'))",
            ((f"Task number {n} of the benchmark", int(n % 3 == 0), n) for n in range(count)),
        )
        db.commit()


@contextlib.contextmanager
def gunicorn(step, database):
    """The step under gunicorn with 4 workers on a free loopback port; yields its base URL."""
    port = free_port()
    folder = ROOT / "steps" / step
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", FLASK_DATABASE=database, APP_DATABASE=database,
               APP_SECRET="benchmark-secret-" + "x" * 32, GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS="4")
    if (folder / "gunicorn.conf.py").is_file():
        command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "app:app"]
    else:
        command = [sys.executable, "-m", "gunicorn", "--workers", "4", "--bind", f"127.0.0.1:{port}", "app:app"]
    process = start(command, f"http://127.0.0.1:{port}/healthz", cwd=folder, env=env, timeout=60)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(process)


def with_wrk(url, seconds):
    """Load url with wrk; returns requests per second and latency percentiles in milliseconds."""
    command = ["wrk", "--threads", "2", "--connections", str(CONNECTIONS), "--duration", f"{max(1, round(seconds))}s",
               "--timeout", "30s", "--latency", url]
    output = subprocess.run(command, capture_output=True, text=True, check=True).stdout
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0}

    def latency(percent):
        value, unit = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s)\s*$", output, re.M).groups()
        return round(float(value) * units[unit], 2)

    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 1),
            "p50_ms": latency(50), "p99_ms": latency(99), "errors": int(errors.group(1)) if errors else 0}


def with_python(url, seconds):
    """Load url from CONNECTIONS threads with keep-alive connections; the fallback when wrk is missing."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    deadline = time.monotonic() + seconds
    latencies, errors, lock = [], [0], threading.Lock()

    def client():
        connection = http.client.HTTPConnection(host, int(port), timeout=30)
        mine = []
        while time.monotonic() < deadline:
            began = time.perf_counter()
            connection.request("GET", path)
            response = connection.getresponse()
            response.read()
            mine.append((time.perf_counter() - began) * 1000)
            if response.status >= 400:
                with lock:
                    errors[0] += 1
        connection.close()
        with lock:
            latencies.extend(mine)

    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    return {"rps": round(len(ordered) / elapsed, 1), "p50_ms": round(statistics.median(ordered), 2),
            "p99_ms": round(ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))], 2), "errors": errors[0]}


def warm_up(url, requests=4):
    """A few single requests, so every worker has opened its templates and database once."""
    host, path = url.split("//")[1].split("/", 1)
    for _ in range(requests):
        connection = http.client.HTTPConnection(host, timeout=120)
        connection.request("GET", "/" + path)
        connection.getresponse().read()
        connection.close()


def measure_load(seconds):
    """Every step, size and endpoint under load; returns the rows of the table."""
    load = with_wrk if shutil.which("wrk") else with_python
    rows = []
    for step in STEPS:
        for size in SIZES:
            with tempfile.TemporaryDirectory(prefix="bench-") as folder:
                database = str(Path(folder) / "tasks.db")
                fill_database(step, database, size)
                with gunicorn(step, database) as base:
                    row = {"step": step, "tasks": size}
                    for name, path in ENDPOINTS.items():
                        warm_up(base + path)
                        row[name] = load(base + path, seconds)
                    row["dashboard_over_healthz"] = round(row["dashboard"]["rps"] / max(row["healthz"]["rps"], 0.1), 3)
                    rows.append(row)
                    print(f"  {step:<11} {size:>7} tasks: dashboard {row['dashboard']['rps']:>8.1f} rps "
                          f"p99 {row['dashboard']['p99_ms']:>8.1f} ms | healthz {row['healthz']['rps']:>8.1f} rps",
                          flush=True)
    return {"generator": "wrk" if load is with_wrk else "python", "seconds": seconds,
            "connections": CONNECTIONS, "rows": rows}


def timed(command, cwd):
    """Run a command; return how long it took in seconds (failing if it fails)."""
    began = time.monotonic()
    subprocess.run(command, cwd=cwd, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_MKDOCS_2_WARNING="1"))
    return round(time.monotonic() - began, 1)


def measure_course():
    """The course's own speed, as a student meets it, in a fresh clone of this repository."""
    with tempfile.TemporaryDirectory(prefix="bench-clone-") as folder:
        clone = Path(folder) / "course"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        python = sys.executable if os.name == "nt" else "python3"
        venv_python = clone / ".venv" / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
        times = {}
        print("  cold set-up (a fresh clone: .venv and every requirement, then step 01's tests) ...", flush=True)
        times["cold_setup_s"] = timed([python, "tutorial.py", "test", "01", "--", "-q"], clone)
        print("  warm `python tutorial.py test` (everything) ...", flush=True)
        times["warm_full_test_s"] = timed([python, "tutorial.py", "test", "--", "-q"], clone)
        print("  the fast part of the suite (no real servers, no browser) ...", flush=True)
        times["fast_tests_s"] = timed([python, "tutorial.py", "test", "--", "-q", "-m",
                                       "not servers and not browser"], clone)
        print("  mkdocs build ...", flush=True)
        times["mkdocs_build_s"] = timed([str(venv_python), "-m", "mkdocs", "build", "--strict",
                                         "--site-dir", str(Path(folder) / "site")], clone)
    return times


def verdicts(load):
    """Whether step 07 meets its targets, with the figures that decide it."""
    rows = {(row["step"], row["tasks"]): row for row in load["rows"]}
    small, large = rows[("07_deploy", SIZES[0])], rows[("07_deploy", SIZES[-1])]
    ratio = large["dashboard_over_healthz"]
    growth = large["dashboard"]["p99_ms"] / small["dashboard"]["p99_ms"]
    return [
        {"target": f"07 at {SIZES[-1]:,} tasks: dashboard rps >= 0.5 x healthz rps",
         "measured": f"{ratio:.2f} x", "holds": ratio >= 0.5},
        {"target": f"07 dashboard p99 at {SIZES[-1]:,} tasks <= 2 x its p99 at {SIZES[0]} tasks",
         "measured": f"{growth:.2f} x", "holds": growth <= 2.0},
    ]


def table(load):
    """The results as a plain-text table, ratios included."""
    rows = {(row["step"], row["tasks"]): row for row in load["rows"]}
    lines = [f"{'step':<11} {'tasks':>7} {'dash rps':>9} {'p50 ms':>8} {'p99 ms':>8} {'healthz rps':>11} "
             f"{'dash/hz':>7} {'07/06':>6}"]
    for row in load["rows"]:
        other = rows.get(("06_taskman", row["tasks"]))
        versus = ""
        if row["step"] == "07_deploy" and other:
            versus = f"{row['dashboard']['rps'] / other['dashboard']['rps']:.0f}x" if other["dashboard"]["rps"] else "∞"
        lines.append(f"{row['step']:<11} {row['tasks']:>7,} {row['dashboard']['rps']:>9.1f} "
                     f"{row['dashboard']['p50_ms']:>8.1f} {row['dashboard']['p99_ms']:>8.1f} "
                     f"{row['healthz']['rps']:>11.1f} {row['dashboard_over_healthz']:>7.2f} {versus:>6}")
    return "\n".join(lines)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tutorial.py bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["load", "course"], help="run one half of the benchmark")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each load runs (default 5)")
    parser.add_argument("--output", type=Path, default=RESULTS, help=f"the JSON file (default {RESULTS.relative_to(ROOT)})")
    args = parser.parse_args(argv)
    began = time.monotonic()
    results = json.loads(args.output.read_text()) if args.output.is_file() else {}
    results["machine"] = {"cores": os.cpu_count(), "python": sys.version.split()[0], "platform": sys.platform}
    if args.only in (None, "load"):
        print(f"Load: gunicorn with 4 workers, {CONNECTIONS} connections, {args.seconds:g} s per figure", flush=True)
        results["load"] = measure_load(args.seconds)
        results["targets"] = verdicts(results["load"])
    if args.only in (None, "course"):
        print("The course's own speed:", flush=True)
        results["course"] = measure_course()
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    if "load" in results:
        print("\n" + table(results["load"]))
        print(f"(load generator: {results['load']['generator']})")
        for verdict in results["targets"]:
            print(f"{'HOLDS ' if verdict['holds'] else 'FAILS '} {verdict['target']}: {verdict['measured']}")
    for name, seconds in results.get("course", {}).items():
        print(f"{name:<18} {seconds:>7.1f} s")
    print(f"\nWrote {args.output} in {time.monotonic() - began:.0f} s.")
    return 0 if all(verdict["holds"] for verdict in results.get("targets", [])) else 1


if __name__ == "__main__":
    sys.exit(main())
