"""`tutorial.py check` and `progress`: typical mistakes get the right concept first, with their cause named.

Each case copies a reference step into a temporary folder, makes one mistake a student makes, and runs the
coach on it (`python -m tools.check ... --json`), all cases at once in a few processes; the tests then read
the results. The servers tests and the grading of the step's own tests are left out of these runs (--fast): the mistakes
are not about them.
"""
import json
import os
import shutil
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from support import ROOT, STEPS
from tools import check
from tools.check import render


def replace(path, old, new, count=1):
    """Replace `old` by `new` in the file, failing if `old` is not there (the step changed)."""
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{path.name} no longer contains {old!r}: update this mistake"
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def no_csrf_token(folder):
    replace(folder / "templates" / "tasks.html",
            '<input type="hidden" name="csrf_token" value="{{ csrf_token() }}">', "")


def summary_marked_safe(folder):
    """|safe on the dashboard's summaries: the sample task's <script> reaches the page, and the tag, cut off by
    truncate, swallows the rows after it, so the row numbers' check fails first in the page's order."""
    replace(folder / "templates" / "tasks.html", "{{ task.summary|truncate(40) }}",
            "{{ task.summary|truncate(40)|safe }}")


def no_commit(folder):
    replace(folder / "app.py", '(summary,))\n    db.commit()\n', '(summary,))\n')


def no_teardown(folder):
    replace(folder / "app.py", "@app.teardown_appcontext\n", "")


def f_string_sql(folder):
    replace(folder / "app.py", 'db.execute("INSERT INTO tasks (summary) VALUES (?)", (summary,))',
            "db.execute(f\"INSERT INTO tasks (summary) VALUES ('{summary}')\")")


def no_redirect_after_post(folder):
    replace(folder / "app.py", '        flash(f"Account created for {username}.", "success")\n'
                               '        return redirect(url_for("index"))',
            '        flash(f"Account created for {username}.", "success")\n'
            '        return render_template("signup.html", errors={}, username="", email="")')


def silent_redirect_on_a_missing_id(folder):
    replace(folder / "app.py", '    if cursor.rowcount == 0:\n        abort(404, f"There is no task #{task_id}.")\n',
            "", count=2)


def relative_database_path(folder):
    replace(folder / "app.py", 'app.config["DATABASE"] = os.path.join(app.instance_path, "tasks.db")',
            'app.config["DATABASE"] = "taskman.db"')


def template_missing(folder):
    (folder / "templates" / "task.html").unlink()


def syntax_error(folder):
    replace(folder / "app.py", "\n\n@app.route(", "\n\ndef oops(:\n    pass\n\n\n@app.route(")


def server_py_with_web(folder):
    text = (folder / "app.py").read_text(encoding="utf-8")
    (folder / "app.py").unlink()
    (folder / "server.py").write_text(text.replace("app = Flask(", "web = Flask(").replace("@app.", "@web."),
                                      encoding="utf-8")


def flask_object_named_web(folder):
    replace(folder / "app.py", "app = Flask(", "web = Flask(")


def import_error(folder):
    replace(folder / "app.py", "from flask import", "import flask_wtff\nfrom flask import")


# Step 09's mistakes with accounts, in the package's taskman/auth.py and taskman/tasks.py.
def password_in_clear(folder):
    replace(folder / "taskman" / "auth.py",
            'return generate_password_hash(\n        password, method=current_app.config["PASSWORD_HASH_METHOD"]\n    )',
            "return password")


def task_query_without_its_owner(folder):
    replace(folder / "taskman" / "tasks.py",
            '" WHERE id = ? AND user_id = ?",\n            (task_id, current_user.id),',
            '" WHERE id = ?",\n            (task_id,),')


def any_next(folder):
    replace(folder / "taskman" / "auth.py", '    if not is_safe_path(next_path):\n        next_path = ""\n', "")


def two_messages(folder):
    replace(folder / "taskman" / "auth.py", 'error="Wrong username or password.",',
            'error="Wrong password." if get_db().execute("SELECT 1 FROM users WHERE username_key = ?", '
            '(username.lower(),)).fetchone() else "There is no such user.",')


def logout_by_get(folder):
    replace(folder / "taskman" / "auth.py", '@bp.route("/logout", methods=["POST"])',
            '@bp.route("/logout", methods=["GET", "POST"])')


def sign_out_without_revoking(folder):
    """The sign-out of Flask-Login's tutorial: logout_user() alone, and the copied cookie stays good."""
    replace(folder / "taskman" / "auth.py",
            '    if current_user.is_authenticated:\n        db = get_db()\n        db.execute(\n'
            '            "UPDATE users SET session_id = ? WHERE id = ?",\n'
            '            (new_session_id(), current_user.id),\n        )\n        db.commit()\n', "")


def no_login_required(folder):
    """The dashboard without @login_required: a visitor reaches current_user.id, which a visitor does not have."""
    replace(folder / "taskman" / "tasks.py", '@bp.route("/tasks")\n@login_required\n', '@bp.route("/tasks")\n')


# Step 08's mistakes with the package: the factory, its blueprints, db.init_app.
def factory_ignoring_test_config(folder):
    """create_app(test_config) that never applies test_config: a test's app keeps the real database."""
    replace(folder / "taskman" / "__init__.py",
            "    if test_config is not None:\n        app.config.from_mapping(test_config)\n", "")


def blueprint_not_registered(folder):
    """A blueprint written but never registered: its routes do not exist, and url_for("auth.login") fails."""
    replace(folder / "taskman" / "__init__.py", "    app.register_blueprint(auth.bp)\n", "")


def no_init_app(folder):
    """db.init_app(app) left out of the factory: no teardown, no `flask init-db`."""
    replace(folder / "taskman" / "__init__.py", "    db.init_app(app)\n", "")


# Step 10's mistakes with Flask-SQLAlchemy and Flask-Migrate.
def create_all_for_migrations(folder):
    """db.create_all() where the app runs the migrations: the tables of the models, and no record of a version."""
    replace(folder / "taskman" / "db.py", "            if is_sqlite():\n                upgrade()\n",
            "            db.create_all()\n")


def column_without_a_migration(folder):
    """A column added to a model, and no migration that adds it to the table."""
    replace(folder / "taskman" / "models.py", "    due: Mapped[datetime.date | None]\n",
            "    due: Mapped[datetime.date | None]\n    priority: Mapped[int | None]\n")


def not_null_column_without_a_default(folder):
    """A NOT NULL column, and the migration `flask db migrate` writes for it (batch mode, as env.py asks): it
    gives the rows already in the table no value."""
    replace(folder / "taskman" / "models.py", "    due: Mapped[datetime.date | None]\n",
            "    due: Mapped[datetime.date | None]\n    priority: Mapped[int] = mapped_column(default=0)\n")
    (folder / "migrations" / "versions" / "0004_priority.py").write_text('''"""Tasks get a priority.

Revision ID: 0004
Revises: 0003
"""
import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.add_column(sa.Column("priority", sa.Integer(), nullable=False))


def downgrade():
    with op.batch_alter_table("tasks") as batch_op:
        batch_op.drop_column("priority")
''', encoding="utf-8")


# (name, step, mistake, the first concept's anchor or the structural problem, words its hint must say, lang)
MISTAKES = [
    ("csrf token left out", "05_sqlite", no_csrf_token, "csrf", ["csrf_token"], "en"),
    ("no commit()", "05_sqlite", no_commit, "add-task", ["commit()"], "zh"),
    ("no teardown", "05_sqlite", no_teardown, "connection-per-request", ["teardown_appcontext"], "en"),
    ("f-string in SQL", "05_sqlite", f_string_sql, "parameterised-queries", ["?", "f-string"], "en"),
    ("no redirect after POST", "04_forms", no_redirect_after_post, "post-redirect-get", ["redirect"], "zh"),
    ("silent redirect on a missing id", "06_taskman", silent_redirect_on_a_missing_id, "missing-id",
     ["abort(404)"], "en"),
    ("relative database path", "05_sqlite", relative_database_path, "database-path",
     ["taskman.db", "instance_path"], "en"),
    ("template missing", "03_templates", template_missing, "missing-files", ["templates/task.html"], "en"),
    ("summary marked |safe", "03_templates", summary_marked_safe, "autoescaping", ["|safe", "<script>"], "zh"),
    ("syntax error", "02_routes", syntax_error, "syntax", ["app.py", "def oops(:"], "zh"),
    ("server.py with web", "01_hello", server_py_with_web, "other-module", ["server.py", "web", "app.py"], "en"),
    ("Flask object named web", "03_templates", flask_object_named_web, "other-name", ["web", "app = Flask"], "zh"),
    ("import error", "04_forms", import_error, "import", ["app.py, line", "flask_wtff"], "en"),
    ("password stored in clear", "09_accounts", password_in_clear, "users-table", ["generate_password_hash"], "zh"),
    ("task query without its owner", "09_accounts", task_query_without_its_owner, "ownership",
     ["user_id = ?", "404"], "en"),
    ("redirect to any next", "09_accounts", any_next, "safe-next", ["urlsplit", "/tasks"], "zh"),
    ("two messages for unknown user and wrong password", "09_accounts", two_messages, "one-message",
     ["Wrong username or password.", "401"], "en"),
    ("sign-out by GET", "09_accounts", logout_by_get, "sign-out", ['methods=["POST"]', "csrf_token"], "zh"),
    ("sign-out that leaves the session valid", "09_accounts", sign_out_without_revoking, "revoke",
     ["session_id", "get_id"], "en"),
    ("dashboard without @login_required", "09_accounts", no_login_required, "login-required",
     ["@login_required", "current_user.id"], "zh"),
    ("create_app that ignores test_config", "08_package", factory_ignoring_test_config, "factory",
     ["test_config", "from_mapping"], "en"),
    ("blueprint not registered", "08_package", blueprint_not_registered, "factory",
     ["auth.bp", "register_blueprint"], "zh"),
    ("db.init_app not called", "08_package", no_init_app, "factory", ["init_app", "init-db"], "en"),
    ("db.create_all() in place of the migrations", "10_postgres", create_all_for_migrations, "migrations",
     ["db.create_all()", "db upgrade"], "zh"),
    ("a model's column without a migration", "10_postgres", column_without_a_migration, "migrations",
     ["op.add_column", "db upgrade"], "en"),
    ("a NOT NULL column without a server default", "10_postgres", not_null_column_without_a_default, "migrations",
     ["server_default", "nullable"], "en"),
]


def files_of(folder):
    """{relative path: (size, mtime)} of every file under folder."""
    return {path.relative_to(folder).as_posix(): (path.stat().st_size, path.stat().st_mtime_ns)
            for path in Path(folder).rglob("*") if path.is_file()}


def run_check(step, folder, language, output, fast=True):
    """Run the coach in its own process; its result as data."""
    command = [sys.executable, "-m", "tools.check", step, "--app-dir", str(folder), "--lang", language,
               "--json", str(output), "--quiet"] + (["--fast"] if fast else [])
    completed = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600,
                               env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
    assert output.is_file(), completed.stderr
    return dict(json.loads(output.read_text(encoding="utf-8")), returncode=completed.returncode)


def cases_read_by(items):
    """The names of the cases that the selected tests of this file read (a mistake's name, or "clean NN_step"),
    or None for every case (a selected test reads a case its parameters do not name)."""
    wanted = set()
    for item in items:
        if item.path != Path(__file__) or "results" not in getattr(item, "fixturenames", ()):
            continue
        params = item.callspec.params if hasattr(item, "callspec") else {}
        if "name" in params:
            wanted.add(params["name"])
        elif "step" in params:
            wanted.add(f"clean {params['step']}")
        else:
            return None
    return wanted


@pytest.fixture(scope="module")
def results(request, tmp_path_factory):
    """Every case of this file that the selected tests read, checked once, two at a time:
    {case name: (result, files before, files after)}. (`-k 09` checks step 09's cases only.)"""
    base = tmp_path_factory.mktemp("check")
    wanted = cases_read_by(request.session.items)
    cases = []
    for name, step, mistake, *_, language in MISTAKES:
        if wanted is not None and name not in wanted:
            continue
        folder = base / name.replace(" ", "-").replace("(", "").replace(")", "") / step
        shutil.copytree(ROOT / "steps" / step, folder, ignore=shutil.ignore_patterns("instance", "__pycache__"))
        mistake(folder)
        cases.append((name, step, folder, language))
    for index, step in enumerate(STEPS):  # untouched copies, in Chinese and English by turns
        if wanted is not None and f"clean {step}" not in wanted:
            continue
        folder = base / f"clean-{step}" / step
        shutil.copytree(ROOT / "steps" / step, folder, ignore=shutil.ignore_patterns("instance", "__pycache__"))
        cases.append((f"clean {step}", step, folder, "zh" if index % 2 else "en"))

    def run(case):
        name, step, folder, language = case
        before = files_of(folder)
        result = run_check(step, folder, language, folder.parent / "result.json")
        return name, (result, before, files_of(folder))

    with ThreadPoolExecutor(max_workers=2) as pool:
        return dict(pool.map(run, cases))


def first_concept(result):
    """The anchor (or structural problem) the report expands first."""
    from tools.check import rank

    if result["structural"]:
        return result["structural"][0]
    ranked = rank(result["concepts"])
    return ranked[0]["anchor"] if ranked else None


@pytest.mark.parametrize(("name", "step", "expected", "words", "language"),
                         [(name, step, expected, words, language) for name, step, _, expected, words, language
                          in MISTAKES], ids=[f"{case[0]} ({case[1]})" for case in MISTAKES])
def test_a_typical_mistake_gets_its_concept_first_with_its_cause_named(results, name, step, expected, words, language):
    result, before, after = results[name]
    assert result["returncode"] == 1
    assert not result["passed"]
    assert first_concept(result) == expected
    for lang in ("zh", "en"):
        report = render(result, lang)
        assert len(report.splitlines()) < 40, report
        lines = report.splitlines()
        start = next((i for i, line in enumerate(lines) if line.startswith(("Fix this first", "先改这一项",
                                                                            "No check", "还没有运行"))), None)
        assert start is not None, report
        expanded = "\n".join(lines[start:])
        if lang == language or result["structural"]:  # untagged parts are in the run's language only
            for word in words:
                assert word in expanded, f"the {lang} report does not say {word!r}:\n{report}"
    if not result["structural"]:
        zh_path, en_path = f"/steps/{step}/#{expected}", f"/en/steps/{step}/#{expected}"
        assert zh_path in render(result, "zh") and en_path in render(result, "zh")
        assert zh_path in render(result, "en") and en_path in render(result, "en")
    assert after == before, "the check changed the student's folder"
    assert result["repository_changes"] == [] if "repository_changes" in result else True


def test_a_relative_database_path_lands_in_a_temporary_copy_only(results):
    result, before, after = results["relative database path"]
    assert "taskman.db" not in after
    assert not (ROOT / "taskman.db").exists()
    assert not list((ROOT / "steps").rglob("taskman.db"))
    assert result["repository_changes"] == []


@pytest.mark.parametrize("step", STEPS)
def test_an_untouched_copy_of_every_step_passes_in_both_languages(results, step):
    result, before, after = results[f"clean {step}"]
    assert result["returncode"] == 0, render(result, "en") + result["output"][-3000:]
    assert result["passed"]
    assert result["repository_changes"] == []
    for language, words in (("zh", "全部通过"), ("en", "Everything passes")):
        report = render(result, language)
        assert words in report
        assert "FAIL" not in report and "未通过" not in report
        assert len(report.splitlines()) < 40
    assert after == before


def test_progress_shows_passed_failing_and_not_started(tmp_path):
    """Two finished steps (one named 01, one 02_routes), one broken, the rest not started."""
    shutil.copytree(ROOT / "steps" / "01_hello", tmp_path / "01")
    shutil.copytree(ROOT / "steps" / "02_routes", tmp_path / "02_routes")
    shutil.copytree(ROOT / "steps" / "03_templates", tmp_path / "03_templates")
    replace(tmp_path / "03_templates" / "templates" / "index.html", "{% extends", "{% extendz")
    completed = subprocess.run([sys.executable, "-m", "tools.check", "progress", "--app-dir", str(tmp_path),
                                "--lang", "en"], cwd=ROOT, capture_output=True, text=True, timeout=600)
    lines = {line.split()[0]: line for line in completed.stdout.splitlines() if line[:2].isdigit()}
    assert completed.returncode == 1, completed.stdout + completed.stderr
    assert lines["01_hello"].rstrip().endswith("passed") and " 01 " in lines["01_hello"]
    assert lines["02_routes"].rstrip().endswith("passed")
    assert "failing:" in lines["03_templates"]
    for step in STEPS[3:]:
        assert lines[step].rstrip().endswith("not started")


def test_every_concept_has_a_chinese_title():
    """The report names concepts in the student's language: every concept marker carries zh=..."""
    import ast

    missing = []
    for path in sorted((ROOT / "tests").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) and node.func.attr == "concept"
                    and not any(keyword.arg == "zh" for keyword in node.keywords)):
                missing.append(f"{path.relative_to(ROOT)}:{node.lineno}")
    assert not missing, f"concept markers without zh=: {missing}"


@pytest.mark.parametrize("language", ["zh", "en"])
def test_a_run_that_collected_nothing_is_not_reported_as_passing(language):
    """A suite pytest could not collect (exit code 2, no concept ran) must not read as "everything passes"."""
    result = {"step": "05_sqlite", "display": "my_step05", "structural": None, "concepts": [], "exit": 2,
              "passed": False}
    report = check.render(result, language)
    assert check.say(language, "all_pass", count=0, tests=0) not in report
    assert "--verbose" in report and "2" in report


def copy_of(step, tmp_path):
    """A fresh copy of the course's step, as a student's folder."""
    folder = tmp_path / step
    shutil.copytree(ROOT / "steps" / step, folder, ignore=shutil.ignore_patterns("instance", "__pycache__"))
    return folder


def test_a_file_saved_with_a_byte_order_mark_is_read_as_python_reads_it(tmp_path):
    """Notepad's and VS Code's "UTF-8 with BOM": Python runs such a file, so the check reads it too."""
    folder = copy_of("03_templates", tmp_path)
    for path in [folder / "app.py", folder / "static" / "style.css"]:
        path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes())
    assert check.structural_problem("03_templates", folder) is None
    result = check.check("03_templates", folder, "en", fast=True)
    assert result["passed"], render(result, "en")


def test_a_template_with_a_byte_order_mark_is_named_before_any_test_runs(tmp_path):
    """Jinja would copy the mark into the page, before <!doctype html>: the report says so, and how to save."""
    folder = copy_of("03_templates", tmp_path)
    template = folder / "templates" / "index.html"
    template.write_bytes(b"\xef\xbb\xbf" + template.read_bytes())
    result = check.check("03_templates", folder, "zh", fast=True)
    assert result["structural"][0] == "bom"
    assert "templates/index.html" in render(result, "zh") and "Save with Encoding" in render(result, "en")


@pytest.mark.parametrize("name", ["app.py", "templates/base.html"])
def test_a_file_saved_in_another_encoding_is_named_with_how_to_save_it_as_utf8(tmp_path, name):
    folder = copy_of("03_templates", tmp_path)
    path = folder / name
    path.write_bytes(path.read_bytes() + "\n<!-- 任务 -->\n# 任务\n".encode("gbk"))
    kind, values = check.structural_problem("03_templates", folder)
    assert (kind, values["file"]) == ("encoding", name)
    result = check.check("03_templates", folder, "en", fast=True)
    assert not result["passed"]
    for language, words in (("zh", ["UTF-8", "记事本", "VS Code", name]), ("en", ["UTF-8", "Notepad", "VS Code", name])):
        report = render(result, language)
        assert all(word in report for word in words), report
        assert "Traceback" not in report


def test_diff_ignores_windows_line_endings_and_a_byte_order_mark(tmp_path):
    from tutorial import folder_diff

    folder = copy_of("05_sqlite", tmp_path)
    for path in folder.rglob("*"):
        if path.is_file() and path.suffix in (".py", ".html", ".sql", ".css"):
            path.write_bytes(b"\xef\xbb\xbf" + path.read_bytes().replace(b"\n", b"\r\n"))
    assert list(folder_diff(ROOT / "steps" / "05_sqlite", folder, "05_sqlite", "yours")) == []
    app = folder / "app.py"
    app.write_bytes(app.read_bytes() + b"# mine\r\n")
    [(path, status, diff)] = folder_diff(ROOT / "steps" / "05_sqlite", folder, "05_sqlite", "yours")
    assert (path, status) == ("app.py", "changed")
    assert [line for line in diff.splitlines() if line.startswith(("+", "-")) and not line.startswith(("+++", "---"))] == ["+# mine"]


def test_progress_reports_a_badly_saved_folder_in_its_row_and_goes_on(tmp_path, capsys):
    for step in ("01_hello", "02_routes"):
        copy_of(step, tmp_path)
    app = tmp_path / "01_hello" / "app.py"
    app.write_bytes(app.read_bytes() + "# 你好\n".encode("gbk"))
    check.progress(tmp_path, "en", fast=True)
    rows = {line.split()[0]: line for line in capsys.readouterr().out.splitlines() if line[:2].isdigit()}
    assert "cannot run" in rows["01_hello"]
    assert "passed" in rows["02_routes"]
    assert "not started" in rows["03_templates"]


@pytest.mark.parametrize(("error", "cause"), [
    (AttributeError("'AnonymousUserMixin' object has no attribute 'id'"), "login-required"),
    ("no such column: tasks.priority", "no-migration"),
    ("no such table: tasks", "no-migration"),
    ('relation "tasks" does not exist', "no-migration"),
])
def test_the_errors_of_part_2s_typical_mistakes_are_named(error, cause):
    """A missing @login_required, and a model changed (or tables made) without a migration in step 10, where
    SQLAlchemy's error wraps the database's: each is a sentence about the code, in both languages."""
    from sqlalchemy.exc import OperationalError
    from support.messages import CAUSES, diagnose

    if isinstance(error, str):
        error = OperationalError("SELECT tasks.priority FROM tasks", {}, Exception(error))
    mistake = diagnose(error)
    assert mistake is not None and mistake.cause == cause
    assert all(mistake.texts[language][0] and mistake.texts[language][1] for language in ("zh", "en"))
    assert "CREATE TABLE IF NOT EXISTS" not in " ".join(mistake.texts["en"]), "step 10's own page says: migrations"
    assert CAUSES[cause]["anchor"] in {"login-required", "migrations"}


@pytest.mark.parametrize(("error", "cause", "words"), [
    ('column "priority" of relation "tasks" contains null values', "not-null-without-default", ["priority", "tasks"]),
    ("NOT NULL constraint failed: _alembic_tmp_tasks.priority", "not-null-without-default", ["priority", "tasks"]),
    ("duplicate column name: due", "create-all", ["due", "db.create_all()"]),
], ids=["PostgreSQL, NOT NULL", "SQLite batch, NOT NULL", "tables made before the migrations"])
def test_step_10_names_a_migration_the_database_refuses_even_behind_a_refusal_to_start(error, cause, words):
    """Step 10's app refuses to start in one line when its migrations fail, and keeps the database's error as the
    context of its SystemExit: that error names the cause."""
    from sqlalchemy.exc import IntegrityError
    from support.messages import diagnose

    try:
        try:
            raise IntegrityError("ALTER TABLE tasks ADD COLUMN priority INTEGER NOT NULL", {}, Exception(error))
        except IntegrityError:
            raise SystemExit("Refusing to start: cannot use the database sqlite:///tasks.db (IntegrityError)") from None
    except SystemExit as refusal:
        mistake = diagnose(refusal)
    assert mistake is not None and mistake.cause == cause
    assert all(word in mistake.texts["en"][0] + mistake.texts["en"][1] for word in words)
    assert "CREATE TABLE IF NOT EXISTS" not in " ".join(mistake.texts["en"]), "step 10's own page says: migrations"
    assert diagnose(SystemExit("Refusing to start: set APP_SECRET")) is None


@pytest.mark.parametrize(("endpoint", "cause"), [("auth.login", "blueprint-not-registered"),
                                               ("pages.indx", "url-build-error")])
def test_step_08_names_a_blueprint_that_is_not_registered(endpoint, cause):
    """Step 08 on: url_for("auth.login") with no route of the blueprint auth at all is a blueprint never
    registered; a misspelt endpoint of a registered one is a plain url_for mistake."""
    from flask import Blueprint, Flask, url_for
    from werkzeug.routing import BuildError
    from support.messages import diagnose

    app = Flask(__name__)
    pages = Blueprint("pages", __name__)
    pages.add_url_rule("/", "index", lambda: "home")
    app.register_blueprint(pages)
    with app.test_request_context("/"), pytest.raises(BuildError) as caught:
        url_for(endpoint)
    mistake = diagnose(caught.value)
    assert mistake.cause == cause and endpoint in mistake.texts["en"][0]
    if cause == "blueprint-not-registered":
        assert "app.register_blueprint(auth.bp)" in mistake.texts["zh"][1]


# A failure with no known cause: plain_cause() says it in words. -------------------------------------------------

REQUESTS = [{"method": "POST", "path": "/tasks", "status": 302, "error": None},
            {"method": "GET", "path": "/tasks?page=2", "status": 404, "error": None}]


def failure_of(check, *args):
    """The exception that check(*args) raises (a failed assert, pytest.fail, an app's error)."""
    try:
        check(*args)
    except BaseException as error:  # noqa: B036 - pytest's Failed is a BaseException
        return error
    raise AssertionError("the check passed")


def assert_said_in_words(texts):
    """Both languages, a cause and a change each, none of them an assert, a separator or an exception's name alone."""
    for language in ("zh", "en"):
        cause, change = texts[language]
        assert cause and change
        for text in (cause, change):
            assert not text.startswith(("assert ", "AssertionError", "Failed", "___", "===", "E ")), text
            assert "assert 0 != 0" not in text and "\n" not in text


def test_plain_cause_tells_the_requests_sent_what_was_expected_and_what_was_found():
    from support.messages import plain_cause

    def check(status):
        assert status == 200

    texts = plain_cause(failure_of(check, 404), REQUESTS)
    assert_said_in_words(texts)
    assert texts["en"][0] == ("The test sent POST /tasks (answered 302), then GET /tasks?page=2 (answered 404); "
                              "it expected 200 and found 404.")
    assert texts["zh"][0] == "测试发送了 POST /tasks（返回 302），然后 GET /tasks?page=2（返回 404）；它期望得到 200，实际是 404。"
    assert "/tasks?page=2" in texts["en"][1] and "browser" in texts["en"][1]


@pytest.mark.parametrize(("check", "args", "said"), [
    (lambda count: _assert_not_zero(count), (0,), "it expected something other than 0, and found exactly that"),
    (lambda page: _assert_in("Buy milk", page), ("<!doctype html><html>" + "x" * 100,),
     "it expected 'Buy milk' in the page, and it was not there"),
    (lambda found: _assert_subset({"init-db", "backup"}, found), ({"backup"},),
     "it expected all of {'backup', 'init-db'}, and {'init-db'} was missing"),
    (lambda value: _assert_message(value), (False,), "the check says: GET /tasks left its connection open"),
    (lambda value: _assert_bare(value), (False,), "the check value did not hold"),
], ids=["!=", "in a page", "subset", "its own message", "bare"])
def test_plain_cause_says_each_kind_of_assert_in_words(check, args, said):
    from support.messages import plain_cause

    texts = plain_cause(failure_of(check, *args), [])
    assert_said_in_words(texts)
    assert texts["en"][0] == said[:1].upper() + said[1:] + "."
    assert "Proof" in texts["en"][1]  # no request: the test itself says what the step must do


@pytest.mark.parametrize(("found", "said_en", "said_zh"), [
    (None, "It expected the X-Content-Type-Options header ('nosniff'), and the response had none.",
     "它期望响应带有 X-Content-Type-Options 头（值为 'nosniff'），但响应里没有这个头。"),
    ("sniff", "It expected the X-Content-Type-Options header to be 'nosniff', and found 'sniff'.",
     "它期望响应头 X-Content-Type-Options 是 'nosniff'，实际是 'sniff'。"),
], ids=["missing", "wrong"])
def test_plain_cause_names_the_response_header_a_check_read(found, said_en, said_zh):
    from support.messages import plain_cause

    texts = plain_cause(failure_of(_assert_header, {"X-Content-Type-Options": found} if found else {}), [])
    assert_said_in_words(texts)
    assert (texts["en"][0], texts["zh"][0]) == (said_en, said_zh)


class _Response:
    def __init__(self, headers):
        self.headers = headers


def _assert_header(headers):
    response = _Response(headers)
    assert response.headers.get("X-Content-Type-Options") == "nosniff"


def _assert_not_zero(count):
    assert count != 0


def _assert_in(needle, page):
    assert needle in page


def _assert_subset(expected, found):
    assert expected <= found


def _assert_message(value):
    assert value, "GET /tasks left its connection open"


def _assert_bare(value):
    assert value


def test_plain_cause_reads_the_values_of_an_assert_that_pytest_did_not_rewrite(tmp_path):
    """A step's tests taken from another step (support/reuse.py) are not rewritten: AssertionError() has no text."""
    from support.messages import plain_cause

    module = tmp_path / "test_reused.py"
    module.write_text("def check(response):\n    assert response.status_code == 200\n\n\n"
                      "def check_call(items):\n    assert len(items) == 3\n", encoding="utf-8")
    namespace = {}
    exec(compile(module.read_text(encoding="utf-8"), str(module), "exec"), namespace)

    class Response:
        status_code = 500

    error = failure_of(namespace["check"], Response())
    assert str(error) == ""
    texts = plain_cause(error, REQUESTS[-1:])
    assert_said_in_words(texts)
    assert texts["en"][0] == "The test sent GET /tasks?page=2 (answered 404); it expected 200 and found 500."
    texts = plain_cause(failure_of(namespace["check_call"], [1]), [])
    assert texts["en"][0] == "It expected len(items) to be 3, and it was not."  # a call is not made again


def test_plain_cause_uses_a_comparison_only_where_it_failed():
    """A comparison that failed and was caught elsewhere does not explain the assert that failed here."""
    from support.messages import plain_cause

    def caught():
        with pytest.raises(AssertionError):
            assert 1 == 2

    def check(flag):
        caught()
        assert flag

    assert plain_cause(failure_of(check, False), [])["en"][0] == "The check flag did not hold."


def test_plain_cause_says_what_pytest_raises_and_fail_expected():
    from support.messages import plain_cause

    def check():
        with pytest.raises(SystemExit):
            pass

    texts = plain_cause(failure_of(check), [])
    assert_said_in_words(texts)
    assert texts["en"][0] == "It expected the code to raise SystemExit, and it ended normally."


@pytest.mark.parametrize(("text", "said"), [
    ("_____ test_count _____\n\nE   assert 0 != 0\n", "It expected something other than 0, and found exactly that."),
    ("E   assert False\nE    +  where False = <Flask 'taskman'>.testing", "The check <Flask 'taskman'>.testing did not hold."),
    ("INFO alembic\nTraceback (most recent call last):\n  File \"env.py\"\nsqlalchemy.exc.ProgrammingError: relation "
     "\"users\" already exists\n[SQL: CREATE TABLE users]\nassert 1 == 0",
     "The check says: sqlalchemy.exc.ProgrammingError: relation \"users\" already exists (it expected 0, found 1)."),
    ("exec\n..F.\nFAILED tests/test_db.py::test_init_db - AssertionError: no tables\n1 failed, 3 passed in 2.0s",
     "The check says: FAILED tests/test_db.py::test_init_db - AssertionError: no tables."),
], ids=["separator and assert", "where", "a traceback in the message", "a pytest run in the message"])
def test_plain_cause_reads_pytests_text_when_that_is_all_there_is(text, said):
    """The failure as pytest wrote it (report.longrepr, or an assert's message that holds a program's output)."""
    from support.messages import plain_cause

    texts = plain_cause(text, [])
    assert_said_in_words(texts)
    assert texts["en"][0] == said


def test_plain_cause_names_the_students_file_and_line_for_an_error_of_the_app(tmp_path):
    from support.messages import plain_cause

    package = tmp_path / "my_step08" / "taskman"
    package.mkdir(parents=True)
    (package / "tasks.py").write_text('def add_task(form):\n    summary = form["summary"]\n    return summary\n',
                                      encoding="utf-8")
    namespace = {}
    exec(compile((package / "tasks.py").read_text(encoding="utf-8"), str(package / "tasks.py"), "exec"), namespace)
    error = failure_of(namespace["add_task"], {})
    log = [{"method": "POST", "path": "/tasks", "status": None, "error": "KeyError"}]
    for app_dir in (None, tmp_path / "my_step08"):
        texts = plain_cause(error, log, app_dir=app_dir)
        assert_said_in_words(texts)
        assert texts["en"][0] == ("The test sent POST /tasks (the app failed); the app raised KeyError at "
                                  "taskman/tasks.py, line 2 (summary = form[\"summary\"]): a key that is not there, "
                                  "'summary'.")
        assert texts["en"][1].startswith("Open taskman/tasks.py at line 2")
        assert "taskman/tasks.py 第 2 行" in texts["zh"][0] and "KeyError" in texts["zh"][0]


def test_plain_cause_reads_the_requests_recorded_for_each_test():
    """tests/conftest.py records every request of every Flask app, and forgets them as each test starts."""
    from flask import Flask
    from support.messages import last_requests

    assert last_requests() == []
    app = Flask(__name__)
    app.config["TESTING"] = True

    @app.post("/boom")
    def boom():
        return {}["missing"]

    client = app.test_client()
    client.get("/nowhere?q=1")
    with pytest.raises(KeyError):
        client.post("/boom")
    assert last_requests() == [{"method": "GET", "path": "/nowhere?q=1", "status": 404, "error": None},
                               {"method": "POST", "path": "/boom", "status": None, "error": "KeyError"}]


def test_the_students_own_tests_failing_come_after_a_failing_concept_of_the_app():
    """From step 08 on, a bug in the app often fails the student's own tests too: those noticed it, and the
    app's concept is the one to expand."""
    from tools.check import GRADED_TESTS, rank

    def concept(anchor, failed):
        test = {"nodeid": f"tests/08_package/test_{anchor}.py::test_it", "anchor": anchor, "en": anchor, "zh": anchor,
                "outcome": "failed" if failed else "passed",
                "failure": {"short": ["assert 1 == 2"], "cause": None, "when": "call"} if failed else None}
        return {"anchor": anchor, "en": anchor, "zh": anchor, "passed": int(not failed), "failed": int(failed),
                "skipped": 0, "failures": [test] if failed else []}

    concepts = [concept(GRADED_TESTS, True), concept("features-from-step-07", True), concept("factory", False)]
    assert [c["anchor"] for c in rank(concepts)] == ["features-from-step-07", GRADED_TESTS]
    assert [c["anchor"] for c in rank(concepts[:1])] == [GRADED_TESTS]
