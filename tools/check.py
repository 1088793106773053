"""The coach behind `python tutorial.py check NN` and `progress`: grade a student's folder, name the cause.

    python -m tools.check 05 --app-dir PATH [--lang zh|en] [--verbose] [--watch] [--json FILE]
    python -m tools.check progress --app-dir WORKDIR [--lang zh|en]

A check runs in four parts, each a function below:
  1. structural_problem()  what stops every test at once (no app.py, no `app`, a syntax or import error, a
                           template or static file missing), said once, in one paragraph;
  2. run_suite()           the step's suite in this process against a temporary copy of the folder (so a
                           relative database path lands in the copy), the results collected by the
                           Collector plugin as data, not parsed from pytest's text;
  3. rank()                the concepts in the page's teaching order, the root cause first: a failure whose
                           cause is known (tests/support/messages.py) names the concept that teaches it;
  4. render()              the report in the student's language: a line per concept, the first expanded.
"""
import time

STARTED = time.monotonic()  # the report's time line counts from here: the imports below are part of the wait

import argparse  # noqa: E402
import ast  # noqa: E402
import contextlib  # noqa: E402
import io  # noqa: E402
import json  # noqa: E402
import os  # noqa: E402
import re  # noqa: E402
import shutil  # noqa: E402
import subprocess  # noqa: E402
import sys  # noqa: E402
import tempfile  # noqa: E402
import traceback  # noqa: E402
from pathlib import Path  # noqa: E402

import pytest  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
for path in (ROOT, ROOT / "tests"):
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

import tutorial  # noqa: E402
from tools import grade  # noqa: E402
from tutorial import IGNORED_NAMES, STEPS, factory_package, folder_files, resolve_step, student_language  # noqa: E402

# Rewritten test modules are cached here between checks (never beside the tests): a warm check skips that work.
PYCACHE = ROOT / ".venv" / "pycache-check"
# The temporary copy and the tests' databases go where the grading's go: a RAM disk where there is one.
SCRATCH = grade.SCRATCH

# The two tiers of a check, as pytest -m expressions. The first runs in this process, in seconds: the concepts the
# step teaches, in the page's order, and the report. Only when it passes does the second start, a part at a time:
# what earlier steps taught, checked again, and the longer checks: at scale, the full fuzzer, a new process per
# test (marker `later`); the tests that start real servers (gunicorn, nginx: not the container builds, which take
# minutes and root, and which CI runs); the grading of the student's own tests (step 08 on). These parts run at once,
# each in a process of its own (Elsewhere).
TIERS = [("in-process", "not servers and not grading and not later"),
         ("later", "later and not servers and not grading"),
         ("servers", "servers and not grading and not containers"),
         ("grading", "grading")]
# What --fast runs (the course's own tests of the coach and of the exercises): the first tier alone.
FAST = TIERS[0][1]

# The concept of the grading of the student's own tests (tests/08_package/test_your_tests.py).
GRADED_TESTS = "graded-tests"

# Every sentence of the report's frame, in both languages.
TEXT = {
    "zh": {
        "head": "检查 {folder}，对照第 {number} 步（{name}）",
        "pass": "通过", "fail": "未通过", "skip": "跳过",
        "counts_pass": "{passed} 项通过", "counts_fail": "{failed}/{total} 项未通过",
        "first": "先改这一项：{title}",
        "cause": "原因：", "change": "怎么改：", "proof": "证据：", "read": "去读：",
        "generic_change": "让这项检查通过；它要求的内容见页面上的“检查要求什么”。",
        "read_line": "{zh}（英文：{en}）",
        "serve": "用 python tutorial.py serve 打开课程，再访问 http://127.0.0.1:8000 加上面的路径。",
        "more": "还有 {count} 个概念未通过；先改上面这一个，然后再检查一次。",
        "one_more": "还有 1 个概念未通过；先改上面这一个，然后再检查一次。",
        "verbose": "完整的 pytest 输出：加上 --verbose。",
        "all_pass": "全部通过：{count} 个概念，{tests} 项检查。做得好！",
        "not_run": "检查没能运行这一步的测试（pytest 的退出码是 {code}），所以还不能算通过。加上 --verbose 可以看到原因。",
        "structural": "还没有运行任何检查：",
        "repo": "检查往课程仓库里写了文件（这不该发生，请告诉老师）：",
        "watch": "正在监视 {folder}：保存文件后会重新检查。按 Ctrl+C 结束。",
        "progress_head": "{workdir} 里的进度",
        "progress_cols": ("步骤", "文件夹", "状态"),
        "progress_passed": "通过", "progress_missing": "还没开始",
        "progress_failing": "未通过：{title}", "progress_broken": "无法运行：{what}",
        "progress_crashed": "检查没能完成：单独运行 python tutorial.py check 这一步，看看原因",
        "first_pass": "第一轮通过：{count} 个概念，{tests} 项检查（{seconds:.1f} 秒）。接着是较慢的第二轮：",
        "waits": "要等上面这些都通过之后才会运行的：{parts}。",
        "part_later": "再查一遍前面各步教过的内容，以及大数据量下和耗时较长的检查",
        "part_servers": "启动真实服务器的检查", "part_grading": "用埋下的错误给你自己的测试评分",
        "part_done": "{state}：{tests} 项，{seconds:.0f} 秒",
        "time_one": "用时：{first:.1f} 秒。",
        "time_two": "用时：第一轮结论 {first:.1f} 秒，整个检查 {total:.1f} 秒。",
    },
    "en": {
        "head": "Checking {folder} against step {number} ({name})",
        "pass": "pass", "fail": "FAIL", "skip": "skip",
        "counts_pass": "{passed} passed", "counts_fail": "{failed} of {total} failed",
        "first": "Fix this first: {title}",
        "cause": "Cause:  ", "change": "Change: ", "proof": "Proof:  ", "read": "Read:   ",
        "generic_change": "Make this check pass; what it requires is in the page's \"What the checks expect\".",
        "read_line": "{en} (Chinese: {zh})",
        "serve": "Open the course with python tutorial.py serve, then http://127.0.0.1:8000 plus the path above.",
        "more": "{count} more concepts fail; fix the one above first, then check again.",
        "one_more": "1 more concept fails; fix the one above first, then check again.",
        "verbose": "The whole pytest output: add --verbose.",
        "all_pass": "Everything passes: {count} concepts, {tests} checks. Well done!",
        "not_run": "The check could not run this step's tests (pytest's exit code was {code}), so nothing counts as passed yet. "
                   "Add --verbose to see why.",
        "structural": "No check has run yet:",
        "repo": "The check wrote into the course's repository (it should not; please tell your teacher):",
        "watch": "Watching {folder}: every save checks again. Ctrl+C stops.",
        "progress_head": "Progress in {workdir}",
        "progress_cols": ("step", "folder", "state"),
        "progress_passed": "passed", "progress_missing": "not started",
        "progress_failing": "failing: {title}", "progress_broken": "cannot run: {what}",
        "progress_crashed": "the check did not finish: run python tutorial.py check for this step alone to see why",
        "first_pass": "The first tier passes: {count} concepts, {tests} checks ({seconds:.1f} s). Now the slower second tier:",
        "waits": "Once everything above passes, these run too: {parts}.",
        "part_later": "What earlier steps taught, checked again, and the longer checks",
        "part_servers": "Checks that start real servers", "part_grading": "Grading your own tests with seeded bugs",
        "part_done": "{state}: {tests} checks in {seconds:.0f} s",
        "time_one": "Time: {first:.1f} s.",
        "time_two": "Time: the first verdict in {first:.1f} s, the whole check in {total:.1f} s.",
    },
}

# The structural problems, each one paragraph in both languages.
PROBLEMS = {
    "no-folder": {
        "zh": "没有文件夹 {folder}。请用 --app-dir 指向你写这一步的文件夹。",
        "en": "There is no folder {folder}. Point --app-dir at the folder where you wrote this step.",
    },
    "no-app-py": {
        "zh": "{folder} 里没有 app.py。每一步的 Flask 应用都写在 app.py 里，对象名叫 app，这样 flask run 和检查才能找到它。",
        "en": "There is no app.py in {folder}. Every step keeps its Flask app in app.py, as an object named app, "
              "so that `flask run` and the checks find it.",
    },
    "other-module": {
        "zh": "{folder} 里没有 app.py，但 {module} 里创建了一个 Flask 对象，名叫 {name}。"
              "把 {module} 改名为 app.py，并把 {name} 改名为 app（app = Flask(__name__)），这样 flask run 和检查才能找到它。",
        "en": "There is no app.py in {folder}, but {module} makes a Flask object named {name}. Rename {module} to "
              "app.py and {name} to app (app = Flask(__name__)), so that `flask run` and the checks find it.",
    },
    "other-name": {
        "zh": "app.py 创建了 Flask 对象，但它的名字是 {name}，不是 app。把它改成 app = Flask(__name__)"
              "（也要改掉所有 @{name}.route），这样 flask run 和检查才能找到它。",
        "en": "app.py makes its Flask object under the name {name}, not app. Write app = Flask(__name__) (and "
              "@app.route instead of @{name}.route), so that `flask run` and the checks find it.",
    },
    "no-app": {
        "zh": "app.py 能导入，但里面没有名叫 app 的对象。写上 app = Flask(__name__)，这样 flask run 和检查才能找到它。",
        "en": "app.py imports, but defines no object named app. Write app = Flask(__name__), so that `flask run` "
              "and the checks find it.",
    },
    "syntax": {
        "zh": "{file} 第 {line} 行有语法错误：{message}\n    {code}\nPython 读不懂这个文件，所以一项检查都运行不了。改好这一行（也看看它上面一行）再检查。",
        "en": "{file}, line {line} has a syntax error: {message}\n    {code}\nPython cannot read the file, so no "
              "check can run. Fix that line (and look at the one above it), then check again.",
    },
    "import": {
        "zh": "导入 app.py 时出错，所以一项检查都运行不了：\n{where}\n{error}\n改好它，再检查。",
        "en": "Importing app.py failed, so no check can run:\n{where}\n{error}\nFix it, then check again.",
    },
    "no-factory": {
        "zh": "{folder} 里没有应用工厂。从第 08 步起，应用由一个包来创建：一个文件夹（taskman/），里面的 __init__.py "
              "定义 create_app(test_config=None) 并返回应用，这样 flask --app taskman run、gunicorn 和检查才能找到它。",
        "en": "There is no application factory in {folder}. From step 08 on, a package makes the app: a folder "
              "(taskman/) whose __init__.py defines create_app(test_config=None) and returns the app, so that "
              "`flask --app taskman run`, gunicorn and the checks find it.",
    },
    "encoding": {
        "zh": "{file} 不是用 UTF-8 保存的（第 {line} 行有 UTF-8 读不懂的字节，可能是 GBK，也就是记事本里的“ANSI”）。"
              "Python、Flask 和检查都按 UTF-8 读文件。用 UTF-8 重新保存它：记事本里“另存为”，编码选“UTF-8”；"
              "VS Code 里点右下角的编码，选“通过编码保存”，再选“UTF-8”。然后再检查。",
        "en": "{file} is not saved as UTF-8 (line {line} holds bytes UTF-8 cannot read: GBK perhaps, Notepad's "
              "\"ANSI\"). Python, Flask and the checks read files as UTF-8. Save it again as UTF-8: in Notepad, "
              "Save As with the encoding \"UTF-8\"; in VS Code, click the encoding at the bottom right, \"Save with "
              "Encoding\", then \"UTF-8\". Then check again.",
    },
    "bom": {
        "zh": "{file} 是用“带 BOM 的 UTF-8”保存的：文件开头有一个看不见的字符（U+FEFF）。Jinja 会把它原样放进页面，"
              "排在 <!doctype html> 前面，浏览器因此进入“怪异模式”；SQL 脚本里它会变成语句的一部分。用不带 BOM 的 UTF-8 "
              "重新保存：VS Code 里点右下角的“UTF-8 with BOM”，选“通过编码保存”，再选“UTF-8”；记事本里“另存为”，编码选“UTF-8”"
              "（不是“带有 BOM 的 UTF-8”）。然后再检查。",
        "en": "{file} is saved as \"UTF-8 with BOM\": it starts with an invisible character (U+FEFF). Jinja copies it "
              "into the page, before <!doctype html>, which puts browsers in quirks mode; in an SQL script it becomes "
              "part of a statement. Save it as UTF-8 without a BOM: in VS Code, click \"UTF-8 with BOM\" at the "
              "bottom right, \"Save with Encoding\", then \"UTF-8\"; in Notepad, Save As with the encoding "
              "\"UTF-8\" (not \"UTF-8 with BOM\"). Then check again.",
    },
    "missing-files": {
        "zh": "这一步需要的文件在 {folder} 里找不到：{files}。页面会用到它们（render_template、url_for('static', ...)）。"
              "把它们放到和课程里同样的位置，再检查。",
        "en": "Files this step needs are missing from {folder}: {files}. Its pages use them (render_template, "
              "url_for('static', ...)). Put them where the course's step has them, then check again.",
    },
}


def say(language, key, **values):
    """A sentence of the report's frame in `language`."""
    return TEXT[language][key].format(**values)


def waiting_parts(names, language):
    """The second tier's parts still to run, named in `language`, in one phrase: only those the step has
    (no grading before step 08)."""
    labels = [say(language, "part_" + name) for name in names]
    if language == "en":
        labels = [label[0].lower() + label[1:] for label in labels]
    return ("；" if language == "zh" else "; ").join(labels)


def step_name(step):
    """("05", "sqlite") for "05_sqlite"."""
    number, _, name = step.partition("_")
    return number, name


# 1. Structural problems -------------------------------------------------------------------------------

def flask_objects(path):
    """The names that a module binds to Flask(...) at its top level: ["web"] for `web = Flask(__name__)`."""
    tree = ast.parse(path.read_bytes(), str(path))
    names = []
    for node in tree.body:
        if isinstance(node, (ast.Assign, ast.AnnAssign)) and isinstance(node.value, ast.Call):
            func = node.value.func
            if (isinstance(func, ast.Name) and func.id == "Flask") or (
                    isinstance(func, ast.Attribute) and func.attr == "Flask"):
                targets = node.targets if isinstance(node, ast.Assign) else [node.target]
                names += [target.id for target in targets if isinstance(target, ast.Name)]
    return names


def python_files(folder):
    """The student's Python files (not in caches or virtual environments)."""
    return [folder / name for name in folder_files(folder) if name.endswith(".py")]


# The files that Python, Jinja, SQLite's scripts and the browser read as UTF-8 text.
TEXT_SUFFIXES = (".py", ".html", ".css", ".js", ".sql")


def encoding_problem(folder):
    """The first text file of the folder that is not saved as it can be read, as (kind, values), or None:
    "encoding" for a file that is not UTF-8 (with the line that is not), "bom" for a template or SQL script
    that starts with a byte order mark.

    Python reads a module saved as "UTF-8 with BOM" (Notepad's, VS Code's) as it reads plain UTF-8, and so do
    browsers with a stylesheet; but Jinja copies the mark into the page, before <!doctype html> (where it puts
    the browser in quirks mode), and SQLite reads it as the start of a statement.
    """
    for name in folder_files(folder):
        if name.endswith(TEXT_SUFFIXES):
            data = (folder / name).read_bytes()
            try:
                data.decode("utf-8-sig")
            except UnicodeDecodeError as error:
                return "encoding", {"file": name, "line": data[:error.start].count(b"\n") + 1}
            if data.startswith(b"\xef\xbb\xbf") and name.endswith((".html", ".sql")):
                return "bom", {"file": name}
    return None


def needed_files(step):
    """The templates and static files of the course's own step: the pages of the step use them."""
    return [name for name in folder_files(ROOT / "steps" / step) if name.startswith(("templates/", "static/"))]


def app_environment(folder):
    """What the suite's fixtures set before an app loads: a real secret and a database in `folder`."""
    database = str(Path(folder) / "tasks.db")
    return {"APP_SECRET": "a-test-secret-that-is-long-enough-for-production", "APP_DATABASE": database,
            "FLASK_DATABASE": database}


def import_problem(folder):
    """Import app.py as the tests do, its database in `folder` (the temporary copy); a problem when the
    import fails or makes no `app`."""
    from tools.steps import environment, load_app_module

    try:
        with environment(**app_environment(folder)), contextlib.redirect_stdout(io.StringIO()):
            load_app_module(folder)
    except AttributeError as error:
        if "no object named app" in str(error):
            return "no-app", {}
        return import_failure(error, folder)
    except BaseException as error:  # a student's app may raise anything, even SystemExit, while it loads
        if isinstance(error, KeyboardInterrupt):
            raise
        return import_failure(error, folder)
    return None


def import_failure(error, folder):
    """The frames of the student's own files in an import error, and the error's last line."""
    frames = [frame for frame in traceback.extract_tb(error.__traceback__)
              if Path(frame.filename).resolve().is_relative_to(Path(folder).resolve())]
    where = "\n".join(f"    {Path(frame.filename).name}, line {frame.lineno}: {(frame.line or '').strip()}"
                      for frame in frames[-3:])
    if isinstance(error, SyntaxError) and error.filename:
        where = f"    {Path(error.filename).name}, line {error.lineno}: {(error.text or '').strip()}"
    error_line = "".join(traceback.format_exception_only(type(error), error)).strip().splitlines()[-1]
    return "import", {"where": where or "    app.py", "error": f"    {error_line}"}


def structural_problem(step, folder, display=None):
    """The first problem that stops every test, as (kind, values), or None. Checked in this order:
    the folder, app.py (or another module with the Flask object), syntax, the object's name, the step's
    templates and static files, and importing app.py."""
    folder = Path(folder)
    shown = display or str(folder)
    if not folder.is_dir():
        return "no-folder", {"folder": shown}
    badly_saved = encoding_problem(folder)
    if badly_saved:
        return badly_saved
    sources = python_files(folder)
    for source in sources:
        try:
            # The bytes, as Python reads a module: a byte order mark at the start is allowed.
            ast.parse(source.read_bytes(), str(source))
        except SyntaxError as error:
            return "syntax", {"file": source.relative_to(folder).as_posix(), "line": error.lineno,
                              "message": error.msg, "code": (error.text or "").strip()}
    factory_step = factory_package(ROOT / "steps" / step) is not None
    if factory_step and not factory_package(folder):
        return "no-factory", {"folder": shown}
    if not factory_step and not (folder / "app.py").is_file():
        for source in sources:
            names = flask_objects(source)
            if names:
                return "other-module", {"folder": shown, "module": source.relative_to(folder).as_posix(),
                                        "name": names[0]}
        return "no-app-py", {"folder": shown}
    names = [] if factory_step else flask_objects(folder / "app.py")
    if names and "app" not in names:
        return "other-name", {"name": names[0]}
    missing = [name for name in needed_files(step) if not (folder / name).is_file()]
    if missing:
        return "missing-files", {"folder": shown, "files": ", ".join(missing)}
    return import_problem(folder)


# 2. Running the suite -----------------------------------------------------------------------------------

class Collector:
    """A pytest plugin that keeps each test's outcome, concept and failure as plain data."""

    def __init__(self):
        self.tests = {}
        self.repository_changes = []
        self.left_for_later = {}  # {tier: how many of its tests the -m expression left out of this run}
        self.durations = {}  # {test file's name: seconds its tests took}, to share the next check between processes

    def pytest_deselected(self, items):
        for item in items:
            tier = next((name for name in ("grading", "servers", "later") if item.get_closest_marker(name)), None)
            if tier:
                self.left_for_later[tier] = self.left_for_later.get(tier, 0) + 1

    def pytest_collection_finish(self, session):
        if "hypothesis" in sys.modules:  # a fuzz test was collected (only those import Hypothesis)
            coach_fuzzing()
        for item in session.items:
            marker = item.get_closest_marker("concept")
            title, anchor = marker.args if marker else (item.path.stem, "")
            zh = marker.kwargs.get("zh", title) if marker else title
            self.tests[item.nodeid] = {"nodeid": item.nodeid, "anchor": anchor, "en": title, "zh": zh,
                                       "outcome": "passed", "failure": None}

    @staticmethod
    def failure_of(call, report):
        """What a student needs from a failure: the known cause if any, the short assertion, the full text."""
        from support.messages import Mistake, diagnose, last_requests, plain_cause

        error = call.excinfo.value if call.excinfo else None
        mistake = error if isinstance(error, Mistake) else diagnose(error) if error is not None else None
        # No known cause: what the test sent, what it expected and what came back, in words (read now: the log of
        # requests starts again with the next test).
        plain = None if mistake else plain_cause(error if error is not None else str(report.longrepr), last_requests())
        if error is not None:
            lines = [line for line in str(error).splitlines() if line.strip()] or [type(error).__name__]
            if not isinstance(error, AssertionError):
                lines[0] = f"{type(error).__name__}: {lines[0]}"
        else:
            lines = [str(report.longrepr).splitlines()[-1]]
        return {"short": [line[:160] for line in lines[:3]],
                "cause": mistake.cause if mistake else None,
                "cause_anchor": mistake.anchor if mistake else None,
                "texts": mistake.texts if mistake else None, "plain": plain,
                "when": report.when}

    def pytest_runtest_logreport(self, report):
        test = self.tests.get(report.nodeid)
        if test is None:
            return
        file = Path(report.nodeid.split("::")[0]).name
        self.durations[file] = self.durations.get(file, 0.0) + report.duration
        if report.failed and test["outcome"] != "failed":
            test["outcome"] = "failed"
            test["failure"] = getattr(report, "coach_failure", None)
        elif report.skipped and test["outcome"] == "passed":
            test["outcome"] = "skipped"

    @pytest.hookimpl(wrapper=True)
    def pytest_runtest_makereport(self, item, call):
        report = yield
        if report.failed:
            report.coach_failure = self.failure_of(call, report)
        return report

    @pytest.hookimpl(trylast=True)
    def pytest_sessionfinish(self, session):
        self.repository_changes = list(getattr(session.config, "repository_changes", []))


def copy_folder(folder, into):
    """Copy a student's folder without caches, virtual environments, databases and instance folders."""
    target = Path(into) / "app"
    shutil.copytree(folder, target, ignore=shutil.ignore_patterns(*IGNORED_NAMES, "*.pyc", "*.db", "*.sqlite*"))
    return target


@contextlib.contextmanager
def temporary_copy(folder):
    """A temporary copy of the student's folder, and the working directory inside it, for the with-block:
    whatever the app writes (a database at a relative path, an instance folder) lands in the copy."""
    saved_cwd = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="flask-course-check-", dir=SCRATCH, ignore_cleanup_errors=True) as tmp:
        copy = copy_folder(folder, tmp)
        os.chdir(copy)
        try:
            yield copy
        finally:
            os.chdir(saved_cwd)
            # The copy's compiled files would only pile up in PYCACHE: its path is new each time.
            shutil.rmtree(PYCACHE / Path(tmp).resolve().relative_to(Path(tmp).resolve().anchor), ignore_errors=True)


def coach_fuzzing():
    """The fuzzer (tests/support/fuzz.py) tries 20 requests in a check instead of the suite's 70: a student's
    check stays quick, and `tutorial.py test` still runs the full count."""
    from hypothesis import HealthCheck, settings

    settings.register_profile("coach", max_examples=20, derandomize=True, deadline=None, database=None,
                              suppress_health_check=list(HealthCheck))
    settings.load_profile("coach")


def run_suite(step, folder, language, fast=False, tests=None, copied=False, marker=None, files=None):
    """Run the step's suite (or the test file `tests`: an exercise's; or the step's test `files`, by name) against
    a temporary copy of `folder`, from inside that copy (`copied`: folder is that copy already, and the working
    directory). `marker`: only the tests it selects (a pytest -m expression); `fast`: the first tier's.

    Returns (tests, pytest's exit code, pytest's output, repository changes).
    """
    if not copied:
        with temporary_copy(folder) as copy:
            return run_suite(step, copy, language, fast, tests, copied=True, marker=marker, files=files)
    copy = folder
    collector = Collector()
    output = io.StringIO()
    saved = {name: os.environ.get(name) for name in ("COURSE_LANG", "PYTEST_DISABLE_PLUGIN_AUTOLOAD",
                                                     "HYPOTHESIS_STORAGE_DIRECTORY")}
    saved_prefix, saved_write = sys.pycache_prefix, sys.dont_write_bytecode
    # The report's language; no plugins but the course's own (anyio's and Hypothesis's cost a second to load).
    # Hypothesis keeps the Unicode tables it builds once in PYCACHE too, not in the copy.
    os.environ.update(COURSE_LANG=language, PYTEST_DISABLE_PLUGIN_AUTOLOAD="1",
                      HYPOTHESIS_STORAGE_DIRECTORY=str(PYCACHE / "hypothesis"))
    # Compiled and assertion-rewritten modules are kept in PYCACHE, outside the repository, between checks.
    sys.pycache_prefix, sys.dont_write_bytecode = str(PYCACHE), False
    # --app-dir=PATH in one word: pytest would otherwise read PATH as a folder to collect (and load its tests/conftest.py).
    chosen = [str(ROOT / "tests" / step / name) for name in files] if files else [str(tests or ROOT / "tests" / step)]
    args = [*chosen, f"--app-dir={copy}", "--rootdir", str(ROOT),
            "-c", str(ROOT / "pytest.ini"), "--basetemp", str(Path(copy).parent / "pytest"),
            "-p", "no:unraisableexception", "-p", "no:threadexception", "--tb=short", "-q"]
    marker = marker or (FAST if fast else None)
    if marker:
        args += ["-m", marker]
    try:
        with contextlib.redirect_stdout(output):
            code = pytest.main(args, plugins=[collector])
    finally:
        sys.pycache_prefix, sys.dont_write_bytecode = saved_prefix, saved_write
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
    run_suite.left_for_later, run_suite.durations = collector.left_for_later, collector.durations
    return list(collector.tests.values()), int(code), output.getvalue(), collector.repository_changes


# Parts of a check in other processes ---------------------------------------------------------------------
# A machine has two cores or more: the first tier runs in two processes when it is long enough to gain from it,
# and the second tier's parts (earlier steps, real servers, grading) all start at once.

# A process costs about this much to start (Python, pytest and Flask imported) before its first test.
PROCESS_START = 0.8
# The first tier is shared with another process only when it is expected to last longer than this.
SHARE_ABOVE = 3.0
# With no timing from an earlier check yet, a test file is guessed to take a second per this many bytes.
BYTES_PER_SECOND = 8000
# The time each test file took in the last check, per pytest -m expression and step (a warm check splits by it).
DURATIONS = PYCACHE / "durations.json"


def recorded_durations():
    try:
        return json.loads(DURATIONS.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def record_durations(step, marker, durations):
    """Keep what each test file took, for the next check's split (a file this run did not reach keeps its old time)."""
    known = recorded_durations()
    known.setdefault(marker, {}).setdefault(step, {}).update(durations)
    with contextlib.suppress(OSError):
        DURATIONS.parent.mkdir(parents=True, exist_ok=True)
        DURATIONS.write_text(json.dumps(known, indent=1, sort_keys=True), encoding="utf-8")


def shares(step, marker):
    """The step's test files split in two for two processes, ([this process's], [the other's]), each side about
    as long (the other pays for its start), or None when the whole lasts too little to gain from a second process."""
    if (os.cpu_count() or 1) < 2:
        return None
    known = recorded_durations().get(marker, {}).get(step, {})
    files = sorted((ROOT / "tests" / step).glob("test_*.py"))
    weights = {path.name: known.get(path.name, path.stat().st_size / BYTES_PER_SECOND) for path in files}
    if sum(weights.values()) < SHARE_ABOVE:
        return None
    mine, theirs, mine_time, their_time = [], [], 0.0, PROCESS_START
    for name in sorted(weights, key=lambda name: (-weights[name], name)):
        if mine_time <= their_time:
            mine.append(name)
            mine_time += weights[name]
        else:
            theirs.append(name)
            their_time += weights[name]
    return (sorted(mine), sorted(theirs)) if theirs else None


class Elsewhere:
    """A part of the check run by another Python process (`python -m tools.check STEP --part MARKER`) on its own
    copy of `folder`: started at once, its results read by result() as run_suite() returns them."""

    def __init__(self, step, folder, language, marker, files=None):
        self.folder = tempfile.mkdtemp(prefix="flask-course-part-", dir=SCRATCH)
        self.out = Path(self.folder) / "part.json"
        command = [sys.executable, "-m", "tools.check", step, "--app-dir", str(folder), "--lang", language,
                   "--part", marker, "--part-out", str(self.out), *[f"--part-file={name}" for name in files or ()]]
        self.log = open(Path(self.folder) / "part.log", "w+", encoding="utf-8", errors="replace")
        self.process = subprocess.Popen(command, cwd=ROOT, stdout=self.log, stderr=subprocess.STDOUT,
                                        env=dict(os.environ, PYTHONIOENCODING="utf-8"))

    def result(self):
        """(tests, pytest's exit code, pytest's output, repository changes, tests left for later, durations)."""
        try:
            self.process.wait()
            try:
                part = json.loads(self.out.read_text(encoding="utf-8"))
            except (OSError, ValueError):  # the process died before it could say anything: show what it printed
                self.log.seek(0)
                return [], 3, self.log.read(), [], {}, {}
            return (part["tests"], part["exit"], part["output"], part["changes"], part["left"],
                    part["durations"])
        finally:
            self.stop()

    def stop(self):
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()
        shutil.rmtree(self.folder, ignore_errors=True)


def run_part(step, folder, language, marker, files, out):
    """What --part does in the other process: run_suite() on a copy of `folder`, its results as JSON in `out`."""
    tests, code, output, changes = run_suite(step, folder, language, marker=marker, files=files)
    Path(out).write_text(json.dumps({"tests": tests, "exit": code, "output": output, "changes": changes,
                                     "left": run_suite.left_for_later, "durations": run_suite.durations},
                                    ensure_ascii=False), encoding="utf-8")
    return 0


def joined_exit(*codes):
    """One pytest exit code for runs of one selection in several processes: a side with no test (5) says
    nothing when another ran some; any other trouble wins over a pass."""
    trouble = [code for code in codes if code not in (0, 5)]
    return max(trouble) if trouble else 0 if 0 in codes else 5


def run_first_tier(step, copy, language, marker):
    """The first tier, shared with a second process when it is long (shares()): (tests, exit code, output,
    repository changes, tests left for later)."""
    split = shares(step, marker)
    other = Elsewhere(step, copy, language, marker, files=split[1]) if split else None
    try:
        tests, code, output, changes = run_suite(step, copy, language, copied=True, marker=marker,
                                                 files=split[0] if split else None)
    except BaseException:
        if other:
            other.stop()
        raise
    left, durations = dict(run_suite.left_for_later), dict(run_suite.durations)
    if other:
        more, other_code, other_output, other_changes, other_left, other_durations = other.result()
        tests, code, output = tests + more, joined_exit(code, other_code), output + other_output
        changes = changes + [change for change in other_changes if change not in changes]
        for name, count in other_left.items():
            left[name] = left.get(name, 0) + count
        durations.update(other_durations)
    record_durations(step, marker, durations)
    return tests, code, output, changes, left


# 3. Ranking ---------------------------------------------------------------------------------------------

def teaching_order(step):
    """The anchors of the step's page in the order the page teaches them (its headings' { #anchor })."""
    page = ROOT / "docs" / "steps" / f"{step}.en.md"
    text = page.read_text(encoding="utf-8") if page.is_file() else ""
    return re.findall(r"\{ *#([a-z0-9-]+) *\}", text)


def concepts_of(tests, step):
    """One entry per concept: its titles, anchor and counts, in the page's teaching order."""
    order = teaching_order(step)
    concepts = {}
    for test in tests:
        concept = concepts.setdefault(test["anchor"] + "|" + test["en"], {
            "anchor": test["anchor"], "en": test["en"], "zh": test["zh"], "passed": 0, "failed": 0,
            "skipped": 0, "failures": []})
        concept[test["outcome"]] += 1
        if test["outcome"] == "failed":
            concept["failures"].append(test)
    position = {anchor: index for index, anchor in enumerate(order)}
    return sorted(concepts.values(), key=lambda c: position.get(c["anchor"], len(position)))


def rank(concepts):
    """The failing concepts, root cause first.

    A failure whose cause is known (a Mistake) outranks a bare assertion: its cause's own concept goes
    first when it fails too (a form without its CSRF token explains failing add-task tests), else the
    concept where the known cause showed. Otherwise the page's order decides: the earliest failing concept.
    """
    # The student's own tests failing (step 08 on) is often their tests noticing the app's bug: a concept of the
    # app that fails too comes first.
    failing = sorted((concept for concept in concepts if concept["failed"]),
                     key=lambda concept: concept["anchor"] == GRADED_TESTS)
    causes = []
    for concept in failing:
        for test in concept["failures"]:
            failure = test["failure"] or {}
            if failure.get("cause"):
                causes.append((failure["cause_anchor"], concept, test))
    if causes:
        anchors = {concept["anchor"] for concept in failing}
        order = [concept["anchor"] for concept in concepts]
        causes.sort(key=lambda c: (c[0] not in anchors, order.index(c[0]) if c[0] in order else len(order)))
        cause_anchor, concept, test = causes[0]
        root = next((c for c in failing if c["anchor"] == cause_anchor), concept)
        return [dict(root, first=proof_of(root), cause=test["failure"])] + [c for c in failing if c is not root]
    if failing:
        first = proof_of(failing[0])
        return [dict(failing[0], first=first, cause=first["failure"])] + failing[1:]
    return []


def proof_of(concept):
    """The failing test of a concept that shows its problem best: one with a known cause, else one that failed
    in its own body rather than in a fixture."""
    failures = concept["failures"]
    return (next((t for t in failures if (t["failure"] or {}).get("cause")), None)
            or next((t for t in failures if (t["failure"] or {}).get("when") == "call"), failures[0]))


# 4. The report ------------------------------------------------------------------------------------------

def site_paths(step, anchor):
    """The section's path on the Chinese site and on the English one."""
    return f"/steps/{step}/#{anchor}", f"/en/steps/{step}/#{anchor}"


def concept_lines(concepts, language, width):
    """A line per concept: its state, its title and its counts."""
    lines = []
    column = max(display_width(say(language, name)) for name in ("pass", "fail", "skip")) + 2
    for concept in concepts:
        total = concept["passed"] + concept["failed"] + concept["skipped"]
        state = "fail" if concept["failed"] else "pass" if concept["passed"] else "skip"
        counts = (say(language, "counts_fail", failed=concept["failed"], total=total) if concept["failed"]
                  else say(language, "counts_pass", passed=concept["passed"]))
        title = concept[language]
        pad = " " * max(1, width - display_width(title) + 2)
        mark = say(language, state)
        lines.append(f"  {mark}{' ' * (column - display_width(mark))}{title}{pad}{counts}")
    return lines


def expanded(ranked, concepts, step, language):
    """The first failing concept, expanded: its cause, what to change, the test that shows it, where to read."""
    root = ranked[0]
    test, failure = root["first"], root["cause"] or {"short": ["?"]}
    texts = (failure.get("texts") or failure.get("plain") or {}).get(language)
    cause, change = texts if texts else (failure["short"][0], say(language, "generic_change"))
    anchor = failure.get("cause_anchor") if texts and failure.get("cause_anchor") in {
        c["anchor"] for c in concepts} else root["anchor"]
    zh_path, en_path = site_paths(step, anchor)
    proof = [test["nodeid"].split("tests/", 1)[-1]]
    if not (test["failure"] or {}).get("texts"):  # a known cause is said above; a bare assertion is shown
        proof += [f"  {line}" for line in test["failure"]["short"][:2]]
    lines = ["", say(language, "first", title=root[language]),
             f"  {say(language, 'cause')}{cause}", f"  {say(language, 'change')}{change}",
             f"  {say(language, 'proof')}{proof[0]}"] + [f"          {line}" for line in proof[1:]]
    lines += [f"  {say(language, 'read')}{say(language, 'read_line', zh=zh_path, en=en_path)}",
              f"          {say(language, 'serve')}"]
    if len(ranked) > 1:
        lines += ["", say(language, "one_more" if len(ranked) == 2 else "more", count=len(ranked) - 1)]
    lines.append(say(language, "verbose"))
    return lines


def part_line(part, language):
    """A part of the second tier, as the report and the live progress show it: "  name… state"."""
    state = say(language, "pass" if part["passed"] else "fail")
    return f"  {say(language, 'part_' + part['name'])}… " + say(language, "part_done", state=state,
                                                                 tests=part["tests"], seconds=part["seconds"])


def counted(concepts):
    """How many tests the concepts hold."""
    return sum(c["passed"] + c["failed"] + c["skipped"] for c in concepts)


def render_first(result, language):
    """The report up to the first tier's verdict: what a student reads within seconds. render() starts with it
    word for word, so that the live report (main) can print it first and the rest below it."""
    step = result["step"]
    number, name = step_name(step)
    lines = [say(language, "head", folder=result["display"], number=number, name=name), ""]
    if result.get("structural"):
        kind, values = result["structural"]
        return lines + [say(language, "structural"), "", PROBLEMS[kind][language].format(**values)]
    concepts = result["concepts"]
    first, later = result.get("concepts_by_tier") or (concepts, [])
    width = max((display_width(c[language]) for c in concepts), default=10)
    lines += concept_lines(first, language, width)
    ranked = rank(first)
    if ranked:
        lines += expanded(ranked, first, step, language)
        if result.get("waiting"):
            lines += ["", say(language, "waits", parts=waiting_parts(result["waiting"], language))]
    elif result.get("exit") or not first:
        # No test failed, yet the run did not pass: pytest could not collect the suite, or collected nothing.
        lines += ["", say(language, "not_run", code=result.get("exit"))]
    elif result.get("later"):
        lines += ["", say(language, "first_pass", count=len(first), tests=counted(first),
                          seconds=result["first_seconds"])]
    return lines


def render(result, language, with_time=True):
    """The report a student reads, in `language`: fits one screen for one mistake."""
    lines = render_first(result, language)
    if result.get("structural"):
        return "\n".join(lines) + "\n"
    first, later = result.get("concepts_by_tier") or (result["concepts"], [])
    lines += [part_line(part, language) for part in result.get("parts", [])]
    first_fails = bool(rank(first)) or result.get("exit") or not first
    if later and not first_fails:
        width = max((display_width(c[language]) for c in result["concepts"]), default=10)
        lines += [""] + concept_lines(later, language, width)
        ranked = rank(later)
        if ranked:
            lines += expanded(ranked, later, result["step"], language)
    broken = [part for part in result.get("parts", []) if not part["passed"] and not rank(later)]
    if broken:
        lines += ["", say(language, "not_run", code=broken[0]["exit"])]
    if result.get("grading"):
        lines += ["", grade.render(result["grading"], language, with_time=False).rstrip("\n")]
    if result.get("passed"):
        lines += ["", say(language, "all_pass", count=len(result["concepts"]), tests=counted(result["concepts"]))]
    if result.get("repository_changes"):
        lines += ["", say(language, "repo")] + [f"  {line}" for line in result["repository_changes"][:5]]
    if with_time and result.get("first_seconds") is not None:
        lines += ["", say(language, "time_two", first=result["first_seconds"], total=result["seconds"])
                  if result.get("later") else say(language, "time_one", first=result["first_seconds"])]
    return "\n".join(lines) + "\n"


def display_width(text):
    """Columns a terminal gives text: CJK characters take two."""
    return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)


def check(step, folder, language, fast=False, live=None):
    """Check one folder against one step: the result as data (render() turns it into the report).

    The first tier (in this process) gives the first verdict; only when it passes, and not `fast`, the second
    tier's parts run: the tests that start real servers, then the grading of the student's own tests.
    `live(event, result, part)` is told as each of these is reached ("first", "start", "done"), for a report
    that grows on the screen while the check goes on.
    """
    folder = Path(folder).resolve()
    result = {"step": step, "folder": str(folder), "display": str(folder), "language": language}
    tell = live or (lambda *args: None)

    def finish(**values):
        result.update(values, seconds=time.monotonic() - STARTED)
        result.setdefault("first_seconds", result["seconds"])
        return result

    if not folder.is_dir():
        return finish(structural=["no-folder", {"folder": str(folder)}], concepts=[], passed=False, output="")
    with temporary_copy(folder) as copy:
        problem = structural_problem(step, copy, display=str(folder))
        if problem:
            return finish(structural=list(problem), concepts=[], passed=False, output="")
        # Step 08 on: the suite grades the student's own tests (tests/NN/test_your_tests.py) and leaves the result
        # here, for the report; tools/grade.py runs it again only if the suite did not.
        graded = Path(copy).parent / "grade.json"
        os.environ[grade.RESULT_VARIABLE] = str(graded)
        try:
            tests, code, output, changes, left = run_first_tier(step, copy, language, FAST if fast else TIERS[0][1])
            later = {} if fast else left
            first = concepts_of(tests, step)
            passed = code == 0 and not any(c["failed"] for c in first) and bool(first)
            result.update(structural=None, concepts=first, concepts_by_tier=[first, []], exit=code, output=output,
                          repository_changes=changes, passed=passed, parts=[],
                          first_seconds=time.monotonic() - STARTED)
            # What the second tier would run, in its order, for the report of a first tier that failed.
            waiting = [name for name, _ in TIERS[1:] if later.get(name)]
            result.update(later=later if passed else {}, waiting=waiting if not passed else [])
            if passed and later:
                tell("first", result, None)
                more = []
                # Every part starts now, each in a process of its own; the report shows them in order.
                started = time.monotonic()
                running = [(name, Elsewhere(step, copy, language, marker)) for name, marker in TIERS[1:]
                           if later.get(name)]
                try:
                    for name, elsewhere in running:
                        tell("start", result, name)
                        found, part_code, part_output, part_changes, _, _ = elsewhere.result()
                        failed = any(test["outcome"] == "failed" for test in found)
                        part = {"name": name, "tests": len(found), "seconds": time.monotonic() - started,
                                "passed": part_code == 0 and not failed, "exit": part_code}
                        result["parts"].append(part)
                        more += found
                        changes += [change for change in part_changes if change not in changes]
                        result["output"] += part_output
                        tell("done", result, part)
                finally:
                    for _, elsewhere in running:
                        elsewhere.stop()
                later_concepts = concepts_of(more, step)
                result.update(concepts=concepts_of(tests + more, step), concepts_by_tier=[first, later_concepts],
                              repository_changes=changes,
                              passed=all(part["passed"] for part in result["parts"]))
        finally:
            os.environ.pop(grade.RESULT_VARIABLE, None)
        grading = json.loads(graded.read_text(encoding="utf-8")) if graded.is_file() else None
    if grading:
        result["grading"] = dict(grading, display=str(folder))
        result["passed"] = result["passed"] and grading["passed"]
    return finish()


# Watching and progress ----------------------------------------------------------------------------------

def snapshot(folder):
    """{file: its content} of the student's files, to notice a save that changed something.

    Contents, not modification times: an editor that saves twice, or saves an unchanged file, starts
    no new check.
    """
    found = {}
    for name in folder_files(folder) if Path(folder).is_dir() else []:
        with contextlib.suppress(OSError):
            found[name] = (Path(folder) / name).read_bytes()
    return found


def clear_screen():
    """Clear the terminal (Windows' console too), like rustlings' watch does."""
    if sys.stdout.isatty():
        os.system("cls" if os.name == "nt" else "clear")


def settled_snapshot(folder, interval):
    """The folder's snapshot once it stays the same for a moment: an editor may write a file in several steps."""
    settled = snapshot(folder)
    while True:
        time.sleep(interval)
        latest = snapshot(folder)
        if latest == settled:
            return settled
        settled = latest


def start_check(command):
    """Start a check in a process group of its own, so that stopping it stops the servers it started too."""
    import subprocess

    if os.name == "nt":
        return subprocess.Popen(command, cwd=ROOT, creationflags=subprocess.CREATE_NEW_PROCESS_GROUP)
    return subprocess.Popen(command, cwd=ROOT, start_new_session=True)


def stop_check(process, grace=30):
    """Stop a check that a newer save made useless: as Ctrl+C would (its fixtures stop their servers and delete
    their temporary folders), then for good if it does not end within `grace` seconds."""
    import signal
    import subprocess

    if process is None or process.poll() is not None:
        return
    with contextlib.suppress(OSError):
        if os.name == "nt":
            process.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            os.killpg(process.pid, signal.SIGINT)
    try:
        process.wait(grace)
    except subprocess.TimeoutExpired:
        with contextlib.suppress(OSError):
            if os.name == "nt":
                process.kill()
            else:
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()


def watch(step, folder, language, verbose, interval=0.5):
    """Check again each time a file in the folder changes, until Ctrl+C. Each check runs in a fresh process.

    A save is one check: an editor's several writes are waited out, and a file saved unchanged starts nothing.
    A save while a check runs stops that check (its answer would be about the old files) and starts a new one.
    """
    command = [sys.executable, "-m", "tools.check", step, "--app-dir", str(folder), "--lang", language]
    if verbose:
        command.append("--verbose")
    process = None
    try:
        current = snapshot(folder)
        while True:
            clear_screen()
            process = start_check(command)
            while process.poll() is None and snapshot(folder) == current:
                time.sleep(interval)
            if process.poll() is None:  # saved while the check ran: that check is out of date
                stop_check(process)
                current = settled_snapshot(folder, interval)
                continue
            print("\n" + say(language, "watch", folder=folder), flush=True)
            while snapshot(folder) == current:
                time.sleep(interval)
            current = settled_snapshot(folder, interval)
    except KeyboardInterrupt:
        stop_check(process)
        print()
        return 0


def step_folders(workdir):
    """{step: the student's folder for it} for the folders of WORKDIR named like 03_templates or 03."""
    found = {}
    for path in sorted(Path(workdir).iterdir()) if Path(workdir).is_dir() else []:
        if path.is_dir():
            number = path.name.split("_")[0]
            for step in STEPS:
                if number.isdigit() and int(number) == int(step.split("_")[0]) and step not in found:
                    found[step] = path
    return found


def progress(workdir, language, fast=False):
    """A line per step: passed, failing (with the first failing concept), or not started."""
    import subprocess

    folders = step_folders(workdir)
    rows = []
    for step in STEPS:
        folder = folders.get(step)
        if folder is None:
            rows.append((step, "-", say(language, "progress_missing")))
            continue
        with tempfile.TemporaryDirectory(prefix="flask-course-progress-") as tmp:
            out = Path(tmp) / "result.json"
            command = [sys.executable, "-m", "tools.check", step, "--app-dir", str(folder), "--lang", language,
                       "--json", str(out), "--quiet"] + (["--fast"] if fast else [])
            subprocess.run(command, cwd=ROOT)
            try:
                result = json.loads(out.read_text(encoding="utf-8"))
            except (OSError, ValueError):
                # The check of this folder stopped before it could report: say so in its row and go on.
                rows.append((step, folder.name, say(language, "progress_crashed")))
                continue
        if result["passed"]:
            state = say(language, "progress_passed")
        elif result.get("structural"):
            kind, _ = result["structural"]
            state = say(language, "progress_broken", what=PROBLEMS[kind][language].split("。")[0].split(". ")[0])
        else:
            ranked = rank(result["concepts"])
            state = say(language, "progress_failing", title=ranked[0][language] if ranked else "?")
        rows.append((step, folder.name, state))
    head = TEXT[language]["progress_cols"]
    widths = [max(display_width(str(row[i])) for row in rows + [head]) for i in range(2)]
    lines = [say(language, "progress_head", workdir=workdir), ""]
    for row in [head] + rows:
        lines.append("  ".join(str(cell) + " " * (widths[i] - display_width(str(cell))) for i, cell in
                               enumerate(row[:2])) + "  " + row[2])
    print("\n".join(lines))
    return 0 if all(row[2] == say(language, "progress_passed") for row in rows) else 1


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.check", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", help="a step (3, 03 or 03_templates), or progress")
    parser.add_argument("--app-dir", metavar="PATH", help="your folder (default: the course's own step)")
    parser.add_argument("--lang", choices=["zh", "en"], help="the report's language (default: from the locale)")
    parser.add_argument("--verbose", action="store_true", help="print pytest's whole output too")
    parser.add_argument("--watch", action="store_true", help="check again whenever a file changes, until Ctrl+C")
    parser.add_argument("--json", metavar="FILE", help="also write the result as JSON to FILE")
    parser.add_argument("--quiet", action="store_true", help="print nothing (with --json)")
    parser.add_argument("--fast", action="store_true",
                        help="the first tier only, for the course's own tests of the coach: no earlier steps' "
                             "concepts, longer checks, real servers or grading")
    # A part of another check's run, in a process of its own (Elsewhere): not for students.
    parser.add_argument("--part", metavar="MARKER", help=argparse.SUPPRESS)
    parser.add_argument("--part-out", metavar="FILE", help=argparse.SUPPRESS)
    parser.add_argument("--part-file", metavar="NAME", action="append", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.part:
        return run_part(resolve_step(args.step), Path(args.app_dir), args.lang or "en", args.part, args.part_file,
                        args.part_out)
    for stream in (sys.stdout, sys.stderr):  # a Windows console in another code page still shows the report
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")
    language = student_language(args.lang)
    if args.step == "progress":
        if not args.app_dir:
            parser.error("progress needs --app-dir WORKDIR, the folder that holds your step folders")
        return progress(Path(args.app_dir).resolve(), language)
    step = resolve_step(args.step)
    folder = Path(args.app_dir).resolve() if args.app_dir else ROOT / "steps" / step
    if args.watch:
        return watch(step, folder, language, args.verbose)
    shown = []  # what the live report has printed so far: the final report is printed from where it stops

    def live(event, result, part):
        if event == "first":
            text = "\n".join(render_first(result, language)) + "\n"
        elif event == "start":
            text = f"  {say(language, 'part_' + part)}… "
        else:
            text = part_line(part, language)[len(f"  {say(language, 'part_' + part['name'])}… "):] + "\n"
        shown.append(text)
        sys.stdout.write(text)
        sys.stdout.flush()

    show_live = not args.quiet and not args.verbose
    result = check(step, folder, language, fast=args.fast, live=live if show_live else None)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if not args.quiet:
        if args.verbose and result.get("output"):
            print(result["output"])
        report, printed = render(result, language), "".join(shown)
        sys.stdout.write(report[len(printed):] if report.startswith(printed) else report)
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
