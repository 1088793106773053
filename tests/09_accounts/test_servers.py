"""Accounts on the real thing: gunicorn's workers behind nginx on 127.0.0.1, one deployment for the module.
People working at the same time through different workers never see or change each other's tasks; a session
signed in by one worker is honoured by the others; the limit on sign-ins is one for all the workers; and no
password reaches gunicorn's log or the database file."""
import json
import os
import re
import sqlite3
import threading
from contextlib import closing
from pathlib import Path

import pytest

from support import ROOT, require_program
from support.accounts import PASSWORD, hash_is_slow
from support.servers import ACCESS_LINE, Deployment, Visitor
from tutorial import flask_app_option

pytestmark = pytest.mark.concept("two users at the same time never meet", "two-users", zh="两个用户同时使用，互不相见")

WHY_NGINX = "the deployment tests run the app behind a real nginx (apt install nginx, brew install nginx)"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')
TASK_LINK = re.compile(r'href="/tasks/(\d+)"')


@pytest.fixture(scope="module")
def deployment(request, tmp_path_factory):
    """The step under gunicorn (its gunicorn.conf.py: 4 workers) behind nginx, once for the whole module."""
    nginx = require_program("nginx", "/usr/sbin/nginx", why=WHY_NGINX)
    chosen = request.config.getoption("--app-dir")
    app_dir = Path(chosen).resolve() if chosen else ROOT / "steps" / "09_accounts"
    env = {name: value for name, value in os.environ.items() if name not in ("FLASK_DEBUG", "FLASK_APP")}
    env.update(PYTHONDONTWRITEBYTECODE="1", APP_SECRET="a-secret-for-the-servers-tests-long-enough-" + "x" * 8)
    app_option = " ".join(flask_app_option(app_dir)[1:])
    if app_option:
        env["FLASK_APP"] = app_option
    deployed = Deployment(app_dir, tmp_path_factory.mktemp("deployment"), env, nginx)
    try:
        yield deployed.start()
    finally:
        deployed.stop()
        if deployed.processes:
            errors = [line for line in deployed.gunicorn.output.splitlines() if not ACCESS_LINE.match(line)]
            print("gunicorn's messages (access log left out):", *errors[-60:], sep="\n")


def person(deployment, name):
    """A visitor who signs up through nginx (and so is signed in), on the dashboard with its CSRF token."""
    visitor = Visitor(deployment.port)
    visitor.sign_up(name, PASSWORD)
    visitor.name = name
    return visitor


def sign_in(deployment, name, password):
    """A sign-in through nginx, in a browser of its own: the Reply."""
    visitor = Visitor(deployment.port)
    try:
        page = visitor.send("GET", "/login")
        visitor.keep_cookie(page)
        fields = {"csrf_token": TOKEN.search(page.text).group(1), "username": name, "password": password}
        return visitor.send("POST", "/login", fields)
    finally:
        visitor.close()


def own_ids(visitor):
    """The ids the visitor's dashboard, search and API show."""
    shown = set()
    for path in ("/tasks", "/tasks?page=2", "/tasks?page=3", "/search?q=task"):
        reply = visitor.send("GET", path)
        if reply.status == 200:
            shown |= {int(number) for number in TASK_LINK.findall(reply.text)}
    for page in (1, 2, 3):
        shown |= {task["id"] for task in json.loads(visitor.send("GET", f"/api/tasks?page={page}").text)}
    return shown


def test_people_working_at_once_through_the_workers_never_meet(deployment):
    names = ["alice", "bob", "carol", "dave"]
    published, problems, mine = [], [], {name: set() for name in names}
    start_together = threading.Barrier(len(names))

    def work(name):
        visitor = person(deployment, name)
        try:
            start_together.wait(timeout=60)
            for number in range(30):
                reply = visitor.add(f"{name} task {number}")
                if reply.status != 302:
                    problems.append(f"{name}: adding answered {reply.status}")
                    continue
                newest = json.loads(visitor.send("GET", "/api/tasks").text)[0]
                if not newest["summary"].startswith(f"{name} "):
                    problems.append(f"{name}'s newest task is {newest}")
                mine[name].add(newest["id"])
                published.append((name, newest["id"]))
                theirs = [task for owner, task in list(published) if owner != name]
                if theirs and number % 3 == 0:
                    target = theirs[number % len(theirs)]
                    for method, path in (("POST", f"/tasks/{target}/toggle"), ("POST", f"/tasks/{target}/delete"),
                                         ("GET", f"/tasks/{target}")):
                        fields = {"csrf_token": visitor.token} if method == "POST" else None
                        status = visitor.send(method, path, fields).status
                        if status != 404:
                            problems.append(f"{name}: {method} {path}, another's task, answered {status}")
            if own_ids(visitor) != mine[name]:
                problems.append(f"{name} sees {sorted(own_ids(visitor))}, owns {sorted(mine[name])}")
        except Exception as error:  # reported with the person's name
            problems.append(f"{name}: {error!r}")
        finally:
            visitor.close()

    threads = [threading.Thread(target=work, args=(name,)) for name in names]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not problems, "\n".join(problems[:20])
    with closing(sqlite3.connect(deployment.database)) as db:
        for name in names:
            rows = db.execute("SELECT tasks.id, summary, done FROM tasks JOIN users ON users.id = tasks.user_id"
                              " WHERE username = ?", (name,)).fetchall()
            assert {row[0] for row in rows} == mine[name]
            assert all(summary.startswith(f"{name} ") and done == 0 for _, summary, done in rows), rows
    posts = {pid for pid, method, path, status in deployment.served("/tasks", count=120) if method == "POST"}
    assert len(posts) > 1, "One worker served every task: the test proved nothing about the workers"


def test_a_session_signed_in_by_one_worker_is_honoured_by_the_others(deployment):
    visitor = person(deployment, "erin")
    pids = set()
    try:
        for number in range(60):
            path = f"/tasks?round={number}"
            reply = visitor.send("GET", path)
            assert reply.status == 200, f"round {number}: {reply.status} {reply.headers.get('Location')}"
            assert "erin" in reply.text
            pids |= {pid for pid, method, logged, status in deployment.served(path, count=1)}
            if len(pids) > 1:
                break
    finally:
        visitor.close()
    assert len(pids) > 1, "One worker served every page: the test proved nothing"


@pytest.mark.concept("sign-in attempts limited per account and address", "login-limits",
                     zh="按账号和地址限制登录尝试")
def test_the_limit_on_sign_ins_is_one_for_all_the_workers(deployment):
    """Five wrong passwords, whichever workers they reach, and the sixth try is refused, the right password too.
    (A limit kept in each worker's memory would allow five per worker.)"""
    for round in range(3):  # until the attempts reached more than one worker (the kernel shares them out)
        name = f"frank{round}"
        person(deployment, name).close()
        already = len(deployment.served("/login"))
        for attempt in range(5):
            assert sign_in(deployment, name, f"wrong guess {attempt}").status == 401
        refused = sign_in(deployment, name, PASSWORD)
        assert refused.status == 429, refused.status
        assert refused.headers["Retry-After"].isdigit()
        attempts = deployment.served("/login", count=already + 12)[already:]
        if len({pid for pid, method, path, status in attempts if method == "POST"}) > 1:
            return
    pytest.fail("Three times, every attempt reached the same worker: the test proved nothing about the workers")


@pytest.mark.concept("a users table with salted, slow password hashes", "users-table",
                     zh="用加盐的慢哈希保存密码的用户表")
def test_no_password_reaches_gunicorns_log_or_the_database_file(deployment):
    """gunicorn's access and error logs, the app's log, and the database with its write-ahead log."""
    secret = "Secret-Of-Grace-4711"
    visitor = Visitor(deployment.port)
    visitor.sign_up("grace", secret)
    visitor.close()
    assert sign_in(deployment, "grace", secret + "-wrong").status == 401
    assert sign_in(deployment, "grace", secret).status == 302
    assert secret not in deployment.gunicorn_log()
    for path in (deployment.database, Path(f"{deployment.database}-wal")):
        if path.exists():
            assert secret.encode() not in path.read_bytes(), f"{path.name} holds the password as typed"
    with closing(sqlite3.connect(deployment.database)) as db:
        (stored,) = db.execute("SELECT password_hash FROM users WHERE username = 'grace'").fetchone()
    assert hash_is_slow(stored), f"the deployed app stores {stored.split('$')[0]}, a method too fast against guessing"
