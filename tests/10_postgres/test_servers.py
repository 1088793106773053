"""Two app servers (gunicorn, as if on two machines, each with its own workers) behind nginx's upstream, sharing
one PostgreSQL: one deployment for the module. Writers on both servers at once lose nothing and keep each
person's counts right; a session signed by one server is good on the other; one server killed under load loses
no acknowledged write, and nginx goes on serving with the other."""
import os
import signal
import subprocess
import threading

import psycopg
import pytest

from support import expects
from support.accounts import PASSWORD
from support.servers import Writers, deployed, module_app_dir, python, server_env

pytestmark = pytest.mark.concept("several app servers behind nginx", "several-servers",
                                 zh="nginx 后面的多台应用服务器")

# support/servers.py fills each placeholder of deploy/nginx.conf, which one of its comments must explain, with an
# app server's address: {{UPSTREAM}} the first one's, {{UPSTREAM_2}} the second's.
expects.file("deploy/nginx.conf",
             comments=["{{LISTEN}}", "{{SERVER_NAME}}", "{{APP_DIR}}", "{{UPSTREAM}}", "{{UPSTREAM_2}}"])
expects.command("flask --app taskman db upgrade", 'gunicorn -c gunicorn.conf.py "taskman:create_app()"')
expects.env("DATABASE_URL", "APP_SECRET")

SERVERS, WORKERS = 2, 2
PEOPLE = ("ada", "grace", "linus", "margaret")


@pytest.fixture(scope="module")
def deployment(request, tmp_path_factory, postgres):
    """Step 10 on two gunicorn instances (2 workers each) behind nginx, on a new PostgreSQL database whose
    migrations the operator ran first (flask db upgrade); the people of PEOPLE have signed up."""
    app_dir = module_app_dir(request)
    url = postgres.url(postgres.create_database())
    env = server_env(app_dir, DATABASE_URL=url)
    migrations = subprocess.run([python(), "-m", "flask", "--app", "taskman", "db", "upgrade"], cwd=app_dir, env=env,
                                capture_output=True, text=True, timeout=300)
    assert migrations.returncode == 0, migrations.stdout + migrations.stderr
    with deployed(app_dir, tmp_path_factory.mktemp("deployment"), env, servers=SERVERS, workers=WORKERS) as started:
        started.url = url
        for name in PEOPLE:
            visitor = started.visitor()
            visitor.sign_up(name, PASSWORD)
            visitor.close()
        yield started


def rows(deployment, statement):
    """The rows of one statement on the deployment's PostgreSQL database."""
    with psycopg.connect(deployment.url.replace("postgresql+psycopg://", "postgresql://")) as connection:
        return connection.execute(statement).fetchall()


def stored(deployment):
    """{username: [summaries]} of the tasks in the database."""
    found = {}
    for username, summary in rows(deployment, "SELECT u.username, t.summary FROM tasks t"
                                              " JOIN users u ON u.id = t.user_id ORDER BY t.id"):
        found.setdefault(username, []).append(summary)
    return found


def assert_counts_match_the_tasks(deployment):
    """Each person's counts row says what their tasks are: (total, done) counted afresh from the rows."""
    kept = dict(rows(deployment, "SELECT u.username, c.total || '/' || c.done FROM task_counts c"
                                 " JOIN users u ON u.id = c.user_id"))
    counted = dict(rows(deployment, "SELECT u.username, count(t.id) || '/' || count(t.id) FILTER (WHERE t.done)"
                                    " FROM users u LEFT JOIN tasks t ON t.user_id = u.id GROUP BY u.username"))
    assert kept == counted, f"kept counts {kept}, the rows say {counted}"


def accounts():
    return [(name, PASSWORD) for name in PEOPLE]


def posts_served_by(deployment, number):
    return [line for line in deployment.served(number=number, timeout=0) if line[1] == "POST" and line[2] == "/tasks"]


@pytest.mark.concept("per-user counts kept in the same transaction", "atomic-counts",
                     zh="在同一事务中维护的每用户计数")
def test_eight_visitors_on_two_servers_lose_nothing_and_keep_each_persons_counts(deployment):
    """Two visitors for each person write at the same time, through both servers: every acknowledged task is
    stored once, and each person's counts (total = total + 1 in the database) match their rows."""
    writers = Writers(deployment, 8, each=40, accounts=accounts())
    writers.start().finish()
    assert writers.failed_once == [] and writers.lost == []
    assert len(writers.acknowledged) == 320
    everything = [summary for summaries in stored(deployment).values() for summary in summaries]
    assert sorted(everything) == sorted(writers.acknowledged)
    assert_counts_match_the_tasks(deployment)
    assert posts_served_by(deployment, 0) and posts_served_by(deployment, 1), "nginx should use both app servers"


@pytest.mark.concept("per-user counts kept in the same transaction", "atomic-counts",
                     zh="在同一事务中维护的每用户计数")
def test_one_task_toggled_at_once_on_both_servers_keeps_the_done_count(deployment):
    """Toggling is one UPDATE ... RETURNING: two toggles at once wait for each other in PostgreSQL, and each
    counts the change it made (read-then-write in Python would count one of them wrongly)."""
    visitors = [deployment.visitor() for _ in range(4)]
    for visitor in visitors:
        visitor.sign_in("linus", PASSWORD)
    assert visitors[0].add("Toggled from everywhere").status == 302
    (task_id,) = rows(deployment, "SELECT id FROM tasks WHERE summary = 'Toggled from everywhere'")[0]
    statuses = []

    def toggle(visitor):
        for _ in range(15):
            statuses.append(visitor.send("POST", f"/tasks/{task_id}/toggle", {"csrf_token": visitor.token}).status)

    threads = [threading.Thread(target=toggle, args=(visitor,)) for visitor in visitors]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()  # each request gives up after 30 s (Visitor)
    for visitor in visitors:
        visitor.close()
    assert statuses == [302] * 60
    assert rows(deployment, f"SELECT done FROM tasks WHERE id = {task_id}") == [(False,)]  # 60 toggles: as before
    assert_counts_match_the_tasks(deployment)


def test_a_session_signed_by_one_server_is_good_on_the_other(deployment):
    """Pitfall 24: state kept in a process's memory: the session is a cookie signed with APP_SECRET, the same on
    both servers, and nothing about it is kept in a server's memory, so whichever server nginx picks knows who is
    signed in and shows the flashed message.

    陷阱 24：把状态放在进程的内存里：会话是一个用 APP_SECRET 签名的 cookie，两台服务器上的密钥相同，关于它的一切
    都不放在某台服务器的内存里，所以 nginx 不管选中哪一台，它都知道谁已经登录，也会显示闪现消息。"""
    visitor = deployment.visitor()
    visitor.sign_in("grace", PASSWORD)
    for number in range(12):
        reply = visitor.add(f"Grace's round {number}", path=f"/tasks?round={number}")
        assert reply.status == 302
        visitor.keep_cookie(reply)
        page = visitor.send("GET", f"/tasks?round={number}")
        assert page.status == 200 and "Task added." in page.text, f"Round {number}: signed out, or the message lost"
        visitor.keep_cookie(page)
    visitor.close()
    by_server = [{path for pid, method, path, status in deployment.served(number=number, timeout=0)
                  if path.startswith("/tasks?round=")} for number in range(SERVERS)]
    assert by_server[0] and by_server[1], "Both servers should have served some of the rounds"


def test_one_server_killed_under_load_loses_no_acknowledged_task_and_nginx_goes_on(deployment):
    """The first app server dies at once, master and workers (a machine lost), while six visitors write. nginx
    sends the next requests to the other; a POST cut off with the dead server answers an error and is sent
    again by its visitor; every task the app acknowledged (302) is in the database. (Last in the module.)"""
    before = sum(len(summaries) for summaries in stored(deployment).values())
    writers = Writers(deployment, 6, accounts=accounts()).start()
    try:
        writers.wait_for(60)
        victim = deployment.processes[0]
        os.killpg(victim.pid, signal.SIGKILL)
        victim.wait(timeout=30)
        killed_at = len(writers.acknowledged)
        writers.wait_for(killed_at + 150)
    finally:
        writers.finish()
    assert writers.lost == [], f"Failed twice: {writers.lost[:5]}"
    assert len(writers.failed_once) <= 6, writers.failed_once  # at most the request each visitor had in flight
    after = [summary for summaries in stored(deployment).values() for summary in summaries]
    assert set(writers.acknowledged) <= set(after)
    assert len(after) - before >= len(writers.acknowledged)
    assert len(after) - before - len(set(writers.acknowledged)) <= len(writers.failed_once)  # a retry may store twice
    assert_counts_match_the_tasks(deployment)
    assert [deployment.get("/healthz").status for _ in range(10)] == [200] * 10
    assert len(deployment.served("/healthz", count=10, number=1)) == 10, "The second server should have answered them"
