"""Step 08: the app as a package, made by an application factory, as Flask's tutorial makes one."""
import ast
import os
import sqlite3
import subprocess

import pytest

from support import expects, load_app_module
from support.messages import expect
from support.servers import python
from tutorial import app_source, factory_package

pytestmark = pytest.mark.concept("an application factory in a package", "factory", zh="包里的应用工厂")

expects.file("taskman/__init__.py", names=["create_app(test_config=None)"])
expects.file("taskman/db.py", names=["get_db", "init_app"])
expects.file("taskman/schema.sql")
expects.file("taskman/templates/base.html")
expects.file("taskman/static/style.css")
expects.command("flask --app taskman run")
expects.command('gunicorn -c gunicorn.conf.py "taskman:create_app()"')


def package_dir(app_dir):
    """The package folder (taskman/), or a failure that says what the step expects."""
    package = factory_package(app_dir)
    assert package, "Make a package (a folder with __init__.py) whose __init__.py defines create_app(test_config=None)."
    return app_dir / package


def test_create_app_makes_a_new_app_at_each_call(app_module):
    first, second = app_module.create_app(), app_module.create_app()
    assert first is not second
    first.config["SOMETHING"] = "only in the first"
    assert "SOMETHING" not in second.config


def test_the_test_config_wins_over_the_environment(app_module, tmp_path):
    """create_app(test_config): what a test passes replaces what the environment says, and TESTING is on."""
    chosen = str(tmp_path / "chosen.db")
    app = app_module.create_app({"TESTING": True, "DATABASE": chosen})
    lost = [name for name, value in (("TESTING", True), ("DATABASE", chosen)) if app.config.get(name) != value]
    expect(not lost, "test-config-ignored", lost=", ".join(lost))
    assert app.testing
    assert app.config["DATABASE"] == chosen
    assert os.path.exists(chosen), "create_app() makes the database's tables, as step 07 did when it was loaded"
    assert app_module.create_app().config["DATABASE"] != chosen


def test_the_rules_hold_for_a_test_config_too(app_module, tmp_path, monkeypatch):
    """A test config cannot switch off the refusal to start: a short secret still stops the app."""
    monkeypatch.delenv("APP_ENV", raising=False)
    with pytest.raises(SystemExit, match="APP_SECRET"):
        app_module.create_app({"SECRET_KEY": "short", "DATABASE": str(tmp_path / "tasks.db")})


def test_each_blueprint_brings_its_routes(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    expected = {"pages.index", "pages.health", "pages.docs", "tasks.tasks", "tasks.add_task", "tasks.toggle_task",
                "tasks.delete_task", "tasks.purge_done", "tasks.task_detail", "tasks.search", "tasks.api_tasks",
                "auth.login", "auth.signup"}
    # The step's three blueprints; one of the student's own (exercise 1's stats) may come beside them.
    for name in sorted({"pages", "tasks", "auth"} - set(app.blueprints)):
        expect(False, "blueprint-not-registered", blueprint=name,
               endpoint=min(endpoint for endpoint in expected if endpoint.startswith(name + ".")))
    assert expected <= endpoints


def test_db_init_app_registers_the_teardown_and_the_commands(app, app_module):
    missing = [command for command in ("init-db", "backup") if command not in app.cli.commands]
    expect(not missing, "init-app-not-called", command=" ".join(missing[:1]))
    with app.app_context():
        connection = app_module.db.get_db()
        assert connection is app_module.db.get_db()
    with pytest.raises(sqlite3.ProgrammingError, match="closed"):
        connection.execute("SELECT 1")


def test_schema_sql_lies_beside_db_py(app_dir):
    package = package_dir(app_dir)
    assert (package / "db.py").is_file() and (package / "schema.sql").is_file()
    assert (package / "templates" / "base.html").is_file() and (package / "static" / "style.css").is_file()


def module_level_apps(path):
    """The names a module binds to Flask(...) at its top level."""
    tree = ast.parse(path.read_bytes())
    return [ast.unparse(node) for node in tree.body if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Call) and ast.unparse(node.value.func).endswith("Flask")]


def test_no_module_makes_an_app_when_it_is_imported(app_dir):
    """Pitfall 12: one app made at import time is shared by every test, with whatever the last test left in
    its configuration; only create_app() makes one.

    陷阱 12：导入时就创建的那一个应用会被所有测试共用，带着上一个测试留在配置里的东西；只有 create_app() 才创建应用。
    """
    package = package_dir(app_dir)
    found = {path.name: module_level_apps(path) for path in package.glob("*.py") if module_level_apps(path)}
    assert not found, f"These modules make an app when imported: {found}. Make it inside create_app()."


def test_importing_the_package_touches_nothing(app_dir, tmp_path):
    """No import-time side effects: importing the package opens no database and needs no secret."""
    database = tmp_path / "import-only.db"
    env = {name: value for name, value in os.environ.items() if not name.startswith(("APP_", "FLASK_"))}
    env.update(APP_DATABASE=str(database), PYTHONDONTWRITEBYTECODE="1")
    package = factory_package(app_dir)
    result = subprocess.run([python(), "-c", f"import {package}; print('imported')"], cwd=app_dir, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.stdout.strip() == "imported", result.stderr
    assert not database.exists()


COMMANDS = {
    "flask --app taskman run": ["-m", "flask", "--app", "{package}", "run", "--port", "{port}"],
    "create_app()": ["-c", "from {package} import create_app; create_app()"],
}


@pytest.mark.parametrize("arguments", COMMANDS.values(), ids=COMMANDS.keys())
def test_starting_without_app_secret_prints_one_line_and_fails(app_dir, clean_env, port, arguments):
    """Step 07's refusal, when the factory makes the app: one line, an error code, no traceback."""
    env = dict(clean_env)
    env.pop("APP_SECRET")
    env.pop("APP_ENV", None)
    package = factory_package(app_dir)
    command = [python()] + [part.format(port=port, package=package) for part in arguments]
    result = subprocess.run(command, cwd=app_dir, env=env, capture_output=True, text=True, timeout=30)
    assert result.returncode != 0
    assert "Traceback" not in result.stderr
    assert "Refusing to start: set APP_SECRET" in result.stderr


def test_the_loader_finds_the_factory(app_dir, app_env):
    """What `flask --app taskman`, gunicorn's "taskman:create_app()" and the course's checks all do."""
    module = load_app_module(app_dir)
    assert module.app.name == module.__name__
    assert app_source(app_dir) == app_dir / factory_package(app_dir) / "__init__.py"
