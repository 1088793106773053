"""Accounts on the real thing: gunicorn's workers behind nginx on 127.0.0.1, one deployment for the module.
People working at the same time through different workers never see or change each other's tasks; a session
signed in by one worker is honoured by the others; the limit on sign-ins is one for all the workers, and holds for
guesses sent all at once; long searches sent at once leave the workers free; a redirect too long for nginx is not
made; and no password reaches gunicorn's log or the database file.

Every request comes from 127.0.0.1, and the step allows 10 sign-ups an hour from one address (SIGNUP_LIMIT): the
module signs up 10 people at most (alice, bob, carol, dave, erin, frank0 to frank2 when needed, grace and henry)."""
import http.client
import json
import os
import re
import sqlite3
import threading
import time
from collections import Counter
from contextlib import closing
from pathlib import Path

import pytest

from support import ROOT, require_program
from support.accounts import PASSWORD, hash_is_slow
from support.messages import expect
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


@pytest.fixture(scope="module")
def henry(deployment):
    """Henry, signed up through nginx (and so signed in), with 300 tasks, each of 37 words that start with "t"."""
    visitor = person(deployment, "henry")
    with closing(sqlite3.connect(deployment.database, timeout=10)) as db:
        (owner,) = db.execute("SELECT id FROM users WHERE username = 'henry'").fetchone()
        db.executemany("INSERT INTO tasks (summary, user_id) VALUES (?, ?)",
                       [(" ".join(f"t{number}w{word}" for word in range(37)), owner) for number in range(300)])
        db.commit()
    yield visitor
    visitor.close()


def send_at_once(deployment, requests):
    """Send (visitor, method, path, fields) requests from as many threads, released together: [(status, seconds)]
    in the same order (status None when the connection failed)."""
    answers = [None] * len(requests)
    start_together = threading.Barrier(len(requests))

    def send(number, visitor, method, path, fields):
        start_together.wait(timeout=60)
        started = time.monotonic()
        try:
            status = visitor.send(method, path, fields).status
        except (OSError, http.client.HTTPException):
            status = None
        answers[number] = (status, time.monotonic() - started)

    threads = [threading.Thread(target=send, args=(number, *request)) for number, request in enumerate(requests)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    return answers


@pytest.mark.concept("written down first, then counted", "atomic-limit", zh="先记下，再计数")
def test_wrong_passwords_sent_at_once_through_the_workers_are_held_to_the_limit(deployment, henry):
    """Pitfall 27: sixty wrong passwords sent at the same moment reach gunicorn's four workers. Counted, checked, then
    written down, many count before any is written, and more than five get their password checked; written down
    first, in one write transaction, five are answered 401 and the others 429.

    陷阱 27：同时发出的六十个错误密码会分到 gunicorn 的四个 worker。先数、再检查、最后记下，很多请求在任何一个被记下之前就数过了，被检查密码的不止五个；先在一个写事务里记下，就只有五个得到 401，其余都是 429。
    """
    for round in range(3):  # until the guesses reached more than one worker (the kernel shares them out)
        name = "henry" if round == 0 else f"nobody{round}"  # an unknown name is limited the same way
        opened = Visitor(deployment.port)
        page = opened.send("GET", "/login")
        opened.keep_cookie(page)
        fields = {"csrf_token": TOKEN.search(page.text).group(1), "username": name, "password": "a wrong guess"}
        guessers = []
        for _ in range(60):  # sixty browsers with a copy of that page's session and its CSRF token
            guesser = Visitor(deployment.port)
            guesser.cookie = opened.cookie
            guessers.append(guesser)
        already = len(deployment.served("/login"))
        try:
            answers = send_at_once(deployment, [(guesser, "POST", "/login", fields) for guesser in guessers])
        finally:
            for visitor in (opened, *guessers):
                visitor.close()
        statuses = Counter(status for status, _ in answers)
        assert set(statuses) <= {401, 429}, f"the answers, by status (None: no answer): {statuses}"
        expect(statuses[401] <= 5, "limit-race", sent=60, passed=statuses[401], limit=5)
        assert statuses[401] >= 1, statuses
        posts = [entry for entry in deployment.served("/login", count=already + 60)[already:] if entry[1] == "POST"]
        if len({pid for pid, method, path, status in posts}) > 1:
            return
    pytest.fail("Three times, every guess reached the same worker: the test proved nothing about the workers")


@pytest.mark.concept("a search that costs what it should", "search-bound", zh="搜索的代价要有上限")
def test_long_searches_sent_at_once_leave_the_workers_free(deployment, henry):
    """Four searches of ten words over 300 tasks, sent at once: each answers within seconds (when the index was
    searched again for each task, one took 14 s of a worker), no worker is killed for taking too long, and /healthz
    answers meanwhile."""
    visitors = [Visitor(deployment.port) for _ in range(5)]
    for visitor in visitors:
        # Ten seconds at most for an answer; the four searchers carry Henry's session cookie.
        visitor.connection = http.client.HTTPConnection("127.0.0.1", deployment.port, timeout=10)
        visitor.cookie = henry.cookie
    query = "/search?q=" + "+".join(["t"] * 10)
    try:
        answers = send_at_once(deployment, [(visitor, "GET", query, None) for visitor in visitors[:4]]
                               + [(visitors[4], "GET", "/healthz", None)])
    finally:
        for visitor in visitors:
            visitor.close()
    searches, health = answers[:4], answers[4]
    assert [status for status, _ in searches] == [200] * 4, f"the searches answered (status, seconds) {searches}"
    assert max(seconds for _, seconds in searches) < 5, f"the searches took {[round(s, 1) for _, s in searches]} s"
    assert health[0] == 200 and health[1] < 5, f"/healthz answered {health[0]} in {health[1]:.1f} s meanwhile"
    assert "WORKER TIMEOUT" not in deployment.gunicorn_log()


@pytest.mark.concept("a next address on this site only", "safe-next", zh="next 只能指向本站")
def test_a_search_too_long_to_come_back_to_is_a_redirect_to_sign_in_not_a_502(deployment):
    """Signed out, a search of 800 words is sent to sign in without ?next=: a Location carrying it would be longer
    than nginx takes from an app (4 KiB of headers), and nginx would answer 502 Bad Gateway."""
    reply = deployment.get("/search?q=" + "+".join(["tea"] * 800))
    assert reply.status == 302, f"{reply.status}: {reply.text[:300]}"
    location = reply.headers["Location"]
    assert re.match(r"^(https?://localhost(:\d+)?)?/login", location) and len(location) <= 1100, location[:300]
