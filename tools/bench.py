"""Measure, then fix: the task manager under load as its data grows, and the course's own speed.

    python tutorial.py bench                    everything, then bench/results.json (under 10 minutes on 2 cores)
    python tutorial.py bench --only load        just the servers under load (about 3 minutes)
    python tutorial.py bench --only check       just `tutorial.py check NN`, warm, on every step (a row each)
    python tutorial.py bench --only postgres    step 07 on SQLite against step 10 on PostgreSQL, one and two app servers
    python tutorial.py bench --seconds 2        shorter loads, for a quick look

For steps 06 and 07, with 100, 10,000 and 100,000 tasks, gunicorn (4 workers, loopback only) serves
the dashboard, /search?q=report and /healthz to a load generator: wrk where it is installed, otherwise
a small Python one. /healthz does the least a request of the step can do (it touches the database once,
or not at all), and dashboard/healthz says how close the dashboard comes to it. The stack's own ceiling
is a bare Flask app answering /healthz on step 07's gunicorn settings: step 07's figures are also given
against it, and step 07's fixed cost per request is taken apart (ProxyFix, security headers, CSRF,
session, the database connection), each part measured by taking it out.
A request slower than the load lasts cannot be measured by wrk (it counts only what finishes in
time): such a page (step 06's dashboard with thousands of tasks) is measured by the Python
generator instead, every connection sending at least one request, and its figures are marked.

The databases are made by the step's own app (its schema.sql, and WAL where the step turns it on),
then filled with tasks that look real: varied summaries, up to three years of them, the old ones
mostly done. Step 07's triggers keep its counts row while they are added, as they do in production.
Besides requests per second and latency, the table gives the processor time the workers spent per
request, a figure that changes little when other programs share the machine.

Targets for step 07, checked and printed: at 100,000 tasks its dashboard serves at least half the
requests per second of /healthz, its p99 latency stays within 2x of its p99 at 100 tasks, and the
search's p99 stays within 2x of the dashboard's.

One machine or several (--only postgres): the same write load (visitors adding tasks, POST /tasks) and read
load (the dashboard, GET /tasks) through nginx, on step 07 (SQLite, one gunicorn) and on step 10
(PostgreSQL, one and then two gunicorn instances in nginx's upstream, as if on two machines). All of it runs
on this one machine, so a second app server adds no processor: what it buys is shown by the tests (one
server killed, nginx keeps serving), and where SQLite is the faster one, the ratios say so. PostgreSQL keeps
fsync on, with synchronous_commit off as SQLite's WAL with synchronous=NORMAL (the same promise on a crash).

The course's own speed, as a student meets it, in a fresh clone of this repository (its last commit)
in a temporary folder: each group of the course's packages set up alone in a new .venv (the core, as a
fresh clone's first `check` installs it; the core and the site, as its first `serve`; ...); the cold set-up
(`python tutorial.py test` creating .venv and installing every group, pip's cache in use as on a student's
second clone, then collecting every test without running them); then, warm, every suite once in two parts
that add up to `python tutorial.py test`: the fast part (no real servers, no browser) and the rest; and
`mkdocs build` of the site. A suite that fails is timed all the same, and marked.
"""
import argparse
import contextlib
import datetime
import http.client
import io
import json
import math
import os
import platform
import random
import re
import shutil
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

from tools.servers import free_port, start, stop
from tools.steps import ROOT, environment, load_app_module
from tutorial import venv_python as tutorial_venv_python
from tutorial import OPTIONAL_GROUPS, requirements_file
from tutorial import resolve_step, wsgi_target

SIZES = (100, 10_000, 100_000)
STEPS = ("06_taskman", "07_deploy")
STEPS_DIR = ROOT / "steps"
# /healthz first: a slow dashboard leaves queued requests behind that would slow whatever follows.
# /search?q=report: a word in about one task in 25 (4,000 matches at 100,000 tasks).
ENDPOINTS = {"healthz": "/healthz", "dashboard": "/tasks", "search": "/search?q=report"}
WORKERS = 4
CONNECTIONS = 8
# wrk measures a page only when a request takes less than this share of the load's duration.
WRK_LATENCY_SHARE = 1 / 25
# The targets for step 07 at the largest size.
THROUGHPUT_AT_LEAST = 0.5  # dashboard requests per second / /healthz requests per second
P99_GROWTH_AT_MOST = 2.0  # dashboard p99 at the largest size / at the smallest
SEARCH_P99_AT_MOST = 2.0  # search p99 / dashboard p99, at the largest size
RESULTS = ROOT / "bench" / "results.json"


# ---------------------------------------------------------------- the figures and what they mean

def ratio(numerator, denominator):
    """numerator / denominator to three significant digits; None when either is missing or the denominator is zero."""
    if numerator is None or not denominator:
        return None
    return float(f"{numerator / denominator:.3g}")


def figure(value):
    """A measured number for people: 1,234 and 456 whole, 12.3 with one decimal, 5.20, 0.43 and 0.000069 with two digits."""
    if value is None:
        return "—"
    if abs(value) >= 100:
        return f"{value:,.0f}"
    if abs(value) >= 10 or value == 0:
        return f"{value:.1f}"
    return f"{value:.{max(2, 1 - math.floor(math.log10(abs(value))))}f}"


def times(value):
    """A ratio for people: 0.38×, 5.20×, 1,700×."""
    return "—" if value is None else figure(value) + "×"


def add_ratios(rows, ceiling=None):
    """Give every row dashboard/healthz, and every 07 row its dashboard's speed over 06's at the same size
    and, when the ceiling was measured, each of its pages' requests per second over the bare app's /healthz."""
    by_key = {(row["step"], row["tasks"]): row for row in rows}
    for row in rows:
        row["dashboard_over_healthz"] = ratio(row["dashboard"]["rps"], row["healthz"]["rps"])
        before = by_key.get((STEPS[0], row["tasks"]))
        if row["step"] != STEPS[0] and before:
            row["over_06"] = ratio(row["dashboard"]["rps"], before["dashboard"]["rps"])
        if row["step"] == STEPS[-1] and ceiling:
            row["over_ceiling"] = {name: ratio(row[name]["rps"], ceiling["rps"])
                                   for name in ENDPOINTS if name in row}
    return rows


def verdicts(load):
    """Whether step 07 meets its targets, with the figure that decides each."""
    rows = {(row["step"], row["tasks"]): row for row in load["rows"]}
    small, large = rows.get((STEPS[-1], SIZES[0])), rows.get((STEPS[-1], SIZES[-1]))
    throughput = large and ratio(large["dashboard"]["rps"], large["healthz"]["rps"])
    growth = small and large and ratio(large["dashboard"]["p99_ms"], small["dashboard"]["p99_ms"])
    search = large and "search" in large and ratio(large["search"]["p99_ms"], large["dashboard"]["p99_ms"])
    return [
        {"id": "throughput", "tasks": SIZES[-1], "limit": THROUGHPUT_AT_LEAST, "measured": throughput,
         "holds": throughput is not None and throughput >= THROUGHPUT_AT_LEAST,
         "target": f"07 at {SIZES[-1]:,} tasks: dashboard req/s >= {THROUGHPUT_AT_LEAST} x /healthz req/s"},
        {"id": "p99_growth", "tasks": SIZES[-1], "baseline_tasks": SIZES[0], "limit": P99_GROWTH_AT_MOST,
         "measured": growth, "holds": growth is not None and growth <= P99_GROWTH_AT_MOST,
         "target": f"07 dashboard p99 at {SIZES[-1]:,} tasks <= {P99_GROWTH_AT_MOST} x its p99 at {SIZES[0]} tasks"},
        {"id": "search_p99", "tasks": SIZES[-1], "limit": SEARCH_P99_AT_MOST, "measured": search or None,
         "holds": bool(search) and search <= SEARCH_P99_AT_MOST,
         "target": f"07 at {SIZES[-1]:,} tasks: /search?q=report p99 <= {SEARCH_P99_AT_MOST} x the dashboard's p99"},
    ]


def table(load):
    """The results as a plain-text table, ratios included; * marks figures from the Python generator.

    The last two columns, the workers' processor time per request, change little when other programs
    share the machine: they tell noise from a real change.
    """
    lines = [f"{'step':<11} {'tasks':>7} {'dash req/s':>11} {'p50 ms':>8} {'p99 ms':>8} {'healthz req/s':>13} "
             f"{'p99 ms':>7} {'dash/healthz':>12} {'07/06':>7} {'CPU ms/req: dash':>16} {'healthz':>7}"]
    for row in load["rows"]:
        dash, health = row["dashboard"], row["healthz"]
        mark = "*" if dash.get("generator") == "python" else " "
        lines.append(f"{row['step']:<11} {row['tasks']:>7,} {figure(dash['rps']):>10}{mark} "
                     f"{figure(dash['p50_ms']):>8} {figure(dash['p99_ms']):>8} {figure(health['rps']):>13} "
                     f"{figure(health['p99_ms']):>7} {times(row['dashboard_over_healthz']):>12} "
                     f"{times(row.get('over_06')) if 'over_06' in row else '':>7} "
                     f"{figure(dash.get('cpu_ms')):>16} {figure(health.get('cpu_ms')):>7}")
    if any(row["dashboard"].get("generator") == "python" for row in load["rows"]):
        lines.append("* too slow for wrk: measured by the Python generator, every connection sending at least one request")
    searched = [row for row in load["rows"] if "search" in row]
    if searched:
        lines.append(f"\n{'/search?q=report':<19} {'req/s':>8} {'p50 ms':>8} {'p99 ms':>8} {'p99/dashboard p99':>18}")
        for row in searched:
            lines.append(f"{row['step']:<11} {row['tasks']:>7,} {figure(row['search']['rps']):>8} "
                         f"{figure(row['search']['p50_ms']):>8} {figure(row['search']['p99_ms']):>8} "
                         f"{times(ratio(row['search']['p99_ms'], row['dashboard']['p99_ms'])):>18}")
    ceiling = load.get("ceiling")
    if ceiling:
        lines.append(f"\nThe ceiling, a bare Flask app's /healthz on the same gunicorn settings: "
                     f"{figure(ceiling['rps'])} req/s, p99 {figure(ceiling['p99_ms'])} ms, "
                     f"CPU {figure(ceiling.get('cpu_ms'))} ms/req. Step 07 against it (req/s over the ceiling's):")
        for row in load["rows"]:
            if "over_ceiling" in row:
                lines.append(f"{row['step']:<11} {row['tasks']:>7,}  " + "  ".join(
                    f"{name} {times(value)}" for name, value in row["over_ceiling"].items()))
    cost = load.get("fixed_cost")
    if cost:
        lines.append(f"\nStep 07's fixed cost per request, inside one worker (/healthz, {cost['requests']:,} requests, "
                     f"microseconds): {figure(cost['step_us'])} in all, {figure(cost['bare_us'])} for the bare app;")
        lines.append("  without each part in turn, it saves: " + ", ".join(
            f"{name} {figure(value)}" for name, value in cost["parts"].items()))
    return "\n".join(lines)


# ---------------------------------------------------------------- the databases

SUMMARIES = ["Write the quarterly report", "Fix the login page on phones", "Email Ada about the workshop",
             "Buy milk and bread", "Book the dentist", "Plan the team's holiday rota", "Read chapter 5 of the Flask docs",
             "Update the README", "Test the search results page", "Check step 07's nginx config",
             "Pay the invoices for March", "Order train tickets to Lyon", "Prepare the slides for Thursday",
             "Back up the database", "Fix the broken link in the footer", "Review Grace's pull request",
             "Renew the passport", "Call the plumber", "Translate the English page", "Send the minutes to everyone",
             "Clean up the old branches", "Answer Linus's question about WAL", "Water the plants"]
SUFFIXES = ["", "", "", "", " before Friday", " (again)", " — ask Sam first", " & tidy the notes",
            ": see the thread from Monday", " <urgent>", " for the “Intro to web” class"]
CHINESE = ["买牛奶", "复习第 5 步的 SQL 查询", "给王老师发邮件", "整理周报", "修好打印机", "预订周六的会议室"]


def sample_tasks(count, seed=7):
    """`count` (summary, done, created) rows, oldest first, like a task list that grew for up to three years.

    The old tasks are mostly done and the newest mostly not; summaries of varied length, now and then
    in Chinese or with characters the page must escape (&, <, quotes).
    """
    rng = random.Random(seed)
    step = max(60.0, min(8 * 3600.0, 3 * 365 * 86400 / max(count, 1)))  # seconds between two tasks, on average
    moment = datetime.datetime(2026, 1, 1) - datetime.timedelta(seconds=step * count)
    rows = []
    for n in range(count):
        moment += datetime.timedelta(seconds=round(step * rng.uniform(0.1, 1.9)))
        if rng.random() < 0.08:
            summary = rng.choice(CHINESE)
        else:
            summary = rng.choice(SUMMARIES) + rng.choice(SUFFIXES)
        age = count - n
        done = rng.random() < (0.2 if age <= 30 else 0.5 if age <= 300 else 0.85)
        rows.append((summary, int(done), moment.strftime("%Y-%m-%d %H:%M:%S")))
    return rows


def step_environment(database):
    """The variables a step reads (its database and secret) set for the with-block, then restored."""
    return environment(APP_DATABASE=database, FLASK_DATABASE=database, APP_SECRET="benchmark-secret-" + "x" * 32)


def fill_database(step, path, count):
    """Let the step's own app create its database at path, then add `count` realistic tasks.

    The app runs its schema.sql (with WAL, where the step sets it); the tasks go in as the app's
    INSERTs do, so step 07's triggers keep its counts row. Returns (total, done) as the app counts them.
    """
    sys.dont_write_bytecode = True  # nothing written into steps/
    with step_environment(path):
        module = load_app_module(STEPS_DIR / step)
        module.app.config["DATABASE"] = path
        with module.app.app_context():
            module.get_db()
    with contextlib.closing(sqlite3.connect(path)) as db:
        db.executemany("INSERT INTO tasks (summary, done, created) VALUES (?, ?, ?)", sample_tasks(count))
        db.commit()
        total, done = db.execute("SELECT count(*), coalesce(sum(done), 0) FROM tasks").fetchone()
        if db.execute("SELECT 1 FROM sqlite_master WHERE name = 'task_counts'").fetchone():
            kept = db.execute("SELECT total, done FROM task_counts").fetchone()
            if kept != (total, done):
                raise AssertionError(f"{step}: the counts row says {kept}, the tasks are {(total, done)}")
        # As in a database that has been in use for a while: the write-ahead log copied back.
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return total, done


# ---------------------------------------------------------------- the servers and the load

@contextlib.contextmanager
def gunicorn(step, database, folder=None):
    """The step under gunicorn with 4 workers on a free loopback port; yields its base URL and the process.

    Step 07 runs with its own gunicorn.conf.py. The worker timeout is 300 s rather than 30, so that
    step 06's slowest page (seconds of work, and more while four workers share two cores) is measured
    instead of killed.
    """
    port = free_port()
    folder = Path(folder) if folder else STEPS_DIR / step
    with step_environment(database) as env:
        env.update(PYTHONDONTWRITEBYTECODE="1", GUNICORN_BIND=f"127.0.0.1:{port}", GUNICORN_WORKERS=str(WORKERS))
    command = [sys.executable, "-m", "gunicorn", "--timeout", "300"]
    if (folder / "gunicorn.conf.py").is_file():
        command += ["-c", "gunicorn.conf.py", "app:app"]
    else:
        command += ["--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "app:app"]
    process = start(command, f"http://127.0.0.1:{port}/healthz", cwd=folder, env=env, timeout=60)
    try:
        yield f"http://127.0.0.1:{port}", process
    finally:
        stop(process)


def workers_cpu_seconds(master):
    """The processor time gunicorn's workers have used so far (Linux only; None elsewhere).

    Unlike requests per second, it barely changes when other programs share the machine.
    """
    try:
        children = Path(f"/proc/{master}/task/{master}/children").read_text().split()
        ticks = 0
        for child in children:
            fields = Path(f"/proc/{child}/stat").read_text().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])  # utime and stime
    except (OSError, ValueError, IndexError):
        return None
    return ticks / os.sysconf("SC_CLK_TCK")


def with_wrk(url, seconds):
    """Load url with wrk; returns requests per second and latency percentiles in milliseconds."""
    command = ["wrk", "--threads", "2", "--connections", str(CONNECTIONS), "--duration", f"{max(1, round(seconds))}s",
               "--timeout", "30s", "--latency", url]
    return parse_wrk(subprocess.run(command, capture_output=True, text=True, check=True).stdout)


def parse_wrk(output):
    """The figures in wrk's report (run with --latency)."""
    units = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60_000.0}

    def latency(percent):
        found = re.search(rf"^\s+{percent}%\s+([\d.]+)(us|ms|s|m)\s*$", output, re.M)
        return round(float(found.group(1)) * units[found.group(2)], 3) if found else None

    def number(pattern):
        found = re.search(pattern, output)
        return int(found.group(1)) if found else 0

    return {"rps": round(float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1)), 3),
            "p50_ms": latency(50), "p99_ms": latency(99), "requests": number(r"(\d+) requests in"),
            "errors": number(r"Non-2xx or 3xx responses: (\d+)") + number(r"timeout (\d+)"), "generator": "wrk"}


def percentile(ordered, percent):
    """The nearest-rank percentile of a sorted list."""
    return ordered[max(0, min(len(ordered) - 1, -(-len(ordered) * percent // 100) - 1))]


def with_python(url, seconds):
    """Load url from CONNECTIONS threads, each sending at least one request and going on for `seconds`."""
    host, port = url.split("//")[1].split("/")[0].split(":")
    path = "/" + url.split("//")[1].split("/", 1)[1]
    latencies, errors, lock = [], [0], threading.Lock()
    began = time.monotonic()
    deadline = began + seconds

    def client():
        mine, failed = [], 0
        while not (mine or failed) or time.monotonic() < deadline:
            # A new connection each time, as gunicorn's sync workers close every connection anyway.
            connection = http.client.HTTPConnection(host, int(port), timeout=600)
            start_time = time.perf_counter()
            try:
                connection.request("GET", path)
                response = connection.getresponse()
                response.read()
            except (OSError, http.client.HTTPException):
                failed += 1
                continue
            finally:
                connection.close()
            if response.status >= 400:
                failed += 1
            else:
                mine.append((time.perf_counter() - start_time) * 1000)
        with lock:
            latencies.extend(mine)
            errors[0] += failed

    threads = [threading.Thread(target=client) for _ in range(CONNECTIONS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.monotonic() - began
    ordered = sorted(latencies)
    return {"rps": round(len(ordered) / elapsed, 3),
            "p50_ms": round(percentile(ordered, 50), 3) if ordered else None,
            "p99_ms": round(percentile(ordered, 99), 3) if ordered else None,
            "requests": len(ordered), "errors": errors[0], "generator": "python"}


def get(url):
    """One GET request; returns how long it took in seconds."""
    host, path = url.split("//")[1].split("/", 1)
    began = time.perf_counter()
    connection = http.client.HTTPConnection(host, timeout=600)
    connection.request("GET", "/" + path)
    response = connection.getresponse()
    response.read()
    connection.close()
    if response.status != 200:
        raise AssertionError(f"GET {url} answered {response.status}")
    return time.perf_counter() - began


def warm_up(url):
    """Requests until every worker has loaded its templates; returns one request's latency in seconds.

    A page that takes longer than half a second gets a single request: its first-time costs are
    lost in its own slowness, and warming four workers would take minutes.
    """
    first = get(url)
    if first > 0.5:
        return first
    threads = [threading.Thread(target=get, args=(url,)) for _ in range(2 * WORKERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return min(first, get(url))


def measure_load(seconds, log=print):
    """Every step, size and endpoint under load; returns the load part of the results."""
    has_wrk = shutil.which("wrk") is not None
    rows = []
    for step in STEPS:
        for size in SIZES:
            with tempfile.TemporaryDirectory(prefix="bench-") as folder:
                database = str(Path(folder) / "tasks.db")
                total, done = fill_database(step, database, size)
                with gunicorn(step, database) as (base, process):
                    row = {"step": step, "tasks": total, "done": done}
                    for name, path in ENDPOINTS.items():
                        row[name] = load_one(base + path, process, seconds, has_wrk)
                    rows.append(row)
                    dash, health = row["dashboard"], row["healthz"]
                    log(f"  {step:<11} {size:>7,} tasks: dashboard {figure(dash['rps']):>7} req/s, "
                        f"p99 {figure(dash['p99_ms']):>7} ms | /healthz {figure(health['rps']):>7} req/s"
                        + ("  (Python generator)" if dash["generator"] == "python" else ""))
    ceiling = measure_ceiling(seconds, has_wrk)
    log(f"  ceiling: a bare Flask app's /healthz {figure(ceiling['rps']):>7} req/s, p99 {figure(ceiling['p99_ms'])} ms")
    return {"date": today(), "generator": "wrk" if has_wrk else "python", "seconds": seconds,
            "connections": CONNECTIONS, "workers": WORKERS, "rows": add_ratios(rows, ceiling), "ceiling": ceiling,
            "fixed_cost": fixed_cost()}


def load_one(url, process, seconds, has_wrk):
    """One page under load, by wrk when it is fast enough for it; its figures and the workers' CPU per request."""
    single = warm_up(url)
    load = with_wrk if has_wrk and single <= seconds * WRK_LATENCY_SHARE else with_python
    cpu_before = workers_cpu_seconds(process.pid)
    figures = load(url, seconds)
    cpu_after = workers_cpu_seconds(process.pid)
    if None not in (cpu_before, cpu_after) and figures["requests"]:
        # What one request costs the workers, in milliseconds of processor time.
        figures["cpu_ms"] = round((cpu_after - cpu_before) * 1000 / figures["requests"], 3)
    return figures


# The ceiling of the stack: Flask and nothing else, answering /healthz.
BARE_APP = '''from flask import Flask

app = Flask(__name__)


@app.route("/healthz")
def health():
    return {"status": "ok"}
'''


def measure_ceiling(seconds, has_wrk):
    """A bare Flask app's /healthz with step 07's gunicorn.conf.py (4 workers, the access log): the most
    requests per second this stack serves on this machine, whatever the app does."""
    with tempfile.TemporaryDirectory(prefix="bench-bare-") as folder:
        (Path(folder) / "app.py").write_text(BARE_APP, encoding="utf-8")
        shutil.copy(STEPS_DIR / STEPS[-1] / "gunicorn.conf.py", folder)
        with gunicorn(STEPS[-1], str(Path(folder) / "unused.db"), folder=folder) as (base, process):
            return load_one(base + "/healthz", process, seconds, has_wrk)


def wsgi_microseconds(requests, *wsgis):
    """Microseconds per GET /healthz for each WSGI app, called straight (no server, no network): the apps take
    turns, five runs each, and each gets its best run, so that a busy moment of the machine counts for none."""
    environ = {"REQUEST_METHOD": "GET", "PATH_INFO": "/healthz", "QUERY_STRING": "", "SERVER_NAME": "localhost",
               "SERVER_PORT": "80", "SERVER_PROTOCOL": "HTTP/1.1", "HTTP_HOST": "localhost", "REMOTE_ADDR": "127.0.0.1",
               "wsgi.url_scheme": "http", "wsgi.errors": sys.stderr}
    best = [math.inf] * len(wsgis)
    for _ in range(5):
        for index, wsgi in enumerate(wsgis):
            began = time.perf_counter()
            for _ in range(requests):
                b"".join(wsgi(dict(environ, **{"wsgi.input": io.BytesIO()}), lambda status, headers, info=None: None))
            best[index] = min(best[index], (time.perf_counter() - began) * 1e6 / requests)
    return [round(spent, 1) for spent in best]


def fixed_cost(requests=500):
    """What step 07's /healthz costs inside a worker, and how much each part of it adds: measured by taking
    out one part at a time (ProxyFix, the security headers, the before-request checks: CSRF and the 411,
    the session cookie, the database connection) from a fresh import of app.py."""
    import flask
    from flask.sessions import SecureCookieSessionInterface

    class NoSession(SecureCookieSessionInterface):
        def open_session(self, app, request):
            return None

    def without(app, part):
        if part == "ProxyFix":
            return app.wsgi_app.app
        if part == "security headers":
            app.after_request_funcs[None] = []
        elif part == "CSRF and the 411 check":
            app.before_request_funcs[None] = []
        elif part == "session cookie":
            app.session_interface = NoSession()
        elif part == "database connection":
            app.view_functions["health"] = lambda: {"status": "ok"}
        return app.wsgi_app

    bare = flask.Flask("bare")
    bare.route("/healthz")(lambda: {"status": "ok"})
    sys.dont_write_bytecode = True
    parts = {}
    with tempfile.TemporaryDirectory(prefix="bench-cost-") as folder, step_environment(str(Path(folder) / "tasks.db")):
        step = load_app_module(STEPS_DIR / STEPS[-1]).app.wsgi_app
        step_us, bare_us = wsgi_microseconds(requests, step, bare.wsgi_app)
        for part in ("ProxyFix", "security headers", "CSRF and the 411 check", "session cookie", "database connection"):
            whole, lacking = wsgi_microseconds(requests, step, without(load_app_module(STEPS_DIR / STEPS[-1]).app, part))
            parts[part] = round(whole - lacking, 1)
    return {"requests": requests, "step_us": step_us, "bare_us": bare_us, "parts": parts}


# ---------------------------------------------------------------- the course's own speed

def clean_env():
    """This environment without what would point a fresh clone at this repository's .venv, or turn off pip's cache."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", NO_MKDOCS_2_WARNING="1")
    for name in ("VIRTUAL_ENV", "PYTHONHOME", "PYTHONPATH", "PIP_NO_CACHE_DIR", "TUTORIAL_VENV", "TUTORIAL_REQUIREMENTS"):
        env.pop(name, None)
    return env


def timed(command, cwd, log=print):
    """Run a command; return (seconds it took, whether it succeeded), with its last lines when it failed."""
    began = time.monotonic()
    result = subprocess.run(command, cwd=cwd, env=clean_env(), stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                            text=True, errors="replace")
    seconds = round(time.monotonic() - began, 1)
    if result.returncode != 0:
        log(f"    failed (exit code {result.returncode}):\n" + "\n".join(result.stdout.splitlines()[-15:]))
    return seconds, result.returncode == 0


def warm_test(runs):
    """`python tutorial.py test` with .venv ready: the fast part and the rest, one after the other."""
    parts = [run for run in runs if run["id"] in ("fast_tests", "servers_and_browser")]
    return {"id": "warm_test", "label": "warm `python tutorial.py test`, every suite (the two parts below added up)",
            "seconds": round(sum(run["seconds"] for run in parts), 1), "passed": all(run["passed"] for run in parts)}


def student_python():
    """The Python a student types `python` for: this one, or the one its virtual environment was made from."""
    return getattr(sys, "_base_executable", None) or sys.executable


# Run by an environment's Python: each installed distribution with the bytes of its own files (its RECORD).
PACKAGE_SIZES = """
import importlib.metadata, json
rows = []
for dist in importlib.metadata.distributions():
    size = 0
    for file in dist.files or []:
        try:
            size += dist.locate_file(file).stat().st_size
        except OSError:
            pass
    rows.append([dist.metadata["Name"], dist.version, size])
print(json.dumps(rows))
"""


def environment_size(venv_dir, python, largest=8):
    """What a set-up leaves on disk: the environment's files in MB, its packages, and the largest of them."""
    total = sum(path.stat().st_size for path in Path(venv_dir).rglob("*") if path.is_file() and not path.is_symlink())
    result = subprocess.run([str(python), "-c", PACKAGE_SIZES], capture_output=True, text=True, check=True)
    rows = sorted(json.loads(result.stdout), key=lambda row: -row[2])
    return {"megabytes": round(total / 1e6, 1), "packages": len(rows),
            "largest": [{"name": name, "version": version, "megabytes": round(size / 1e6, 1)}
                        for name, version, size in rows[:largest]]}


# What each group of the course's packages is installed for (tutorial.py: the commands that ask for it).
GROUP_USES = {"core": "`check`, `run`, `progress`, `demo`", "database": "step 10: `check 10`, `run 10`, `progress`",
              "site": "`serve`",
              "browser": "the browser checks, `screenshots`", "lab": "`lab`"}


def group_row(row, core=None):
    """A group's line in the set-up's table: its file, what needs it, seconds, .venv's size, and what it adds."""
    name = f"`{row['file']}`" if row["group"] == "core" else f"the core and `{row['file']}`"
    size = f"{row['megabytes']:.1f} MB, {row['packages']} packages" if row["passed"] else "failed"
    if core and row["passed"] and core["passed"]:
        size += f" (+{row['megabytes'] - core['megabytes']:.1f} MB, +{row['packages'] - core['packages']} packages)"
    return f"| {name}: {GROUP_USES[row['group']]} | {row['seconds']:.0f} s | {size} |"


def setup_cost(course):
    """The set-up's cost as README.md shows it ("What is installed and why"): per group, its seconds and .venv's
    size on a fresh clone; then every group (`test`), and the largest packages."""
    cold = next(run for run in course["runs"] if run["id"] == "cold_setup")
    venv = course["venv"]
    core = next(row for row in course["groups"] if row["group"] == "core")
    lines = ["| the first set-up on a fresh clone (pip's cache in use, as on a second clone) | time "
             "| `.venv` on disk |", "| --- | --- | --- |"]
    lines += [group_row(row, None if row is core else core) for row in course["groups"]]
    lines += [f"| every group: `test` | {cold['seconds']:.0f} s | {venv['megabytes']:.1f} MB, "
              f"{venv['packages']} packages |", "",
              "| the largest packages (every group) | MB |", "| --- | --- |"]
    lines += [f"| {package['name']} {package['version']} | {package['megabytes']:.0f} |" for package in venv["largest"]]
    return "\n".join(lines)


@contextlib.contextmanager
def fresh_clone(prefix):
    """A fresh clone of this repository's last commit in a temporary folder: (its path, the short commit)."""
    with tempfile.TemporaryDirectory(prefix=prefix) as folder:
        clone = Path(folder) / "course"
        subprocess.run(["git", "clone", "--quiet", str(ROOT), str(clone)], check=True)
        commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=clone, capture_output=True,
                                text=True, check=True).stdout.strip()
        yield clone, commit


def measure_groups(clone, log=print):
    """Each group of the course's packages set up alone in the clone's new .venv, as the first command that needs it
    installs it (`setup` the core alone, `setup site` the core and the site, ...): its seconds, .venv's size."""
    rows = []
    for group in ("core", *OPTIONAL_GROUPS):
        shutil.rmtree(clone / ".venv", ignore_errors=True)
        command = [student_python(), "tutorial.py", "setup", *([] if group == "core" else [group])]
        log(f"  `python tutorial.py setup{'' if group == 'core' else ' ' + group}` on a fresh clone ...")
        seconds, passed = timed(command, clone, log)
        row = {"group": group, "file": requirements_file(group, clone / "requirements.txt").name,
               "seconds": seconds, "passed": passed}
        if passed:
            row.update(environment_size(clone / ".venv", tutorial_venv_python(clone / ".venv"), largest=3))
        rows.append(row)
        log(f"    {seconds:.0f} s" + (f", {row['megabytes']:.1f} MB, {row['packages']} packages" if passed else ""))
    shutil.rmtree(clone / ".venv", ignore_errors=True)
    return rows


def measure_course(log=print):
    """The course's own speed, as a student meets it, in a fresh clone of this repository."""
    with fresh_clone("bench-clone-") as (clone, commit):
        python = student_python()
        venv_python = tutorial_venv_python(clone / ".venv")
        groups = measure_groups(clone, log)  # before the cold set-up, which needs .venv not to exist yet
        test = [python, "tutorial.py", "test", "--", "-q"]
        steps = [
            # The set-up alone: .venv, every requirement, and pytest collecting every suite, running none.
            ("cold_setup", "cold set-up: a fresh clone's `python tutorial.py test -- --collect-only -q` "
                           "(creates .venv and installs, pip's cache in use)", test + ["--collect-only"]),
            # Every suite runs once, in two parts that add up to `python tutorial.py test`: the first is the
            # fast part a student runs while working, and running everything a third time would cost minutes.
            ("fast_tests", 'the fast part: `python tutorial.py test -- -m "not servers and not browser"`',
             test + ["-m", "not servers and not browser"]),
            ("servers_and_browser", 'the rest but the container builds: `python tutorial.py test -- -m '
                                    '"(servers or browser) and not containers"`',
             test + ["-m", "(servers or browser) and not containers"]),
            ("mkdocs_build", "`mkdocs build` of the site, both languages",
             [str(venv_python), "-m", "mkdocs", "build", "--strict", "--site-dir", str(clone.parent / "site")]),
        ]
        course = {"date": today(), "commit": commit, "pip_cache": True, "groups": groups, "runs": []}
        for key, label, command in steps:
            log(f"  {label} ...")
            seconds, passed = timed(command, clone, log)
            course["runs"].append({"id": key, "label": label, "seconds": seconds, "passed": passed})
            log(f"    {seconds:.0f} s")
            if key == "cold_setup" and passed:
                course["venv"] = environment_size(clone / ".venv", venv_python)
                log(f"    .venv: {course['venv']['megabytes']:.0f} MB, {course['venv']['packages']} packages")
        course["runs"].insert(1, warm_test(course["runs"]))
    return course


# ---------------------------------------------------------------- the site while it is served

# The line that measure_site edits, and what it becomes: step 05's page shows it in an excerpt and in its diff.
SERVE_EDITED = ("steps/05_sqlite/app.py", "        g.db.row_factory = sqlite3.Row\n",
                "        g.db.row_factory = sqlite3.Row  # edit {n}\n")


def page_text(url):
    """The body of a page (None while the server does not answer, or answers an error)."""
    with contextlib.suppress(OSError, http.client.HTTPException):
        parts = url.split("/", 3)
        connection = http.client.HTTPConnection(parts[2], timeout=10)
        try:
            connection.request("GET", "/" + parts[3])
            response = connection.getresponse()
            return response.read().decode("utf-8", "replace") if response.status == 200 else None
        finally:
            connection.close()
    return None


def seconds_until(url, text, limit):
    """Seconds until the page at url holds text, polled every 50 ms (None after `limit` seconds)."""
    began = time.monotonic()
    while time.monotonic() - began < limit:
        body = page_text(url)
        if body is not None and text in body:
            return time.monotonic() - began
        time.sleep(0.05)
    return None


def measure_site(log=print, edits=3):
    """`python tutorial.py serve` (mkdocs serve) in a fresh clone: the first build, then, after each one-line
    edit of a step's app.py, the seconds until its page shows the new line."""
    with fresh_clone("bench-serve-") as (clone, commit):
        port = free_port()
        url = f"http://127.0.0.1:{port}/steps/05_sqlite/"
        path, line, edited = SERVE_EDITED
        command = [sys.executable, "-m", "mkdocs", "serve", "--dev-addr", f"127.0.0.1:{port}"]
        began = time.monotonic()
        process = start(command, f"http://127.0.0.1:{port}/", clone, clean_env(), timeout=300)
        try:
            if seconds_until(url, "get_db", 300) is None:
                raise RuntimeError("mkdocs serve did not serve step 05's page within 300 s")
            first = round(time.monotonic() - began, 1)
            log(f"  first build: {first:.1f} s")
            samples = []
            app_py = clone / path
            for n in range(1, edits + 1):
                source = app_py.read_text(encoding="utf-8")
                app_py.write_text(re.sub(r"  # edit \d+\n", "\n", source).replace(line, edited.format(n=n)),
                                  encoding="utf-8")
                seconds = seconds_until(url, f"# edit {n}", 120)
                if seconds is None:
                    raise RuntimeError("the page did not show the edit within 120 s")
                samples.append(round(seconds, 2))
                log(f"  edit {n}: the page shows it after {seconds:.2f} s")
                time.sleep(1)  # let the server settle before the next edit
        finally:
            stop(process)
    samples.sort()
    return {"date": today(), "commit": commit, "first_build": first, "edits": samples,
            "rebuild_median": median_of(samples)}


# ---------------------------------------------------------------- one database for several app servers: 07 and 10

# (id, step, database, app servers): step 07 on SQLite, one gunicorn; step 10 on PostgreSQL, one and two.
DATABASE_RUNS = (("07_sqlite", "07_deploy", "SQLite", 1), ("10_postgres_1", "10_postgres", "PostgreSQL", 1),
                 ("10_postgres_2", "10_postgres", "PostgreSQL", 2))
WRITERS = 8  # visitors writing (then reading) side by side, each on its own keep-alive connection to nginx
WRITES_PER_SECOND = 40  # each writer adds 40 tasks per second of --seconds (200 at the default 5 s)
BENCH_PASSWORD = "Bench-Password-2026"


def through_nginx(step, servers, folder, env):
    """The step deployed in folder: `servers` gunicorn instances (WORKERS workers each) behind its nginx.conf.

    With one app server and a step whose upstream names two, both of its lines name the same gunicorn."""
    from tools.servers import Deployment

    app_dir = STEPS_DIR / step
    nginx = shutil.which("nginx") or shutil.which("/usr/sbin/nginx")
    if nginx is None:
        raise RuntimeError("nginx is not installed (apt install nginx, brew install nginx)")
    command = [sys.executable, "-m", "gunicorn", "-c", "gunicorn.conf.py", "--no-control-socket",
               "--timeout", "300", wsgi_target(app_dir)]
    text = (app_dir / "deploy" / "nginx.conf").read_text(encoding="utf-8")
    upstreams = list(range(servers))
    if "{{UPSTREAM_2}}" in text and servers == 1:
        upstreams = [0, 0]
    return Deployment(app_dir, folder, env, nginx, command, servers=servers, workers=WORKERS, upstreams=upstreams)


def visitors_load(port, accounts, seconds):
    """WRITERS visitors through nginx: first each adds WRITES_PER_SECOND x seconds tasks (POST /tasks), then all
    load the dashboard (GET /tasks) for `seconds`. With accounts, each signs up first (its tasks are its own)."""
    from tools.servers import Visitor

    each = max(20, round(WRITES_PER_SECOND * seconds))
    visitors = [Visitor(port) for _ in range(WRITERS)]
    for number, visitor in enumerate(visitors):
        if accounts:
            visitor.sign_up(f"bench{number}", BENCH_PASSWORD)
        else:
            visitor.open_session()
    results = {"write": [[] for _ in visitors], "read": [[] for _ in visitors]}
    errors = {"write": [0], "read": [0]}
    # The visitors and this thread meet at the start of the writes, at their end, and at the start of the reads.
    barrier = threading.Barrier(WRITERS + 1, timeout=600)

    def timed(name, number, request, expected):
        """Send one request; keep its latency in milliseconds when it answers `expected`, else count an error."""
        began = time.perf_counter()
        try:
            status = request().status
        except (OSError, http.client.HTTPException):
            status = None
        if status == expected:
            results[name][number].append((time.perf_counter() - began) * 1000)
        else:
            errors[name][0] += 1

    def work(number, visitor):
        barrier.wait()
        for n in range(each):
            timed("write", number, lambda: visitor.add(f"Bench task {n} of visitor {number}"), 302)
        barrier.wait()
        barrier.wait()
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            timed("read", number, lambda: visitor.send("GET", "/tasks"), 200)

    threads = [threading.Thread(target=work, args=(number, visitor)) for number, visitor in enumerate(visitors)]
    for thread in threads:
        thread.start()
    figures, elapsed = {}, {}
    barrier.wait()
    began = time.monotonic()
    barrier.wait()
    elapsed["write"] = time.monotonic() - began
    barrier.wait()
    began = time.monotonic()
    for thread in threads:
        thread.join()
    elapsed["read"] = time.monotonic() - began
    for name in ("write", "read"):
        ordered = sorted(latency for mine in results[name] for latency in mine)
        figures[name] = {"rps": round(len(ordered) / elapsed[name], 1), "requests": len(ordered), "errors": errors[name][0],
                         "p50_ms": round(percentile(ordered, 50), 2) if ordered else None,
                         "p99_ms": round(percentile(ordered, 99), 2) if ordered else None}
    for visitor in visitors:
        visitor.close()
    figures["write"]["each"] = each
    return figures


def stored_tasks(run, database):
    """How many tasks the database holds after the load (SQLite's file, or PostgreSQL's URL)."""
    if run["database"] == "SQLite":
        with contextlib.closing(sqlite3.connect(database)) as db:
            return db.execute("SELECT count(*) FROM tasks").fetchone()[0]
    import psycopg

    with psycopg.connect(database.replace("postgresql+psycopg://", "postgresql://")) as db:
        return db.execute("SELECT count(*) FROM tasks").fetchone()[0]


def summarize_runs(row, runs):
    """One configuration's repeated runs as its row: the median of each figure, the lowest and highest requests per
    second, and whether it passed (no request failed and every acknowledged task was stored, in every run)."""
    summary = dict(row, runs=runs, repeats=len(runs))
    for name in ("write", "read"):
        rates = [run[name]["rps"] for run in runs]
        summary[name] = {"rps": median_of(rates), "rps_range": [min(rates), max(rates)],
                         "requests": sum(run[name]["requests"] for run in runs),
                         "errors": sum(run[name]["errors"] for run in runs),
                         "p50_ms": median_of([run[name]["p50_ms"] for run in runs]),
                         "p99_ms": median_of([run[name]["p99_ms"] for run in runs])}
    summary["write"]["each"] = runs[0]["write"]["each"]
    summary["stored"] = sum(run["stored"] for run in runs)
    summary["passed"] = all(run["write"]["errors"] == run["read"]["errors"] == 0
                            and run["stored"] == run["write"]["requests"] for run in runs)
    return summary


def median_of(values):
    """The median of measured figures (the mean of the middle two of an even count); None if any is missing."""
    if not values or any(value is None for value in values):
        return None
    ordered, middle = sorted(values), len(values) // 2
    value = ordered[middle] if len(values) % 2 else (ordered[middle - 1] + ordered[middle]) / 2
    return round(value, 2)


def with_range(value, bounds):
    """A median with the lowest and highest of its runs, for people: 76.0 (71.2–80.1)."""
    if not bounds or bounds[0] == bounds[1]:
        return figure(value)
    return f"{figure(value)} ({figure(bounds[0])}–{figure(bounds[1])})"


def measure_databases(seconds, log=print, repeats=3):
    """The same write load and read load, through nginx, on step 07 (SQLite, one app server) and step 10
    (PostgreSQL, one and two app servers), on this one machine, `repeats` times in turn (so that whatever else the
    machine does falls on every configuration alike); each row the median of its runs, and its requests per second
    over 07's."""
    load_before = load_average()
    measured = {}
    for repeat in range(repeats):
        log(f" round {repeat + 1} of {repeats}:")
        for run in measure_databases_once(seconds, log):
            measured.setdefault(run["id"], []).append(run)
    rows = []
    for run_id, step, database, servers in DATABASE_RUNS:
        if run_id in measured:
            row = {"id": run_id, "step": step, "database": database, "servers": servers, "workers": WORKERS}
            rows.append(summarize_runs(row, measured[run_id]))
    base = next((row for row in rows if row["id"] == DATABASE_RUNS[0][0] and row["passed"]), None)
    for row in rows:
        if base and row["passed"]:
            row["write_over_07"] = ratio(row["write"]["rps"], base["write"]["rps"])
            row["read_over_07"] = ratio(row["read"]["rps"], base["read"]["rps"])
    return {"date": today(), "seconds": seconds, "writers": WRITERS, "workers": WORKERS, "repeats": repeats,
            "load_before": load_before, "load_average": load_average(), "rows": rows}


def measure_databases_once(seconds, log=print):
    """One round: each configuration of DATABASE_RUNS that can run here, once, its raw figures."""
    from tools.postgres import find_initdb, throwaway_cluster

    rows = []
    initdb = find_initdb()
    with contextlib.ExitStack() as stack:
        cluster = None
        for run_id, step, database, servers in DATABASE_RUNS:
            run = {"id": run_id, "step": step, "database": database, "servers": servers, "workers": WORKERS}
            if not (STEPS_DIR / step).is_dir():
                log(f"  {run_id}: steps/{step} does not exist yet, left out")
                continue
            if database == "PostgreSQL" and initdb is None:
                log(f"  {run_id}: PostgreSQL is not installed (apt install postgresql), left out")
                continue
            if database == "PostgreSQL" and cluster is None:
                cluster = stack.enter_context(throwaway_cluster(initdb, durable=True))
            folder = stack.enter_context(tempfile.TemporaryDirectory(prefix=f"bench-{run_id}-"))
            env = clean_env()
            env.update(APP_SECRET="benchmark-secret-" + "x" * 32, PYTHONDONTWRITEBYTECODE="1")
            if database == "SQLite":
                url = str(Path(folder) / "instance" / "tasks.db")
                env.update(APP_DATABASE=url)
            else:
                url = cluster.url(cluster.create_database())
                env.update(DATABASE_URL=url)
                # The operator's step before the servers start: the schema, by the step's migrations.
                subprocess.run([sys.executable, "-m", "flask", "--app", "taskman", "db", "upgrade"],
                               cwd=STEPS_DIR / step, env=env, check=True, capture_output=True)
            deployment = through_nginx(step, servers, folder, env).start(timeout=60)
            try:
                # From step 09 on, a visitor needs an account; its tasks are its own.
                figures = visitors_load(deployment.port, accounts=int(step[:2]) >= 9, seconds=seconds)
            finally:
                deployment.stop()
            run.update(figures)
            run["stored"] = stored_tasks(run, url)
            rows.append(run)
            log(f"  {run_id:<14} writes {figure(run['write']['rps']):>6}/s (p99 {figure(run['write']['p99_ms'])} ms), "
                f"dashboard {figure(run['read']['rps']):>6}/s (p99 {figure(run['read']['p99_ms'])} ms), "
                f"{run['stored']:,} tasks stored for {run['write']['requests']:,} acknowledged")
    return rows


def databases_table(section):
    """The 07-and-10 figures as a plain-text table, with each row's requests per second over step 07's."""
    lines = [f"{'run':<14} {'database':<10} {'servers':>7} {'writes/s':>9} {'p99 ms':>7} {'dash req/s':>11} "
             f"{'p99 ms':>7} {'writes/07':>9} {'dash/07':>8} {'errors':>6}"]
    for row in section["rows"]:
        if not row.get("passed", True):
            lines.append(f"{row['id']:<14} FAILED: {row['write']['errors'] + row['read']['errors']} requests failed, "
                         f"{row['stored']:,} tasks stored for {row['write']['requests']:,} acknowledged")
            continue
        lines.append(f"{row['id']:<14} {row['database']:<10} {row['servers']:>7} {figure(row['write']['rps']):>9} "
                     f"{figure(row['write']['p99_ms']):>7} {figure(row['read']['rps']):>11} "
                     f"{figure(row['read']['p99_ms']):>7} {times(row.get('write_over_07')):>9} "
                     f"{times(row.get('read_over_07')):>8} {row['write']['errors'] + row['read']['errors']:>6}")
    lines.append(f"({section['writers']} visitors through nginx, {section['workers']} gunicorn workers per app server, "
                 f"all on this one machine; the median of {section.get('repeats', 1)} rounds; "
                 f"below 1.00x, SQLite is the faster one)")
    return "\n".join(lines)


# ---------------------------------------------------------------- the command

def today():
    return datetime.date.today().isoformat()


def machine():
    """What the figures were measured on."""
    cpu = platform.processor() or platform.machine()
    with contextlib.suppress(OSError):
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    wrk = shutil.which("wrk")
    version = subprocess.run([wrk, "--version"], capture_output=True, text=True).stdout.split(" [")[0] if wrk else None
    return {"os": f"{platform.system()} {platform.release()}", "arch": platform.machine(), "cpu": cpu,
            "cores": os.cpu_count(), "python": platform.python_version(), "wrk": version}


# The coach's targets, warm, on a quiet machine (issue 27): its first verdict (the first tier, in-process) and,
# for the steps with a second tier (real servers, the grading of the student's tests), the whole check.
FIRST_VERDICT_TARGET = {"01": 2.0, "02": 2.0, "03": 2.0, "04": 2.0, "05": 2.0, "06": 2.0}
FIRST_VERDICT_LATER_STEPS = 5.0
WHOLE_CHECK_TARGET = 15.0  # steps 07 on


def check_targets(step):
    """(first verdict, whole check) targets of a step, in seconds; None where there is no target."""
    number = step[:2]
    return FIRST_VERDICT_TARGET.get(number, FIRST_VERDICT_LATER_STEPS), (WHOLE_CHECK_TARGET if number >= "07" else None)


def measure_check(log=print, runs=10, steps=None):
    """`python tutorial.py check NN` on an untouched copy of every step, warm, `runs` times each: the medians of
    its first verdict and of the whole check (both read from the check's own --json result), the CPU time, and
    how many runs failed (a check must pass correct code every time).

    The first run of each step is left out (it fills .venv/pycache-check, as a student's first check does).
    """
    from tutorial import STEPS as every_step

    rows = []
    for step in steps or every_step:
        with tempfile.TemporaryDirectory(prefix="bench-check-") as folder:
            copy = Path(folder) / step
            shutil.copytree(ROOT / "steps" / step, copy, ignore=shutil.ignore_patterns("instance", "__pycache__"))
            output = Path(folder) / "result.json"
            command = [sys.executable, "-m", "tools.check", step, "--app-dir", str(copy), "--lang", "en", "--quiet",
                       "--json", str(output)]
            env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1")
            subprocess.run(command, cwd=ROOT, env=env)
            first, whole, cpu, failures = [], [], [], []
            for run in range(runs):
                began, used = time.monotonic(), children_cpu()
                passed = subprocess.run(command, cwd=ROOT, env=env).returncode == 0
                whole.append(round(time.monotonic() - began, 2))
                cpu.append(round(children_cpu() - used, 2))
                result = json.loads(output.read_text(encoding="utf-8")) if output.is_file() else {}
                # The first verdict as the student sees it: the process's start, plus what the check counted.
                first.append(round(whole[-1] - result.get("seconds", 0) + result.get("first_seconds", 0), 2))
                if not passed:
                    failures.append(run + 1)
                    log(f"    run {run + 1} of check {step} FAILED")
        first_target, whole_target = check_targets(step)
        row = {"step": step, "first_seconds": median_of(first), "seconds": median_of(whole), "first_runs": first,
               "runs": whole, "cpu_seconds": median_of(cpu), "first_target": first_target, "target": whole_target,
               "failures": len(failures), "failed_runs": failures}
        row["holds"] = (row["first_seconds"] <= first_target and (whole_target is None or row["seconds"] <= whole_target)
                        and not failures)
        row["passed"] = not failures
        rows.append(row)
        log(check_row(row))
    return {"date": today(), "runs_per_step": runs, "load_average": load_average(), "rows": rows}


def check_row(row):
    """A step's line in the coach's table: both figures against their targets, the CPU time, the failures."""
    whole_target = f" (target {row['target']:g} s)" if row.get("target") else ""
    return (f"  check {row['step']}: first verdict {row.get('first_seconds', row['seconds']):>5.1f} s "
            f"(target {row.get('first_target', row['target']):g} s), whole {row['seconds']:>5.1f} s{whole_target}, "
            f"{row.get('cpu_seconds', 0):.1f} s of CPU, {row.get('failures', 0)} failed runs: "
            f"{'HOLDS' if row['holds'] else 'FAILS'}")


def children_cpu():
    """CPU seconds (user and system) used so far by the processes this one waited for; 0 where unknown."""
    try:
        import resource
    except ImportError:  # Windows
        return 0.0
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def load_average():
    """The machine's load over the last minute when the bench ended (None where the system does not say)."""
    with contextlib.suppress(OSError, AttributeError):
        return round(os.getloadavg()[0], 2)
    return None


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python tutorial.py bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--only", choices=["load", "course", "site", "check", "postgres"],
                        help="run one part of the benchmark (site: `tutorial.py serve` rebuilding after an edit; "
                             "postgres: step 07 on SQLite against step 10 on PostgreSQL, through nginx)")
    parser.add_argument("--runs", type=int, default=10, help="how many times the coach checks each step (default 10)")
    parser.add_argument("--steps", nargs="+", type=resolve_step, metavar="NN", help="the coach's steps (default: all)")
    parser.add_argument("--seconds", type=float, default=5.0, help="how long each load runs (default 5)")
    parser.add_argument("--repeats", type=int, default=3,
                        help="how many rounds of the postgres part, each figure their median (default 3)")
    parser.add_argument("--output", type=Path, default=RESULTS,
                        help=f"the JSON file (default {RESULTS.relative_to(ROOT)}); a half not run is kept from it")
    args = parser.parse_args(argv)
    began = time.monotonic()

    def log(text):
        print(text, flush=True)

    results = json.loads(args.output.read_text(encoding="utf-8")) if args.output.is_file() else {}
    results["machine"] = machine()
    if args.only in (None, "load"):
        log(f"Load: gunicorn with {WORKERS} workers, {CONNECTIONS} connections, {args.seconds:g} s per figure")
        results["load"] = measure_load(args.seconds, log)
        results["targets"] = verdicts(results["load"])
    if args.only in (None, "course"):
        log("The course's own speed, in a fresh clone (pip's cache in use, as on a student's second clone):")
        results["course"] = measure_course(log)
    if args.only in (None, "site"):
        log("The course site, served (`python tutorial.py serve`), after a one-line edit of steps/05_sqlite/app.py:")
        results["site"] = measure_site(log)
    if args.only in (None, "check"):
        log("The coach, warm, on an untouched copy of each step (`python tutorial.py check NN --app-dir COPY`):")
        results["check"] = measure_check(log, runs=args.runs, steps=args.steps)
    if args.only in (None, "postgres"):
        log(f"Step 07 (SQLite, one app server) and step 10 (PostgreSQL, one and two), through nginx, {WRITERS} visitors:")
        results["postgres"] = measure_databases(args.seconds, log, repeats=args.repeats)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")

    if "load" in results:
        log("\n" + table(results["load"]))
        log(f"(load generator: {results['load']['generator']}, {results['load']['connections']} connections, "
            f"{results['load']['seconds']:g} s per figure, measured {results['load']['date']})")
        for verdict in results["targets"]:
            log(f"{'HOLDS' if verdict['holds'] else 'FAILS'}  {verdict['target']}: measured {times(verdict['measured'])}")
    if "course" in results:
        log(f"\nThe course's own speed (commit {results['course']['commit']}, measured {results['course']['date']}):")
        for run in results["course"]["runs"]:
            log(f"  {run['seconds']:>6.0f} s  {run['label']}{'' if run['passed'] else '  (FAILED)'}")
        groups = results["course"].get("groups", [])
        core = next((row for row in groups if row["group"] == "core" and row["passed"]), None)
        if groups:
            log("  Each group set up alone on a fresh clone (`python tutorial.py setup [GROUP]`), with the core:")
        for row in groups:
            if not row["passed"]:
                log(f"  {row['group']:>7}  {row['file']}: the set-up FAILED")
                continue
            adds = ""
            if core and row is not core:
                adds = (f" (+{row['megabytes'] - core['megabytes']:.1f} MB, "
                        f"+{row['packages'] - core['packages']} packages)")
            log(f"  {row['group']:>7}  {row['file']}: {row['megabytes']:.1f} MB, {row['packages']} packages in "
                f"{row['seconds']:.0f} s{adds}")
        if "venv" in results["course"]:
            size = results["course"]["venv"]
            log(f"  .venv after the set-up of every group: {size['megabytes']:.1f} MB, {size['packages']} packages; "
                "the largest:")
            for package in size["largest"]:
                log(f"  {package['megabytes']:>6.1f} MB  {package['name']} {package['version']}")
    if "check" in results:
        log(f"\nThe coach, warm (median of {results['check']['runs_per_step']} runs, measured {results['check']['date']}, "
            f"load average {results['check']['load_average']}):")
        for row in results["check"]["rows"]:
            log(check_row(row))
    if "postgres" in results:
        log(f"\nOne database for several app servers (measured {results['postgres']['date']}):")
        log(databases_table(results["postgres"]))
    log(f"\nWrote {args.output} in {time.monotonic() - began:.0f} s.")
    return 0 if all(verdict["holds"] for verdict in results.get("targets", [])) else 1


if __name__ == "__main__":
    sys.exit(main())
