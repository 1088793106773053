"""Grade a student's own tests (step 08 on) with seeded bugs: `python tutorial.py check 08` runs it after the suite.

    python -m tools.grade 08 --app-dir PATH [--lang zh|en]

1. run_tests()  the student's tests (PATH/tests) against their own app, in a temporary copy, with coverage:
                they must pass, and must leave the app's real database (instance/) alone;
2. mutants      each seeded bug (BUGS) is applied to a fresh copy of the folder, and the student's tests run
                against it, several at once: a bug that no test notices is "missed";
3. render()     the report: the coverage, each missed bug as a hint in the student's words (never its patch),
                and the time taken.

A seeded bug is a regular expression and its replacement in one of the step's files. A folder written
differently from the course's (the pattern is not found) has that bug left out, and the report says so.
"""
import argparse
import concurrent.futures
import difflib
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tutorial import IGNORED_NAMES, factory_package, resolve_step, student_language  # noqa: E402

# The copies and the tests' databases go to a RAM disk where there is one: SQLite's commits then wait for no disk.
SCRATCH = "/dev/shm" if os.path.isdir("/dev/shm") and os.access("/dev/shm", os.W_OK) else None
# tools/check.py names a file here: the suite's grading (tests/08_package/test_your_tests.py) writes its result to it.
RESULT_VARIABLE = "COURSE_GRADE_RESULT"
# A run of the student's tests on a mutant that takes longer than this is stopped (and counts as noticing the bug).
TIMEOUT = 120
# The run on the student's own app shares the machine with the mutants' runs: on a busy laptop it may take
# several times as long as alone, and stopping it would wrongly report the student's tests as failing.
OWN_APP_TIMEOUT = 600


def bug(name, file, pattern, replacement, zh, en, count=1):
    """A seeded bug: in `file` ({package} for the app's package), `pattern` becomes `replacement`;
    zh and en say, in a student's words, what a test should have noticed."""
    return {"name": name, "file": file, "pattern": pattern, "replacement": replacement, "count": count,
            "hint": {"zh": zh, "en": en}}


# A call's parentheses and everything in them, on one line or several, with calls nested two deep inside:
# the patterns below find the student's code however it is laid out.
CALL_ARGUMENTS = r"\((?:[^()]|\((?:[^()]|\([^()]*\))*\))*\)"


# Step 08's seeded bugs: mistakes a student makes, each one that a good test of the step notices.
BUGS = {
    "08_package": [
        bug("forgotten commit", "{package}/tasks.py",
            r"(INSERT INTO tasks[^\n]*\n(?:[^\n]*\n){0,4}?\s*)db\.commit\(\)", r"\1pass",
            "添加任务时忘了提交（commit）：新任务在这次请求结束时就丢了。你的测试里有没有在添加之后，用另一个请求把任务读回来？",
            "Adding a task forgets to commit: the new task is gone when the request ends. Does a test read the task "
            "back, with another request, after adding it?"),
        bug("missing CSRF check", "{package}/__init__.py",
            r"\n    return app\n", '\n    app.config["WTF_CSRF_ENABLED"] = False\n    return app\n',
            "应用不再检查 CSRF 令牌：别的网站伪造的表单也会被接受。有没有一个测试提交不带 csrf_token 的表单，并期望它被拒绝（400）？",
            "The app no longer checks the CSRF token: a form forged by another site is accepted. Does a test submit a "
            "form without its csrf_token and expect it to be refused (400)?"),
        bug("silent redirect on a missing id", "{package}/tasks.py",
            r"\n\s*if cursor\.rowcount == 0:\n\s*abort\(404[^\n]*", "", count=0,
            zh="切换或删除一个不存在的任务时，应用不再回答 404，而是悄悄重定向，像成功了一样。有没有一个测试对不存在的 id 提交表单？",
            en="Toggling or deleting a task that does not exist no longer answers 404: it redirects quietly, as if it "
               "had worked. Does a test post to an id that does not exist?"),
        bug("count off by one", "{package}/templates/tasks.html",
            r"\{\{ done \}\}</strong>", "{{ done + 1 }}</strong>",
            "仪表盘上“已完成”的数字多算了一个。有没有一个测试在完成几个任务后检查页面上的计数？",
            "The dashboard counts one done task too many. Does a test check the counts on the page after marking "
            "some tasks done?"),
        bug("purge deletes every task", "{package}/tasks.py",
            r"DELETE FROM tasks WHERE done = 1", "DELETE FROM tasks",
            "“清除已完成”把未完成的任务也删掉了。有没有一个测试在清除之后检查未完成的任务还在？",
            "Removing the done tasks removes the pending ones too. Does a test check that a pending task is still "
            "there after the purge?"),
        bug("toggle does nothing", "{package}/tasks.py",
            r"SET done = NOT done", "SET done = done",
            "点“完成”不再改变任务的状态（页面照样重定向，也照样显示“Task updated.”）。有没有一个测试在切换之后检查任务真的完成了？",
            "Marking a task done no longer changes it (the page still redirects and says \"Task updated.\"). Does a "
            "test check the task is done after toggling it?"),
        bug("no limit on a summary's length", "{package}/tasks.py",
            r"if len\(summary\) > MAX_SUMMARY:", "if False:",
            "太长的任务摘要不再被拒绝。有没有一个测试提交超过 300 个字符的摘要，并期望 400？",
            "A summary that is too long is no longer refused. Does a test submit one of more than 300 characters "
            "and expect 400?"),
        bug("an empty summary is stored", "{package}/tasks.py",
            r'return "A task needs a summary\."', "pass",
            "空的任务摘要不再被拒绝，一个空任务被存了下来。有没有一个测试提交空的（或只有空格的）摘要？",
            "An empty summary is no longer refused: an empty task is stored. Does a test submit an empty (or "
            "all-spaces) summary?"),
        bug("no redirect after adding", "{package}/tasks.py",
            r'(flash\("Task added\.", "success"\)\n\s*)return redirect\(url_for\("tasks\.tasks"\)\)',
            r'\1return render_dashboard()',
            "添加任务后不再重定向（Post/Redirect/Get）：刷新页面会再提交一次。有没有一个测试检查添加之后的回答是 302，去往 /tasks？",
            "Adding a task no longer redirects (Post/Redirect/Get): reloading the page submits it again. Does a test "
            "check that adding answers 302 to /tasks?"),
        bug("errors outside the layout", "{package}/__init__.py",
            r"\n\s*app\.register_error_handler\(HTTPException, show_error\)", "",
            "404 之类的错误页不再用网站的布局（没有导航），只是 Flask 的纯文本页。有没有一个测试打开不存在的页面并检查它的内容？",
            "A 404 (or any error) is no longer shown in the site's layout (no navigation), only Flask's plain page. "
            "Does a test open a page that does not exist and check what it shows?"),
        bug("connection left open", "{package}/db.py",
            r"\n\s*app\.teardown_appcontext\(close_db\)", "",
            "每个请求的数据库连接不再在请求结束时关闭。有没有一个测试检查连接在应用上下文结束后已经关闭？",
            "A request's database connection is no longer closed when the request ends. Does a test check that the "
            "connection is closed once the app context ends?"),
        bug("init-db says nothing", "{package}/db.py",
            r'click\.echo\(f"Initialized', 'str(f"Initialized',
            "flask init-db 不再打印任何东西。有没有一个测试用 runner 运行这个命令并检查它的输出？",
            "flask init-db no longer prints anything. Does a test run the command with the runner and check what "
            "it prints?"),
    ],
}

# Step 09's: three of step 08's, and mistakes with accounts (the owner's "user_id = ?" made true for everyone with
# "OR 1", so that the SQL still runs and only ownership is lost). Few enough that grading stays quick: each bug
# is one more run of the student's tests.
STILL_SEEDED = ("forgotten commit", "missing CSRF check", "silent redirect on a missing id")
BUGS["09_accounts"] = [seeded for seeded in BUGS["08_package"] if seeded["name"] in STILL_SEEDED] + [
    bug("password stored as typed", "{package}/auth.py",
        r"generate_password_hash\(\s*(\w+)[^)]*\)", r"\1", count=0,
        zh="密码原样存进了数据库，没有哈希（登录时的比较也就失败了）。有没有一个测试注册之后再登录，或者检查数据库里存的不是密码本身？",
        en="The password is stored as typed, not hashed (so signing in fails too). Does a test sign in after "
           "signing up, or check that the database does not hold the password itself?"),
    bug("another user's task opens", "{package}/tasks.py",
        r"(WHERE id = \? AND )user_id = \?", r"\1(user_id = ? OR 1)", count=0,
        zh="别人的任务也能打开、切换、删除：查询不再按主人过滤。有没有一个测试让第二个用户去访问第一个用户的任务，并期望 404？",
        en="Another user's task opens, toggles and deletes: the queries no longer keep to the owner. Does a test "
           "let a second user try the first one's task and expect 404?"),
    bug("the dashboard lists everyone's tasks", "{package}/tasks.py",
        r"(FROM tasks WHERE )user_id = \?([\"\s]*ORDER BY)", r"\1(user_id = ? OR 1)\2",
        zh="仪表盘列出了所有人的任务。有没有一个测试在两个用户各自添加任务后，检查每个人只看到自己的？",
        en="The dashboard lists everyone's tasks. Does a test check, after two users added tasks, that each sees "
           "only their own?"),
    bug("next leads anywhere", "{package}/auth.py",
        r"if not is_safe_\w+\(\w+\):", "if False:",
        zh="登录后的 next 可以指向任何网站（开放重定向）。有没有一个测试用 next=//evil.example 登录，并检查重定向留在本站？",
        en="After sign-in, next may lead to any site (an open redirect). Does a test sign in with "
           "next=//evil.example and check that the redirect stays on this site?"),
    bug("a different message for an unknown user", "{package}/auth.py",
        r'error="Wrong username or password\.",',
        'error=("Wrong username or password." if get_db().execute("SELECT 1 FROM users WHERE username_key = ?",'
        ' (username.lower(),)).fetchone() else "There is no such user."),',
        zh="用户名不存在时，登录页说的话和密码错误时不一样：别人可以借此试出谁有账号。有没有一个测试比较这两种回答？",
        en="An unknown username gets another message than a wrong password: anyone can find out who has an "
           "account. Does a test compare the two answers?"),
    bug("sign-out by GET", "{package}/auth.py",
        r'(@bp\.route\("/logout", methods=\[)"POST"\]', r'\1"GET", "POST"]',
        zh="GET /logout 也能退出登录：别的网站的一张图片就能让人退出。有没有一个测试期望 GET /logout 是 405？",
        en="GET /logout signs out too: an image on another site signs people out. Does a test expect 405 for "
           "GET /logout?"),
    bug("no limit on sign-ins", "{package}/auth.py",
        r"(wait, at = wait_for" + CALL_ARGUMENTS + r"\s*\n\s*)if wait:", r"\1if False:",
        zh="登录失败多少次都不受限制。有没有一个测试在几次失败之后期望 429？",
        en="Failed sign-ins are no longer limited. Does a test expect 429 after a few failures?"),
    bug("the session is not renewed", "{package}/auth.py",
        r"\n\s*session\.clear\(\)(\n\s*login_user\()", r"\1",
        zh="登录时不再换一个新会话：登录前放进会话的东西登录后还在（会话固定）。有没有一个测试在登录前往会话里放一个值，登录后检查它不见了？",
        en="Signing in no longer starts a new session: what the session held before is still there (session "
           "fixation). Does a test put a value in the session before signing in and check it is gone after?"),
    bug("sign-out leaves the session valid", "{package}/auth.py",
        r"(\n\s*)if current_user\.is_authenticated:", r"\1if False:",
        zh="退出登录时不再换掉用户的会话 id：退出之前复制下来的会话 cookie 退出之后照样能用。有没有一个测试保存退出前的 cookie，退出后再用它访问，并期望被送去登录？",
        en="Signing out no longer changes the user's session id: a session cookie copied before signing out still "
           "works after it. Does a test keep the cookie from before signing out, send it again afterwards, and "
           "expect to be sent to sign in?"),
    bug("a stranger locks the owner out", "{package}/auth.py",
        r'\(f"\{account\} \{address\}", config\["LOGIN_LIMIT"\]\)', '(account, config["LOGIN_LIMIT"])',
        zh="五次错误的密码，不管从哪个地址来，都会把账号的主人锁在外面：任何知道用户名的陌生人都能做到。有没有一个测试从别的地址输错几次密码，再检查主人从自己的地址仍能登录？",
        en="Five wrong passwords from any address lock the account's owner out: any stranger who knows the name "
           "can do it. Does a test fail a few times from another address, then check that the owner still signs "
           "in from their own?"),
    bug("no limit on sign-ups", "{package}/auth.py",
        r'(wait, _ = wait_for(?=\(\s*"signups")' + CALL_ARGUMENTS + r"\s*\n\s*)if wait:", r"\1if False:",
        zh="注册次数不受限制：每次注册都要算一次很慢的哈希，“用户名已被占用”还会告诉别人谁有账号。有没有一个测试从同一个地址注册多次，并期望 429？",
        en="Sign-ups are not limited: each one costs a slow hash, and \"That username is already taken.\" tells "
           "anyone who has an account. Does a test sign up many times from one address and expect 429?"),
]

# Step 10's: the data layer on Flask-SQLAlchemy and its migrations (a count the app keeps now that step 09's
# triggers are gone, db.create_all() for migrations, a step 09 database left unstamped, a new column required,
# NUL let through to the database), step 08's and 09's mistakes written in SQLAlchemy, and two of 09's as they were.
STILL_SEEDED_IN_10 = ("missing CSRF check", "password stored as typed", "next leads anywhere",
                      "sign-out leaves the session valid")
BUGS["10_postgres"] = [seeded for seeded in BUGS["09_accounts"] if seeded["name"] in STILL_SEEDED_IN_10] + [
    bug("forgotten commit", "{package}/tasks.py",
        r"(change_counts\(total=1\)\n\s*)db\.session\.commit\(\)", r"\1pass",
        "添加任务时忘了 db.session.commit()：请求结束时会话回滚，新任务就丢了。你的测试里有没有在添加之后，用另一个请求把任务读回来？",
        "Adding a task forgets db.session.commit(): the session is rolled back when the request ends and the new "
        "task is gone. Does a test read the task back, with another request, after adding it?"),
    bug("silent redirect on a missing id", "{package}/tasks.py",
        r"\n\s*if done is None:\n\s*abort\(404[^\n]*", "", count=0,
        zh="切换或删除一个不存在的任务时，应用不再回答 404，而是悄悄重定向，像成功了一样。有没有一个测试对不存在的 id 提交表单？",
        en="Toggling or deleting a task that does not exist no longer answers 404: it redirects quietly, as if it "
           "had worked. Does a test post to an id that does not exist?"),
    bug("another user's task changes", "{package}/tasks.py",
        r", Task\.user_id == current_user\.id\)", ")", count=0,
        zh="别人的任务也能切换、删除、被“清除已完成”删掉：这些语句不再按主人过滤。有没有一个测试让第二个用户去改第一个用户的任务，并期望 404、任务原样不动？",
        en="Another user's task toggles, deletes and goes with a purge: those statements no longer keep to the "
           "owner. Does a test let a second user try to change the first one's task, and expect 404 and the task "
           "unchanged?"),
    bug("everyone's tasks are listed", "{package}/tasks.py",
        r"select\(Task\)\.where\(Task\.user_id == current_user\.id\)", "select(Task)",
        zh="仪表盘、搜索和单个任务的页面显示了所有人的任务：查询任务的起点不再按主人过滤。有没有一个测试在两个用户各自添加任务后，检查每个人只看到自己的？",
        en="The dashboard, the search and a task's page show everyone's tasks: the query every read starts from "
           "no longer keeps to the owner. Does a test check, after two users added tasks, that each sees only "
           "their own?"),
    bug("a toggle is not counted", "{package}/tasks.py",
        r"\n\s*change_counts\(done=1 if done else -1\)", "",
        zh="切换任务后，计数行里“已完成”的数字不再改变：第 09 步由触发器计数，现在得由应用在同一个事务里做。有没有一个测试在完成几个任务后检查页面上的计数？",
        en="Toggling a task no longer changes the done count in the counts row: step 09's triggers did it, now the "
           "app must, in the same transaction. Does a test check the counts on the page after marking some tasks "
           "done?"),
    bug("db.create_all() instead of the migrations", "{package}/db.py",
        r"\n(\s*)flask_migrate\.upgrade\(\)", r"\n\1db.create_all()",
        zh="数据库由 db.create_all() 建表，不再运行迁移：没有 alembic_version，旧数据库也得不到新的列。有没有一个测试检查数据库记下了最新的迁移，或者在旧数据库上启动应用？",
        en="The tables are made by db.create_all(), not by the migrations: there is no alembic_version, and an old "
           "database never gets the new column. Does a test check that the database records the newest migration, "
           "or start the app on an old database?"),
    bug("a step 09 database is not stamped", "{package}/db.py",
        r"\n\s*if \"users\" in tables and \"alembic_version\" not in tables:\n\s*flask_migrate\.stamp\([^\n]*\)", "",
        zh="第 09 步的数据库不再先标记（stamp）为 0001：第一个迁移想再建一次已有的表，应用就启动不了。有没有一个测试在第 09 步的数据库上启动应用，并检查任务都还在？",
        en="A step 09 database is no longer stamped as revision 0001 first: the first migration tries to make its "
           "tables again and the app cannot start. Does a test start the app on a step 09 database and check that "
           "every task is still there?"),
    bug("step 09's triggers are kept", "migrations/versions/0002_due_date.py",
        r"for trigger in STEP_09_TRIGGERS:\n\s*op\.execute\([^\n]*\)", "pass",
        zh="升级第 09 步的数据库时，它的计数触发器留下了：应用也在计数，每个新任务就被算了两次。有没有一个测试在升级后的旧数据库上添加任务，再检查计数？",
        en="Upgrading a step 09 database keeps its counting triggers: the app counts too, so each new task is "
           "counted twice. Does a test add a task to an upgraded old database and check the counts?"),
    bug("the new column is required", "migrations/versions/0002_due_date.py",
        r"(op\.add_column\([^\n]*)nullable=True", r"\1nullable=False",
        zh="第二个迁移把截止日期加成了必填的列（NOT NULL），又没有默认值：已有任务的数据库升级不了，没有截止日期的新任务也加不进去。有没有一个测试在有任务的数据库上运行迁移，或者添加一个不带截止日期的任务？",
        en="The second migration adds the due date as a required column (NOT NULL) without a default: a database "
           "that holds tasks cannot be upgraded, and a new task without a due date cannot be added. Does a test run "
           "the migrations on a database that holds tasks, or add a task without a due date?"),
    bug("NUL reaches the database", "{package}/__init__.py",
        r"\n\s*app\.before_request\(refuse_nul_characters\)", "",
        zh="表单或地址里的 NUL 字符不再被拒绝：SQLite 照样存下，PostgreSQL 的 text 却存不了，就是 500。有没有一个测试提交带 \\x00 的摘要，并期望 400、什么也没存？",
        en="A NUL character in a form or an address is no longer refused: SQLite stores it, PostgreSQL's text "
           "cannot, a 500. Does a test submit a summary holding \\x00 and expect 400, with nothing stored?"),
]

TEXT = {
    "zh": {
        "head": "你自己的测试（{folder}/tests）",
        "none": "没有找到你的测试：在 {folder} 里建一个 tests 文件夹，写上 conftest.py 和 test_*.py（见页面上的“写测试”）。",
        "fail": "你的测试在你自己的应用上没有全部通过（pytest 退出码 {code}）。先让它们通过，再来看埋下的错误：\n{output}",
        "coverage": "覆盖率：你的测试运行到了 {package} 里 {percent}% 的代码（行和分支）。没有运行到的行，任何错误都不会被发现。",
        "real_db": "你的测试写进了应用真正的数据库（{path}）：让 app 夹具把 DATABASE 设为 tmp_path 里的文件。",
        "caught": "埋下的 {total} 个错误，你的测试发现了 {caught} 个。",
        "all": "每一个都被至少一个测试发现了。做得好！",
        "missed": "这些错误没有任何测试发现（给你的提示，不是答案）：",
        "skipped": "这些错误在你的代码里找不到可以埋的位置，所以没有检查：",
        "time": "用时 {seconds:.0f} 秒（{runs} 次测试运行，{workers} 个同时进行）。",
    },
    "en": {
        "head": "Your own tests ({folder}/tests)",
        "none": "No tests of yours were found: make a tests folder in {folder}, with conftest.py and test_*.py files "
                "(the page's \"Writing tests\").",
        "fail": "Your tests do not all pass on your own app (pytest exited with {code}). Make them pass first, then "
                "the seeded bugs are checked:\n{output}",
        "coverage": "Coverage: your tests reach {percent}% of {package} (its lines and branches). A line no test reaches "
                    "could hold any bug unnoticed.",
        "real_db": "Your tests wrote into the app's real database ({path}): let the app fixture set DATABASE to a "
                   "file in tmp_path.",
        "caught": "Your tests noticed {caught} of the {total} seeded bugs.",
        "all": "Every one was noticed by at least one test. Well done!",
        "missed": "No test noticed these (hints, not answers):",
        "skipped": "These bugs found no place in your code to be seeded, so they were not checked:",
        "time": "Time: {seconds:.0f} s ({runs} test runs, {workers} at a time).",
    },
}


def applies(step):
    """Whether this step grades the student's own tests."""
    return step in BUGS


def copy_folder(folder, target):
    """A copy of the student's folder without caches, environments and databases."""
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns(*IGNORED_NAMES, "*.pyc", "*.db", "*.sqlite*",
                                                                  ".coverage*"))
    return Path(target)


def seed(copy, seeded):
    """Apply a seeded bug to the copy: the file it changed (relative to the copy) and the line numbers of the
    original file that the change touches, or None when its pattern is not found there."""
    relative = seeded["file"].format(package=factory_package(copy) or "")
    path = copy / relative
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    changed, count = re.subn(seeded["pattern"], seeded["replacement"], text, count=seeded["count"])
    if not count:
        return None
    path.write_text(changed, encoding="utf-8")
    return Path(relative).as_posix(), touched_lines(text, changed)


def touched_lines(before, after):
    """The lines of `before` that a change touches, and the few lines above each: coverage counts a statement
    that spans lines on its first line, and a line inserted between two counts as touching both."""
    matcher = difflib.SequenceMatcher(None, before.splitlines(), after.splitlines(), autojunk=False)
    lines = set()
    for tag, start, end, _, _ in matcher.get_opcodes():
        if tag != "equal":
            lines.update(range(max(1, start - 2), end + 2))
    return lines


def test_environment():
    """The environment the student's tests run in: the course's Python, none of the course's settings."""
    env = {name: value for name, value in os.environ.items() if not name.startswith(("APP_", "FLASK_"))}
    env.update(PYTHONDONTWRITEBYTECODE="1", PYTEST_DISABLE_PLUGIN_AUTOLOAD="1")
    return env


def run_tests(copy, extra=(), stop_at_first=False, timeout=TIMEOUT, only=None, **env):
    """Run the student's tests inside `copy` (python -m pytest, so the package imports): (exit code, output).
    `only`: the node ids of the tests to run (read from a file, as pytest reads @file: no command line is too long)."""
    selection = ["tests"]
    if only:
        listed = copy.parent / "selected-tests.txt"
        listed.write_text("\n".join(only) + "\n", encoding="utf-8")
        selection = [f"@{listed}"]
    command = [sys.executable, "-m", "pytest", *selection, "-q", "-p", "no:cacheprovider", "--basetemp",
               str(copy.parent / "pytest"), "-o", "addopts=", "--tb=line", *extra]
    if stop_at_first:
        command.append("-x")
    try:
        result = subprocess.run(command, cwd=copy, env=dict(test_environment(), **env), capture_output=True, text=True,
                                timeout=timeout)
    except subprocess.TimeoutExpired:
        return -1, "timeout"
    return result.returncode, result.stdout + result.stderr


def tests_reaching(data_file, copy):
    """{file relative to the copy: {line: the node ids of the tests that ran it}} from a coverage data file
    written with pytest-cov's --cov-context=test; a line run outside any test (while a module is imported by
    the collection) is reached by "" too."""
    from coverage import CoverageData

    data = CoverageData(basename=str(data_file))
    data.read()
    reached = {}
    for measured in data.measured_files():
        try:
            relative = Path(measured).resolve().relative_to(Path(copy).resolve()).as_posix()
        except ValueError:
            continue
        reached[relative] = {line: {context.rsplit("|", 1)[0] for context in contexts}
                             for line, contexts in data.contexts_by_lineno(measured).items()}
    return reached


def selection_for(reached, changed):
    """The tests to run against a mutant: those that ran a line its bug touches, or None for all of them
    (the bug is in a file coverage did not measure, or in a line run while modules were imported)."""
    if reached is None or changed is None:
        return None
    relative, lines = changed
    if relative not in reached:
        return None
    tests = set()
    for line in lines:
        tests |= reached[relative].get(line, set())
    if "" in tests:
        return None
    return sorted(tests)


def run_mutant(folder, seeded, reached=None):
    """The student's tests against a copy of the folder with one seeded bug: "caught", "missed" or "skipped".

    A test that never runs the lines the bug touches cannot notice it: with `reached` (what coverage saw on
    the student's own app), only the tests that run those lines are run, and the run stops at the first that
    fails. A line no test runs is a bug missed at once, with no run at all.
    """
    with tempfile.TemporaryDirectory(prefix="flask-course-mutant-", dir=SCRATCH, ignore_cleanup_errors=True) as tmp:
        copy = copy_folder(folder, Path(tmp) / "app")
        changed = seed(copy, seeded)
        if changed is None:
            return "skipped"
        only = selection_for(reached, changed)
        if only == []:
            return "missed"
        code, _ = run_tests(copy, stop_at_first=True, only=only)
        if only and code in (3, 4, 5):  # a test id pytest could not find: run every test instead
            code, _ = run_tests(copy, stop_at_first=True)
        return "missed" if code == 0 else "caught"


def grade(step, folder, workers=None):
    """Grade the student's tests in `folder`: the result as data (render() turns it into the report).

    First the student's tests on their own app, with coverage per test; then each seeded bug, several at once,
    with only the tests that reach it (run_mutant)."""
    started = time.monotonic()
    folder = Path(folder).resolve()
    result = {"step": step, "folder": str(folder), "passed": False, "bugs": []}
    if not (folder / "tests").is_dir() or not list((folder / "tests").glob("test_*.py")):
        result.update(state="none", seconds=time.monotonic() - started)
        return result
    package = factory_package(folder)
    bugs = BUGS[step]
    workers = workers or max(2, min(len(bugs), os.cpu_count() or 1))
    with tempfile.TemporaryDirectory(prefix="flask-course-grade-", dir=SCRATCH, ignore_cleanup_errors=True) as tmp:
        copy = copy_folder(folder, Path(tmp) / "app")
        report, data_file = Path(tmp) / "coverage.json", Path(tmp) / ".coverage"
        coverage = (["-p", "pytest_cov", f"--cov={package}", "--cov-branch", "--cov-context=test",
                     f"--cov-report=json:{report}"] if package else [])
        code, output = run_tests(copy, coverage, timeout=OWN_APP_TIMEOUT, COVERAGE_FILE=str(data_file))
        real_database = copy / "instance" / "tasks.db"
        result["real_database"] = str(real_database.relative_to(copy)) if real_database.exists() else None
        if report.is_file():
            totals = json.loads(report.read_text(encoding="utf-8"))["totals"]
            result["coverage"] = round(totals["percent_covered"], 1)
        result["package"] = package
        if code != 0:
            # pytest's last lines, without its separators and coverage's note of where its report went
            said = [line for line in output.strip().splitlines()
                    if line.strip() and not line.startswith(("===", "Coverage JSON written", "Coverage "))]
            result.update(state="failing", code=code, output="\n".join(said[-4:]),
                          seconds=time.monotonic() - started)
            return result
        reached = tests_reaching(data_file, copy) if data_file.is_file() else None
    with concurrent.futures.ThreadPoolExecutor(workers) as pool:
        outcomes = list(pool.map(lambda seeded: run_mutant(folder, seeded, reached), bugs))
    result["bugs"] = [{"name": seeded["name"], "hint": seeded["hint"], "outcome": outcome}
                      for seeded, outcome in zip(bugs, outcomes)]
    missed = [entry for entry in result["bugs"] if entry["outcome"] == "missed"]
    result.update(state="graded", passed=not missed and not result["real_database"], runs=len(bugs) + 1,
                  workers=workers, seconds=time.monotonic() - started)
    return result


def first_sentence(text):
    """The first sentence of a hint, in either language: what the seeded bug does."""
    for end in ("。", "？", ". ", "? "):
        text = text.split(end)[0] + (end.strip() if end in text else "")
    return text


def render(result, language, with_time=True):
    """The part of the report about the student's own tests, in `language` (the coach's report gives the time of
    the whole check instead: `with_time`)."""
    text = TEXT[language]
    shown = result.get("display") or result["folder"]
    lines = [text["head"].format(folder=shown), ""]
    if result["state"] == "none":
        return "\n".join(lines + [text["none"].format(folder=shown)]) + "\n"
    if result.get("coverage") is not None:
        lines.append(text["coverage"].format(percent=result["coverage"], package=result["package"]))
    if result.get("real_database"):
        lines.append(text["real_db"].format(path=result["real_database"]))
    if result["state"] == "failing":
        lines.append(text["fail"].format(code=result["code"], output=result["output"]))
        return "\n".join(lines) + "\n"
    counted = [entry for entry in result["bugs"] if entry["outcome"] != "skipped"]
    caught = [entry for entry in counted if entry["outcome"] == "caught"]
    lines.append(text["caught"].format(caught=len(caught), total=len(counted)))
    missed = [entry for entry in counted if entry["outcome"] == "missed"]
    if missed:
        lines.append(text["missed"])
        lines += [f"  - {entry['hint'][language]}" for entry in missed]
    else:
        lines.append(text["all"])
    skipped = [entry for entry in result["bugs"] if entry["outcome"] == "skipped"]
    if skipped:
        # Each by the first sentence of its hint, in the report's language (the names are the course's, in English).
        lines.append(text["skipped"])
        lines += [f"  - {first_sentence(entry['hint'][language])}" for entry in skipped]
    if with_time:
        lines.append(text["time"].format(seconds=result["seconds"], runs=result["runs"], workers=result["workers"]))
    return "\n".join(lines) + "\n"


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.grade", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", help="a step that grades its tests (08)")
    parser.add_argument("--app-dir", metavar="PATH", help="your folder (default: the course's own step)")
    parser.add_argument("--lang", choices=["zh", "en"], help="the report's language (default: from the locale)")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON to FILE")
    args = parser.parse_args(argv)
    step = resolve_step(args.step)
    if not applies(step):
        parser.error(f"step {step} does not grade its own tests")
    folder = Path(args.app_dir).resolve() if args.app_dir else ROOT / "steps" / step
    result = grade(step, folder)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    sys.stdout.write(render(result, student_language(args.lang)))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
