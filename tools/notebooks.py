"""Write the instructors' demo notebooks, one per step, and run them so they keep their outputs.

    python -m tools.notebooks            (inside .venv, from the repository's root)
    python -m tools.notebooks 05 07      (some steps)

The notebooks (docs/notebooks/NN_name.ipynb) are made from the cells below, so that every step's
demo has the same shape: the code being taught, real requests, the database, the real server.
Edit a demo here, not in Jupyter, then run this again; the tests check that the two agree.
"""
import sys

import nbformat
from nbclient import NotebookClient

from tools.steps import ROOT, resolve_step

NOTEBOOKS = ROOT / "docs" / "notebooks"

SETUP = '''import sys
from pathlib import Path

# The course's root is two folders up from docs/notebooks;
# tools.demo loads a step for a demo.
sys.path.insert(0, str(Path.cwd().parents[1]))
from tools.demo import Demo

demo = Demo("{step}")'''

SERVER = [
    ("md", "## The real server · 真实的服务器\n\n"
           "The same app under `flask run`, on 127.0.0.1 and a free port: open the address in a browser "
           "while it runs, then stop it.\n\n"
           "用 `flask run` 启动同一个应用，监听 127.0.0.1 的一个空闲端口：运行期间可以在浏览器里打开这个地址，然后停止它。"),
    ("code", "server = demo.serve()\nserver"),
    ("code", "import urllib.request\n\nwith urllib.request.urlopen(server.url) as response:\n"
             "    print(response.status, response.headers['Content-Type'])"),
    ("code", "print(server.stop())"),
]

# Per step: its title in both languages, then (kind, source) cells after the set-up cell.
DEMOS = {
    "01_hello": ("A first web service", "第一个网络服务", [
        ("md", "## The code · 代码"),
        ("code", 'demo.code("app.py")'),
        ("md", "## A request · 一个请求\n\nThe browser asks for `/`; the view function's string is the page.\n\n"
               "浏览器请求 `/`，视图函数返回的字符串就是页面。"),
        ("code", 'demo.get("/")'),
        ("code", 'demo.get("/nothing-here")'),
    ]),
    "02_routes": ("Routes and view functions", "路由与视图函数", [
        ("md", "## Converters · 转换器"),
        ("code", 'demo.code("app.py", "ticket")'),
        ("code", 'demo.get("/ticket/42")'),
        ("code", 'demo.get("/ticket/abc")'),
        ("code", 'demo.get("/price/100")'),
        ("code", 'demo.get("/temperature/-4.5")'),
        ("md", "## Escaping · 转义\n\nThe name comes from the URL, so it is escaped before it goes into HTML.\n\n"
               "名字来自 URL，所以放进 HTML 之前要先转义。"),
        ("code", 'demo.code("app.py", "hello")'),
        ("code", 'demo.get("/hello/<em>Ada")'),
        ("md", "## GET and POST · GET 与 POST"),
        ("code", 'demo.code("app.py", "login")'),
        ("code", 'demo.post("/login", username="student", password="wrong")'),
        ("code", 'demo.post("/login", username="student", password="flask")'),
        ("code", 'demo.post("/healthz")'),
        ("md", "## Query strings · 查询字符串"),
        ("code", 'demo.get("/search?q=s&page=2")'),
        ("code", 'demo.get("/search?page=0")'),
    ]),
    "03_templates": ("Templates and static files", "模板与静态文件", [
        ("md", "## The layout · 布局"),
        ("code", 'demo.code("templates/base.html")'),
        ("code", 'demo.code("templates/tasks.html", "block=content")'),
        ("md", "## The dashboard · 仪表板\n\nThe task with `<script>` in it shows as text: autoescaping.\n\n"
               "含有 `<script>` 的任务以文本显示：这就是自动转义。"),
        ("code", 'demo.get("/tasks")'),
        ("code", 'demo.get("/tasks/3")'),
        ("code", 'demo.get("/tasks/99")'),
    ]),
    "04_forms": ("Forms, validation and feedback", "表单、校验与反馈", [
        ("md", "## Validation · 校验"),
        ("code", 'demo.code("app.py", "validate_signup")'),
        ("code", 'demo.get("/signup")'),
        ("code", 'demo.post("/signup", username="a", email="not an address",\n'
                 '          password="short")'),
        ("md", "## Post/Redirect/Get and flash · 重定向与闪现消息"),
        ("code", 'demo.post("/signup", username="ada", email="ada@example.com",\n'
                 '          password="correct horse")'),
        ("code", 'demo.get("/")'),
        ("md", "## CSRF\n\nA form sent without the page's token (as another site would send it) is refused.\n\n"
               "不带页面令牌发送的表单（就像别的网站伪造的那样）会被拒绝。"),
        ("code", 'demo.post("/signup", csrf_token="forged", username="eve",\n'
                 '          email="eve@example.com", password="12345678")'),
    ]),
    "05_sqlite": ("Persistence with SQLite", "用 SQLite 持久化", [
        ("md", "## One connection per request · 每个请求一个连接"),
        ("code", 'demo.code("app.py", "get_db")'),
        ("code", 'demo.code("schema.sql")'),
        ("code", 'print(demo.app.test_cli_runner().invoke(args=["init-db"]).output)'),
        ("md", "## Adding tasks · 添加任务\n\nThe dashboard's form carries a CSRF token; the summary goes to SQLite as "
               "a parameter, so SQL in it is only text.\n\n"
               "仪表板的表单带有 CSRF 令牌；任务摘要作为参数交给 SQLite，所以其中的 SQL 只是普通文本。"),
        ("code", 'demo.get("/tasks")'),
        ("code", 'demo.post("/tasks", summary="Buy milk")'),
        ("code", "demo.post(\"/tasks\", summary=\"'); DROP TABLE tasks; --\")"),
        ("code", 'demo.post("/tasks", summary="   ")'),
        ("md", "## The database · 数据库"),
        ("code", 'demo.rows("SELECT id, summary, done, created FROM tasks")'),
    ]),
    "06_taskman": ("The complete task manager", "完整的任务管理器", [
        ("md", "## Changing state with POST · 用 POST 改变状态"),
        ("code", 'demo.code("app.py", "toggle_task")'),
        ("code", 'demo.get("/tasks")\nfor summary in ["Write the slides", "Test the demo", "Book the room"]:\n'
                 '    demo.post("/tasks", summary=summary)\ndemo.rows("SELECT id, summary, done FROM tasks")'),
        ("code", 'demo.post("/tasks/1/toggle")'),
        ("code", 'demo.post("/tasks/99/delete")'),
        ("code", 'demo.post("/tasks/purge")'),
        ("md", "## The delete confirmation · 删除确认"),
        ("code", 'demo.code("static/confirm.js")'),
        ("md", "## The JSON API · JSON 接口"),
        ("code", 'demo.get("/api/tasks")'),
        ("code", 'demo.get("/tasks")'),
    ]),
    "07_deploy": ("Production", "生产部署", [
        ("md", "## The health check · 健康检查\n\n`/healthz` asks the database, so a monitor learns whether the "
               "service can really work.\n\n"
               "`/healthz` 会询问数据库，所以监控程序能知道这个服务是否真的能工作。"),
        ("code", 'demo.code("app.py", "health")'),
        ("code", 'demo.get("/healthz")'),
        ("md", "## No secret, no start · 没有密钥就不启动\n\n"
               "A new Python process imports `app.py` as gunicorn would: without `APP_SECRET`, or with a weak one, "
               "it stops with one line; with a real secret it starts.\n\n"
               "一个新的 Python 进程像 gunicorn 那样导入 `app.py`：没有 `APP_SECRET`，或者密钥太弱，它只打印一行就停止；"
               "有了真正的密钥，它才会启动。"),
        ("code", 'import os\nimport subprocess\n\n\n'
                 'def start(**settings):\n'
                 '    """Import app.py in a new process with these environment\n'
                 '    variables; show how it ended."""\n'
                 '    env = {name: value for name, value in os.environ.items()\n'
                 '           if name not in ("APP_SECRET", "APP_ENV")}\n'
                 '    # Its database goes to the demo\'s temporary folder;\n'
                 '    # no .pyc files are written into steps/.\n'
                 '    env.update(APP_DATABASE=demo.app_under_demo.database,\n'
                 '               PYTHONDONTWRITEBYTECODE="1", **settings)\n'
                 '    result = subprocess.run(\n'
                 '        [sys.executable, "-c", "import app; print(\'Started.\')"],\n'
                 '        cwd=demo.folder, env=env, capture_output=True, text=True)\n'
                 '    print("exit code", result.returncode)\n'
                 '    print((result.stdout + result.stderr).strip())\n\n\n'
                 'start()'),
        ("code", 'start(APP_SECRET="dev")'),
        ("code", 'import secrets\n\nstart(APP_SECRET=secrets.token_hex())'),
        ("md", "## Security headers and the session cookie · 安全响应头与会话 cookie"),
        ("code", 'demo.code("app.py", "add_security_headers")'),
        ("code", 'headers = demo.get("/tasks").response.headers\n'
                 '{name: headers[name] for name in\n'
                 ' ("X-Content-Type-Options", "X-Frame-Options", "Referrer-Policy",\n'
                 '  "Content-Security-Policy")}'),
        ("code", 'added = demo.post("/tasks", summary="Deploy the task manager")\n'
                 'cookie = added.response.headers["Set-Cookie"]\n'
                 'print(added.headline())\n'
                 'print("session=…;" + cookie.split(";", 1)[1])'),
        ("md", "## Many tasks: counts and pages · 大量任务：计数与分页\n\n"
               "Ten thousand tasks go straight into the database. The triggers of `schema.sql` keep the counts row "
               "up to date; the dashboard reads that row and one page of 10 tasks, in the order of an index.\n\n"
               "一万个任务直接写进数据库。`schema.sql` 里的触发器让计数行保持最新；仪表盘只读这一行和一页 10 个任务，"
               "顺序由索引给出。"),
        ("code", 'demo.code("schema.sql")'),
        ("code", 'import sqlite3\n\n'
                 'db = sqlite3.connect(demo.app_under_demo.database)\n'
                 'db.executemany("INSERT INTO tasks (summary, done) VALUES (?, ?)",\n'
                 '               [(f"Task number {n}", n % 3 == 0) for n in range(1, 10_001)])\n'
                 'db.commit()\n'
                 'db.close()\n'
                 'demo.rows("SELECT total, done FROM task_counts")'),
        ("code", 'demo.get("/tasks?page=2")'),
        ("code", 'demo.get("/tasks?page=9999")'),
        ("code", 'demo.rows("EXPLAIN QUERY PLAN SELECT id, summary, done, created FROM tasks"\n'
                 '          " ORDER BY created DESC, id DESC LIMIT 10 OFFSET 10")'),
        ("code", 'import time\n\n'
                 'start_time = time.perf_counter()\n'
                 'page = demo.get("/tasks")\n'
                 'print(page.headline())\n'
                 'print(f"{(time.perf_counter() - start_time) * 1000:.1f} ms with 10,001 tasks")'),
        ("md", "## A backup while the app runs · 应用运行时的备份\n\n"
               "`flask backup` copies the database with SQLite's online backup API: one consistent, self-contained file.\n\n"
               "`flask backup` 用 SQLite 的在线备份 API 复制数据库：得到一个一致的、自成一体的文件。"),
        ("code", 'demo.code("app.py", "backup_command")'),
        ("code", 'backup = Path(demo.app_under_demo.tmp.name) / "backup.db"\n'
                 'print(demo.app.test_cli_runner().invoke(args=["backup", str(backup)]).output)'),
        ("code", 'copy = sqlite3.connect(backup)\n'
                 'print(copy.execute("PRAGMA integrity_check").fetchone()[0])\n'
                 'print(copy.execute("SELECT count(*), sum(done) FROM tasks").fetchone())\n'
                 'copy.close()'),
    ]),
    "08_package": ("A package, and tests you write", "包与自己写的测试", [
        ("md", "## The factory · 应用工厂\n\n`create_app()` makes a new app at each call: two apps share no configuration.\n\n"
               "`create_app()` 每调用一次就创建一个新应用：两个应用不共享配置。"),
        ("code", 'demo.code("taskman/__init__.py", "create_app")'),
        ("code", 'create_app = demo.app_under_demo.module.create_app\n'
                 'config = {"SECRET_KEY": "a-demo-secret-of-32-characters-or-more",\n'
                 '          "DATABASE": demo.app_under_demo.database}\n'
                 'first = create_app(dict(config, TESTING=True))\n'
                 'second = create_app(config)\n'
                 'first.config["WTF_CSRF_ENABLED"] = False\n'
                 'print(first is second, first.testing, second.testing,\n'
                 '      second.config.get("WTF_CSRF_ENABLED"))'),
        ("md", "## Blueprints · 蓝图\n\nEach endpoint carries its blueprint's name; the URLs are step 07's.\n\n"
               "每个端点都带着它蓝图的名字；URL 和第 07 步一样。"),
        ("code", 'sorted(rule.endpoint for rule in demo.app.url_map.iter_rules()\n'
                 '       if rule.endpoint != "static")'),
        ("code", 'demo.get("/tasks")'),
        ("code", 'demo.post("/tasks", summary="Write a test")'),
        ("code", 'demo.post("/tasks/99/toggle")'),
        ("md", "## The student's fixtures · 学生的夹具\n\nA new app per test, its database in a temporary folder.\n\n"
               "每个测试一个新应用，数据库放在临时文件夹里。"),
        ("code", 'demo.code("tests/conftest.py", "app")'),
        ("code", 'demo.code("tests/test_tasks.py", "test_a_form_without_its_csrf_token_is_refused")'),
        ("md", "## The command · 命令"),
        ("code", 'print(demo.app.test_cli_runner().invoke(args=["init-db"]).output)'),
    ]),
    "09_accounts": ("User accounts", "用户账户", [
        ("md", "## A page that needs an account · 需要账户的页面\n\n"
               "A visitor who is not signed in is sent to the sign-in form, with the page asked for in `next`.\n\n"
               "没有登录的访客会被送到登录表单，`next` 里带着他要的那个页面。"),
        ("code", 'demo.get("/tasks")'),
        ("md", "## Two people sign up · 两个人注册\n\n"
               "Ada signs up (and is signed in), adds a task and signs out; then Grace signs up.\n\n"
               "Ada 注册（注册后就已登录），添加一个任务，然后退出；接着 Grace 注册。"),
        ("code", 'demo.code("taskman/auth.py", "signup")'),
        ("code", 'demo.get("/signup")\n'
                 'demo.post("/signup", username="ada", email="ada@example.com",\n'
                 '          password="correct horse battery")'),
        ("code", 'demo.get("/tasks")\ndemo.post("/tasks", summary="Ada\'s secret plan")'),
        ("code", 'demo.get("/tasks")\ndemo.post("/logout")'),
        ("code", 'demo.get("/signup")\n'
                 'demo.post("/signup", username="grace", email="grace@example.com",\n'
                 '          password="correct horse battery")'),
        ("code", 'demo.get("/tasks")\ndemo.post("/tasks", summary="Grace\'s own task")'),
        ("md", "## Another user's task is not found · 别人的任务就是“不存在”\n\n"
               "Every query says `AND user_id = ?`: Ada's task 1 answers Grace exactly as task 99, which does not exist.\n\n"
               "每个查询都带着 `AND user_id = ?`：Ada 的 1 号任务给 Grace 的回答，和不存在的 99 号任务一模一样。"),
        ("code", 'demo.code("taskman/tasks.py", "find_task")'),
        ("code", 'demo.get("/tasks/1")'),
        ("code", 'demo.get("/tasks/99")'),
        ("code", 'demo.get("/api/tasks")'),
        ("md", "## The hash, not the password · 存的是哈希，不是密码\n\n"
               "Both chose the same password; the database holds two different salted scrypt hashes, and neither "
               "holds the password.\n\n"
               "两个人选了同一个密码；数据库里是两个不同的、加了盐的 scrypt 哈希，哪一个里面都没有密码本身。"),
        ("code", 'demo.rows("SELECT username,"\n'
                 '          " substr(password_hash, 1, 33) || \'…\' AS password_hash FROM users")'),
        ("code", 'hashes = [row[0] for row in demo.rows("SELECT password_hash FROM users")]\n'
                 'print("different hashes:", hashes[0] != hashes[1])\n'
                 'stored = Path(demo.app_under_demo.database).read_bytes()\n'
                 'print("password in the database file:", b"correct horse battery" in stored)'),
        ("md", "## A hostile next · 恶意的 next\n\n"
               "A link that would send the user, once signed in, to another site: the sign-in ignores it and goes to "
               "the dashboard.\n\n"
               "一个想在用户登录后把他送到别的网站去的链接：登录时不理会它，转到仪表盘。"),
        ("code", 'demo.code("taskman/auth.py", "is_safe_path")'),
        ("code", 'demo.get("/tasks")\ndemo.post("/logout")'),
        ("code", 'demo.get("/login?next=https://evil.example/")\n'
                 'demo.post("/login?next=https://evil.example/", username="ada",\n'
                 '          password="correct horse battery")'),
        ("md", "## One message · 同一条提示\n\n"
               "An unknown user and a wrong password get the same answer.\n\n"
               "用户不存在和密码错误，得到的回答完全一样。"),
        ("code", 'demo.get("/tasks")\ndemo.post("/logout")\ndemo.get("/login")\n'
                 'demo.post("/login", username="nobody", password="correct horse battery")'),
        ("code", 'demo.post("/login", username="ada", password="a wrong password")'),
        ("md", "## A cookie kept after signing out · 退出之后留下的 cookie\n\n"
               "Ada signs in and someone copies her session cookie; she signs out. The cookie still carries a valid "
               "signature, but the session id it names changed at sign-out: it signs nobody in.\n\n"
               "Ada 登录，有人复制了她的会话 cookie；然后她退出登录。这个 cookie 的签名依然有效，但它里面的会话 id "
               "在退出时已经换掉了：它谁也登录不了。"),
        ("code", 'demo.code("taskman/auth.py", "load_user")'),
        ("code", 'demo.post("/login", username="ada", password="correct horse battery")\n'
                 'copied = demo.client.get_cookie("session").value\n'
                 'demo.get("/tasks")\ndemo.post("/logout")'),
        ("code", 'demo.client.set_cookie("session", copied)\ndemo.get("/api/tasks")'),
    ]),
    "10_postgres": ("PostgreSQL, and several app servers", "PostgreSQL 与多台应用服务器", [
        ("md", "## The models · 模型\n\n"
               "The tables are Python classes; SQLAlchemy writes the SQL of the database in use. Here it is SQLite, "
               "because `DATABASE_URL` is not set: the same code runs on PostgreSQL.\n\n"
               "数据表是 Python 类；SQLAlchemy 写出所用数据库的 SQL。这里用的是 SQLite，因为没有设置 `DATABASE_URL`："
               "同样的代码也在 PostgreSQL 上运行。"),
        ("code", 'demo.code("taskman/models.py", "Task")'),
        ("code", 'models = demo.app_under_demo.module.models\n'
                 'with demo.app.app_context():\n'
                 '    engine = models.db.engine\n'
                 'print(engine.dialect.name, engine.driver)'),
        ("md", "## The migrations · 迁移\n\n"
               "Alembic records in the database which migration it has had. Ada signs up and adds a task with a due "
               "date; then the database goes down to the first migration (the due date's column goes, the task "
               "stays) and up again. The third migration gives every account a new session id on its way up, so "
               "Ada signs in once more.\n\n"
               "Alembic 在数据库里记下它运行到了哪个迁移。Ada 注册并添加一个有截止日期的任务；"
               "然后数据库降级到第一个迁移（截止日期这一列没了，任务还在），再升级回来。第三个迁移在升级时给每个账号换了新的会话 id，"
               "所以 Ada 要再登录一次。"),
        ("code", 'demo.code("migrations/versions/0002_due_date.py", "upgrade")'),
        ("code", 'demo.rows("SELECT version_num FROM alembic_version")'),
        ("code", 'demo.get("/signup")\n'
                 'demo.post("/signup", username="ada", email="ada@example.com",\n'
                 '          password="correct horse battery")\n'
                 'demo.get("/tasks")\n'
                 'demo.post("/tasks", summary="Hand in the report", due="2026-12-31")'),
        ("code", 'cli = demo.app.test_cli_runner()\n'
                 'print(cli.invoke(args=["db", "downgrade", "0001"]))\n'
                 'print([column for _, column, *rest in demo.rows("PRAGMA table_info(tasks)")])\n'
                 'demo.rows("SELECT id, summary FROM tasks")'),
        ("code", 'print(cli.invoke(args=["db", "upgrade"]))\n'
                 'print([column for _, column, *rest in demo.rows("PRAGMA table_info(tasks)")])\n'
                 'demo.rows("SELECT id, summary, due FROM tasks")'),
        ("code", 'demo.get("/login")\n'
                 'demo.post("/login", username="ada", password="correct horse battery")'),
        ("md", "## The SQL a page runs · 一个页面执行的 SQL\n\n"
               "An event of SQLAlchemy's engine records every statement sent to the database while the dashboard is "
               "drawn: the user, the counts row, one page of tasks.\n\n"
               "SQLAlchemy 引擎的一个事件记下画出仪表盘时发给数据库的每一条语句：用户、计数行、一页任务。"),
        ("code", 'import sqlalchemy as sa\n\n\n'
                 'def statements_of(url):\n'
                 '    """GET url and return the SQL statements it sent to the database, in order."""\n'
                 '    sent = []\n\n'
                 '    def record(connection, cursor, statement, parameters, context, executemany):\n'
                 '        sent.append(" ".join(statement.split()))\n\n'
                 '    sa.event.listen(engine, "before_cursor_execute", record)\n'
                 '    try:\n'
                 '        print(demo.get(url).headline())\n'
                 '    finally:\n'
                 '        sa.event.remove(engine, "before_cursor_execute", record)\n'
                 '    return sent\n\n\n'
                 'statements_of("/tasks")'),
        ("md", "## Counting in SQL, not with len() · 用 SQL 计数，而不是 len()\n\n"
               "Ten thousand more tasks go straight into the database, and the counts row with them. `len()` reads "
               "every task into Python to count them; `count(*)` counts in the database; the counts row is one row, "
               "whatever the number of tasks. The dashboard still runs three statements.\n\n"
               "再往数据库里直接写入一万个任务，计数行也跟着更新。`len()` 为了计数把每个任务都读进 Python；"
               "`count(*)` 在数据库里计数；计数行只有一行，不管有多少任务。仪表盘仍然只执行三条语句。"),
        ("code", 'import sqlite3\n'
                 'from contextlib import closing\n\n'
                 'with closing(sqlite3.connect(demo.app_under_demo.database)) as db:\n'
                 '    db.executemany("INSERT INTO tasks (summary, done, user_id) VALUES (?, ?, 1)",\n'
                 '                   [(f"Task number {n}", n % 3 == 0) for n in range(1, 10_001)])\n'
                 '    db.execute("UPDATE task_counts SET total = total + 10000,"\n'
                 '               " done = done + 3333 WHERE user_id = 1")\n'
                 '    db.commit()\n'
                 'demo.rows("SELECT total, done FROM task_counts")'),
        ("code", 'import time\n\n'
                 'Task, TaskCount = models.Task, models.TaskCount\n'
                 'ada_tasks = sa.select(Task).where(Task.user_id == 1)\n'
                 'with demo.app.app_context():\n'
                 '    for name, count in [\n'
                 '            ("len() of every task",\n'
                 '             lambda: len(models.db.session.scalars(ada_tasks).all())),\n'
                 '            ("SELECT count(*)", lambda: models.db.session.scalar(\n'
                 '                sa.select(sa.func.count()).select_from(ada_tasks.subquery()))),\n'
                 '            ("the counts row", lambda: models.db.session.get(TaskCount, 1).total)]:\n'
                 '        began = time.perf_counter()\n'
                 '        number = count()\n'
                 '        ms = (time.perf_counter() - began) * 1000\n'
                 '        print(f"{name:<20} {number:>6}  {ms:7.2f} ms")'),
        ("code", 'statements_of("/tasks?page=2")'),
    ]),
}


def build(step):
    """The notebook of a step, without outputs."""
    title, title_zh, cells = DEMOS[step]
    number = step.split("_")[0]
    intro = (f"# Step {number} demo: {title} · 第 {number} 步演示：{title_zh}\n\n"
             f"A live demonstration of `steps/{step}`: the code being taught, real requests and their responses, "
             "and the real server. Run the cells from the top.\n\n"
             f"`steps/{step}` 的课堂演示：讲解的代码、真实的请求与响应，以及真实的服务器。请从上往下依次运行。")
    notebook = nbformat.v4.new_notebook()
    notebook.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    notebook.cells.append(nbformat.v4.new_markdown_cell(intro))
    notebook.cells.append(nbformat.v4.new_code_cell(SETUP.format(step=step)))
    for kind, source in [*cells, *SERVER, ("code", "demo.close()")]:
        make = nbformat.v4.new_markdown_cell if kind == "md" else nbformat.v4.new_code_cell
        notebook.cells.append(make(source))
    return notebook


def execute(notebook, timeout=120):
    """Run every cell in docs/notebooks, as Jupyter would; raises CellExecutionError on a broken cell."""
    client = NotebookClient(notebook, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(NOTEBOOKS)}})
    client.execute()
    return notebook


def main(steps=None):
    """Write and run the demo notebook of each step named (3, 03 or 03_templates), or of every step."""
    NOTEBOOKS.mkdir(parents=True, exist_ok=True)
    for step in [resolve_step(name) for name in steps] if steps else DEMOS:
        notebook = execute(build(step))
        for index, cell in enumerate(notebook.cells):
            cell.id = f"{step}-{index}"   # stable ids, so a re-run changes only what really changed
        nbformat.write(notebook, NOTEBOOKS / f"{step}.ipynb")
        print(f"wrote docs/notebooks/{step}.ipynb")


if __name__ == "__main__":
    main(sys.argv[1:])
