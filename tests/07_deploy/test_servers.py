"""The real thing on 127.0.0.1: gunicorn with 4 workers behind nginx, under load, with a worker killed.

One deployment serves the module, started once: each test writes summaries, names and query strings of its own.
Beside it runs a second gunicorn with one worker on the same database, which nginx does not know: a test that must
show something crossing from one process to another sends one request through nginx and the next straight there,
instead of hoping that the kernel hands them to two different workers. A cold start has a deployment of its own."""
import http.client
import os
import re
import signal
import sqlite3
import subprocess
import threading
from contextlib import closing

import pytest

# The deployment (gunicorn behind nginx), the visitors and the access log: support/servers.py, shared by later steps.
from support.servers import (ACCESS_LINE, BOOTED, Deployment, Reply, Visitor, Writers, deployed,  # noqa: F401
                             exits_or_serves, free_port, gunicorn_command, module_app_dir, nginx_command,
                             nginx_program, nginx_site, nginx_without_app, python, server_env, write_nginx_config)
from support import expects
from tutorial import app_source

pytestmark = pytest.mark.concept("gunicorn and nginx in front of the app", "gunicorn-and-nginx",
                                 zh="应用前面的 gunicorn 和 nginx")

# support/servers.py fills the placeholders of deploy/nginx.conf, each explained in one of its comments, and writes
# `location /static` for `location /static/` to show the off-by-slash mistake; gunicorn reads gunicorn.conf.py.
expects.file("deploy/nginx.conf", "location /static/ ",
             comments=["{{LISTEN}}", "{{SERVER_NAME}}", "{{APP_DIR}}", "{{UPSTREAM}}"])
expects.command("gunicorn -c gunicorn.conf.py app:app", steps=["07_deploy"])


@pytest.fixture
def nginx():
    return nginx_program()


@pytest.fixture(scope="module")
def deployment(request, tmp_path_factory):
    """The app under gunicorn (its gunicorn.conf.py: 4 workers) behind nginx, on free ports of 127.0.0.1, started
    once for the module; beside it, a second gunicorn with one worker on the same database (entrance 1)."""
    app_dir = module_app_dir(request)
    with deployed(app_dir, tmp_path_factory.mktemp("deployment"), server_env(app_dir), beside=True) as started:
        yield started


@pytest.fixture
def cold_deployment(app_dir, tmp_path, clean_env):
    """A deployment of the test's own, just started: no request has reached it, its database does not exist yet."""
    with deployed(app_dir, tmp_path, clean_env) as started:
        yield started


def fetch(port, path):
    """One GET to nginx on port, as a browser asking for localhost sends it."""
    return raw_request(port, "GET", path, {"Host": "localhost"})


def test_the_filled_in_nginx_conf_passes_nginx_t(app_dir, tmp_path, nginx):
    site = nginx_site(app_dir, f"127.0.0.1:{free_port()}", "127.0.0.1:8000")
    main = write_nginx_config(tmp_path, site)
    result = subprocess.run([*nginx_command(nginx, tmp_path, main), "-t"], capture_output=True, text=True,
                            timeout=30)
    assert result.returncode == 0, result.stderr
    assert "test is successful" in result.stderr


def test_the_first_requests_after_a_cold_start_succeed(cold_deployment):
    """Pitfall 1: a database in a folder that did not exist, no init-db, and 8 first requests at once
    across 4 new workers (whether the app made the tables when it was loaded or on first use).

    陷阱 1：数据库位于一个原本不存在的文件夹中，没有运行 init-db，8 个首批请求同时发给 4 个新启动的 worker（无论应用是在加载时还是在第一次使用时建表）。
    """
    replies = []
    paths = ["/tasks", "/healthz", "/api/tasks", "/search?q=x"] * 2
    threads = [threading.Thread(target=lambda path=path: replies.append(cold_deployment.get(path))) for path in paths]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # each request gives up after 30 s (Visitor)
    assert sorted(reply.status for reply in replies) == [200] * len(paths), [r.text[:300] for r in replies]
    with closing(sqlite3.connect(cold_deployment.database)) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert len(cold_deployment.workers_booted(at_least=4)) == 4, "gunicorn.conf.py should start 4 workers"


def test_eight_visitors_adding_250_tasks_each_lose_none(deployment):
    """Pitfall 8: 2,000 writes from 8 visitors at once through 4 workers: no error, nothing lost.
    (Six go through nginx; every fourth visitor goes straight to the gunicorn beside it, so that whichever workers
    the kernel picks, at least two processes write to the database at the same time.)

    陷阱 8：8 个访客同时通过 4 个 worker 写入 2,000 次：没有错误，什么也没丢。
    """
    writers = Writers(deployment, 8, each=250, servers=(None, None, None, 1), prefix="pitfall 8: ")
    writers.start().finish()
    assert writers.failed_once == [] and writers.lost == []
    assert len(writers.acknowledged) == 2000
    stored = deployment.summaries("pitfall 8: ")
    assert len(stored) == 2000
    assert set(stored) == set(writers.acknowledged)


def test_a_worker_killed_under_load_is_replaced_and_nothing_acknowledged_is_lost(deployment):
    """A worker that dies (out of memory, a crash) is replaced by gunicorn's master, and the new one serves
    requests (the others frozen for a moment, it is the one left to take the next); what the app acknowledged was
    committed, so it survives. A request cut off with its worker is retried once."""
    writers = Writers(deployment, 6, prefix="killed: ").start()
    try:
        writers.wait_for(150)
        booted = deployment.workers_booted()
        victim = deployment.served(number=0)[-1][0]
        os.kill(victim, signal.SIGKILL)
        newcomer = deployment.workers_booted(at_least=len(booted) + 1)[-1]
        assert newcomer not in booted, f"No worker replaced {victim}"
        writers.wait_for(len(writers.acknowledged) + 300)
    finally:
        writers.finish()
    assert writers.lost == [], f"Failed twice: {writers.lost[:5]}"
    assert len(writers.failed_once) <= 6, writers.failed_once
    stored = deployment.summaries("killed: ")
    assert set(writers.acknowledged) <= set(stored)
    assert set(stored) <= set(writers.acknowledged)  # every summary tried was in the end acknowledged
    assert len(stored) - len(set(stored)) <= len(writers.failed_once)  # a retry may store a task twice
    with deployment.only_worker(newcomer):
        assert deployment.get(f"/healthz?newcomer={newcomer}").status == 200
    served = deployment.served(f"/healthz?newcomer={newcomer}", count=1, number=0)
    assert [pid for pid, method, path, status in served] == [newcomer], "The new worker should serve requests too"


def test_a_message_flashed_by_one_worker_is_shown_by_the_next(deployment):
    """Pitfall 2: every worker must sign sessions with the same secret, or a flashed message
    (kept in the signed session cookie) set by one is lost when another serves the next page.
    The task is added through nginx and the next page comes from the gunicorn beside it, then the other way
    round: each message crosses from one process to another.

    陷阱 2：每个 worker 都必须用同一个密钥给会话签名，否则一个 worker 设置的闪现消息（保存在签名的会话 cookie 里）会在另一个 worker 处理下一个页面时丢失。
    """
    visitor = deployment.visitor()
    visitor.open_session()
    for number, (adding, showing) in enumerate([(None, 1), (1, None)]):
        deployment.route(visitor, adding)
        reply = visitor.add(f"Flash {number}")
        assert reply.status == 302
        visitor.keep_cookie(reply)
        deployment.route(visitor, showing)
        page = visitor.send("GET", "/tasks")
        assert page.status == 200
        assert "Task added." in page.text, f"Round {number}: the flashed message was lost on the way to another process"
        visitor.keep_cookie(page)
    visitor.close()


@pytest.mark.concept("nginx serves the static files", "nginx-static", zh="由 nginx 提供静态文件")
def test_nginx_serves_the_static_files_itself(deployment, app_dir, tmp_path):
    """gunicorn's workers never see /static/: nginx answers, even with no gunicorn behind it."""
    asked = "asked-by=static-test"  # this test's requests, in gunicorn's access log (nginx and the app ignore it)
    for name, mimetype in (("style.css", "text/css"), ("confirm.js", "application/javascript")):
        reply = deployment.get(f"/static/{name}?{asked}")
        assert reply.status == 200
        assert reply.body == (app_source(app_dir).parent / "static" / name).read_bytes()
        assert reply.headers["Content-Type"] == mimetype
        assert reply.headers["X-Content-Type-Options"] == "nosniff"
    assert deployment.get(f"/tasks?{asked}").status == 200
    assert deployment.served(f"/tasks?{asked}", count=1), "gunicorn's access log should show GET /tasks"
    paths = [path for pid, method, path, status in deployment.served() if path.endswith(asked)]
    assert paths == [f"/tasks?{asked}"], f"gunicorn served {paths}"
    with nginx_without_app(app_dir, tmp_path) as port:
        assert fetch(port, "/static/style.css").status == 200
        assert fetch(port, "/tasks").status == 502


# Ways out of static/: raw paths, sent exactly as written (no client tidies them up).
TRAVERSALS = [
    "/static../app.py", "/static/../app.py", "/static/%2e%2e/app.py", "/static/%2E%2E/app.py",
    "/static/..%2fapp.py", "/static..%2fapp.py", "/static/%2e%2e%2fapp.py", "/static//../app.py",
    "/static/./../app.py", "/static/..%5capp.py", "/static/..\\app.py", "/static../gunicorn.conf.py",
    "/static/../templates/base.html", "/static../templates/base.html", "/static/../../../../etc/passwd",
    "/static/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd", "/static..%2f..%2f..%2f..%2fetc/passwd",
]


def leaked(reply, app_dir):
    """What of the server's files a reply gives away, if anything."""
    found = [path.name for path in (app_source(app_dir), app_dir / "gunicorn.conf.py")
             if path.read_text(encoding="utf-8").splitlines()[0] in reply.text]
    if "{% block" in reply.text:
        found.append("a template")
    if "root:x:0:0" in reply.text:
        found.append("/etc/passwd")
    return found


@pytest.mark.concept("nginx serves the static files", "nginx-static", zh="由 nginx 提供静态文件")
def test_no_path_leads_out_of_the_static_folder(deployment, app_dir):
    """Pitfall 7: `location /static/` and `alias .../static/` agree on the trailing slash, so no
    request reads a file outside static/ (the source code, the templates, the system's files).

    陷阱 7：`location /static/` 和 `alias .../static/` 的末尾斜杠一致，所以没有请求能读到 `static/` 之外的文件（源代码、模板、系统文件）。
    """
    for path in TRAVERSALS:
        path = path.replace("app.py", app_source(app_dir).name)  # the file beside static/: taskman/__init__.py in 08
        reply = deployment.get(path)
        if reply.status in (301, 302, 307, 308):  # a redirect is fine if where it leads is refused too
            path = f"{path} -> {reply.headers['Location']}"
            reply = deployment.get(reply.headers["Location"])
        assert not leaked(reply, app_dir), f"{path} gave away {leaked(reply, app_dir)}"
        assert reply.status in (400, 403, 404), f"{path} answered {reply.status}"


@pytest.mark.concept("nginx serves the static files", "nginx-static", zh="由 nginx 提供静态文件")
def test_the_off_by_slash_mistake_would_give_the_source_away(app_dir, tmp_path):
    """Pitfall 7, shown: the same site with `location /static` (no slash) sends app.py to anyone.
    This is why the test above matters.

    陷阱 7 的演示：同一个网站写成 `location /static`（没有斜杠）时，会把 `app.py` 发给任何人。这就是上一个测试重要的原因。
    """
    with nginx_without_app(app_dir, tmp_path, location="/static") as port:
        reply = fetch(port, f"/static../{app_source(app_dir).name}")
    assert reply.status == 200 and leaked(reply, app_dir) == [app_source(app_dir).name]


@pytest.mark.concept("backups and restore", "backup", zh="备份与恢复")
def test_a_backup_taken_while_visitors_write_holds_every_task_acknowledged_before_it(deployment, app_dir, tmp_path):
    """The visitors write before the backup starts and go on after it ends, without a pause: it is taken while
    they write. It holds what was acknowledged before it, and nothing that was never stored."""
    writers = Writers(deployment, 4, prefix="backup: ").start()
    try:
        writers.wait_for(200)
        before = list(writers.acknowledged)
        backup = tmp_path / "backup.db"
        result = subprocess.run([python(), "-m", "flask", "backup", str(backup)], cwd=app_dir,
                                env=deployment.env, capture_output=True, text=True, timeout=300)
        writers.wait_for(len(writers.acknowledged) + 50)  # still writing after it
    finally:
        writers.finish()
    assert result.returncode == 0, result.stderr
    with closing(sqlite3.connect(backup)) as db:
        assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        saved = {row[0] for row in db.execute("SELECT summary FROM tasks")}
    assert set(before) <= saved
    assert saved <= set(deployment.summaries())


@pytest.mark.concept("refusing to start without a real secret", "refuse-to-start", zh="没有真正的密钥就拒绝启动")
def test_gunicorn_without_app_secret_exits_at_once_with_one_line(app_dir, clean_env):
    """preload_app: the master imports app.py once, sees no secret and stops. Without it every worker
    would fail, be replaced and fail again, forever."""
    env = dict(clean_env, GUNICORN_BIND=f"127.0.0.1:{free_port()}")
    env.pop("APP_SECRET")
    env.pop("APP_ENV", None)
    output = gunicorn_refusal(app_dir, env, "without APP_SECRET (set preload_app = True)")
    assert len(output) == 1 and "APP_SECRET" in output[0], "\n".join(output)


def gunicorn_refusal(app_dir, env, started):
    """Start gunicorn with env, expect it to exit with an error before it serves anything, and return the lines it
    printed. started says what it was started with, for the failure when it serves instead."""
    code, output = exits_or_serves(gunicorn_command(app_dir), f"http://{env['GUNICORN_BIND']}/", app_dir, env)
    assert code is not None, f"gunicorn kept running {started}:\n{output}"
    assert code != 0, f"gunicorn exited 0 {started}"
    return output.strip().splitlines()


def raw_request(port, method, path, headers, body=None, encode_chunked=False):
    """One request on a connection of its own, with exactly these headers; the Reply, or None when the
    server closed the connection without answering."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    try:
        connection.putrequest(method, path, skip_host=True, skip_accept_encoding=True)
        for name, value in headers.items():
            connection.putheader(name, value)
        connection.endheaders(body, encode_chunked=encode_chunked)
        return Reply(connection.getresponse())
    except (http.client.RemoteDisconnected, ConnectionResetError):
        return None
    finally:
        connection.close()


@pytest.mark.concept("trusting exactly one proxy", "proxy-fix", zh="只信任一层代理")
@pytest.mark.parametrize("headers", [
    {"Host": "evil.example"}, {"Host": "evil.example:80"},
    {"Host": "localhost", "X-Forwarded-Host": "evil.example"}, {},
], ids=["forged Host", "forged Host and port", "forged X-Forwarded-Host", "no Host"])
def test_a_request_for_another_site_never_gets_a_redirect_there(deployment, headers):
    """nginx's default server closes the connection of a request whose Host is not server_name (444);
    the one server that reaches gunicorn replaces X-Forwarded-Host with the Host it matched."""
    path = f"/tasks//1?sent={'+'.join(headers) or 'nothing'}"  # this case's request, in gunicorn's access log
    reply = raw_request(deployment.port, "GET", path, headers)
    if reply is not None:
        assert "evil.example" not in reply.headers.get("Location", ""), reply.headers
        assert reply.status in (308, 400, 404), reply.status
    if "Host" not in headers:  # HTTP/1.1 requires a Host: nginx refuses the request itself
        assert reply.status == 400 and not deployment.served(path, timeout=0)
    elif headers["Host"] != "localhost":
        assert reply is None, f"nginx answered a request for {headers['Host']!r} with {reply.status}"


@pytest.mark.concept("trusting exactly one proxy", "proxy-fix", zh="只信任一层代理")
def test_a_redirect_keeps_the_port_of_the_try_out_address(deployment):
    """On 127.0.0.1:<port> (the README's try-out), the Host's port stays in redirects ($http_host)."""
    reply = raw_request(deployment.port, "GET", "/tasks//1", {"Host": f"localhost:{deployment.port}"})
    assert reply.status == 308
    assert reply.headers["Location"] == f"http://localhost:{deployment.port}/tasks/1"


SECURITY_HEADERS = ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy", "Content-Security-Policy")


@pytest.mark.concept("nginx's own pages: security headers, no version", "security-headers",
                     zh="nginx 自己的页面：安全响应头，不透露版本")
def test_nginx_names_no_version_and_its_own_pages_carry_the_security_headers(deployment, app_dir, tmp_path):
    """server_tokens off; add_header ... always: nginx's 404, 413 and 502 pages get the same headers
    as the app's, once each. (The 502 comes from the same site with no gunicorn behind it.)"""
    replies = {"app page": deployment.get("/tasks"), "static file": deployment.get("/static/style.css"),
               "nginx's 404": deployment.get("/static/missing.css")}
    visitor = deployment.visitor()
    visitor.open_session()
    replies["nginx's 413"] = visitor.add("x" * (2 * 1024 * 1024))
    visitor.close()
    with nginx_without_app(app_dir, tmp_path) as port:
        replies["nginx's 502"] = fetch(port, "/tasks")
    assert [replies[name].status for name in ("nginx's 404", "nginx's 413", "nginx's 502")] == [404, 413, 502]
    for name, reply in replies.items():
        assert reply.headers["Server"] == "nginx", f"{name}: Server: {reply.headers['Server']}"
        assert not re.search(r"nginx/\d", reply.text), f"{name} names nginx's version"
        for header in SECURITY_HEADERS:
            assert len(reply.headers.get_all(header) or []) == 1, f"{name}: {header} {reply.headers.get_all(header)}"


@pytest.mark.concept("a limit on request size", "request-size", zh="请求大小的上限")
@pytest.mark.parametrize("through", ["gunicorn", "nginx"])
def test_a_20_mb_body_sent_in_chunks_is_refused_and_nothing_is_stored(deployment, through):
    """Straight to gunicorn (which reads the chunks itself) the app refuses a body without a length (411);
    through nginx, client_max_body_size refuses it (413)."""
    port = deployment.gunicorn_port if through == "gunicorn" else deployment.port
    visitor = deployment.visitor()
    visitor.open_session()
    visitor.close()
    summary = f"sent in chunks through {through}"

    def chunks():
        yield f"csrf_token={visitor.token}&summary={summary.replace(' ', '+')}&padding=".encode()
        for _ in range(20):
            yield b"x" * (1024 * 1024)

    headers = {"Host": "localhost", "Cookie": visitor.cookie, "Content-Type": "application/x-www-form-urlencoded",
               "Transfer-Encoding": "chunked"}
    try:
        reply = raw_request(port, "POST", "/tasks", headers, body=chunks(), encode_chunked=True)
    except BrokenPipeError:  # the server answered and closed before the 20 MB were sent
        reply = None
    assert reply is None or reply.status == (411 if through == "gunicorn" else 413), reply.status
    assert summary not in deployment.summaries()


@pytest.mark.concept("sign-ups every worker sees", "signups", zh="每个 worker 都能看到的注册")
def test_twelve_sign_ups_of_one_name_across_the_workers_make_one_account(deployment):
    """The users table's UNIQUE holds across the 4 workers (a list in each worker's memory did not).
    Half the sign-ups go through nginx, half straight to the gunicorn beside it: two processes at least."""
    statuses = []

    def sign_up(number):
        visitor = deployment.visitor(None if number % 2 else 1)
        reply = visitor.send("GET", "/signup")
        visitor.keep_cookie(reply)
        token = re.search(r'name="csrf_token" value="([^"]+)"', reply.text).group(1)
        fields = {"username": "ada", "email": f"ada{number}@example.com", "password": "correct horse",
                  "csrf_token": token}
        statuses.append(visitor.send("POST", "/signup", fields).status)
        visitor.close()

    threads = [threading.Thread(target=sign_up, args=(n,)) for n in range(12)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # each request gives up after 30 s (Visitor)
    assert sorted(statuses) == [302] + [400] * 11, statuses
    with closing(sqlite3.connect(deployment.database)) as db:
        assert db.execute("SELECT count(*) FROM users WHERE lower(username) = 'ada'").fetchone()[0] == 1


@pytest.mark.concept("refusing to start without a real secret", "refuse-to-start", zh="没有真正的密钥就拒绝启动")
@pytest.mark.parametrize("kind", ["a folder", "not a database"])
def test_gunicorn_with_a_database_it_cannot_use_exits_at_once_with_one_line(app_dir, clean_env, tmp_path, kind):
    bad = tmp_path / "bad"
    if kind == "a folder":
        bad.mkdir()
    else:
        bad.write_text("not a database " * 300, encoding="utf-8")
    env = dict(clean_env, GUNICORN_BIND=f"127.0.0.1:{free_port()}", APP_DATABASE=str(bad))
    env.pop("APP_ENV", None)
    output = gunicorn_refusal(app_dir, env, f"with APP_DATABASE={bad}")
    assert len(output) == 1 and output[0].startswith("Refusing to start: cannot use the database"), "\n".join(output)
