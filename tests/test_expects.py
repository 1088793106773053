"""The box "What the checks expect" (tools/expects.py): what the tests declare, all of it, and nothing else.

Each step's tests declare what the student's app must produce with support/expects.py, where they check it; the
box lists those declarations. These tests hold the box to them: every declaration is in it, in both languages;
every route and command of the course's app is declared; a text declared apart from its check is the one its
support module checks; and the things students were stuck on are there.
"""
import ast
import re

import pytest

from support import ROOT, STEPS
from tools import expects as box
from tools.steps import StepApp


@pytest.fixture(scope="module")
def declared():
    """{step: its declarations}, read once."""
    return {step: box.declarations(step) for step in STEPS}


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("step", STEPS)
def test_every_declaration_is_in_the_box(declared, step, language):
    shown = box.render_expects(step, language)
    assert shown.startswith(f'??? note "{box.WORDS[language]["title"]}"\n'), "the box is folded by default"
    assert declared[step], f"tests/{step}/ declares nothing"
    lines = shown.splitlines()
    for declaration in declared[step]:
        assert f"    - {box.item(declaration, box.WORDS[language])}" in lines, (declaration.where, declaration.value)
    assert len([line for line in lines if line.startswith("    - ")]) == len(declared[step])


def rule_shape(method_and_rule):
    """"GET /tasks/<int(max=…):task_id>?page=…" as ("GET", "/tasks/<int>"): converters kept, names and query not."""
    method, _, rule = method_and_rule.partition(" ")
    shape = re.sub(r"<(?:(\w+)(?:\([^)]*\))?:)?\w+>", lambda match: f"<{match.group(1) or 'string'}>",
                   rule.partition("?")[0])
    return method, shape


@pytest.fixture(scope="module")
def apps():
    """{step: (its routes as rule shapes, its own flask commands)}, from the course's app of each step."""
    found = {}
    for step in STEPS:
        loaded = StepApp(ROOT / "steps", step)
        try:
            app = loaded.app
            routes = {rule_shape(f"{method} {rule.rule}") for rule in app.url_map.iter_rules()
                      if rule.endpoint != "static" for method in rule.methods - {"HEAD", "OPTIONS"}}
            commands = set(app.cli.list_commands(None)) - {"run", "shell", "routes"}
        finally:
            loaded.close()
        found[step] = routes, commands
    return found


@pytest.mark.parametrize("step", STEPS)
def test_every_route_of_the_step_is_declared_and_every_declared_route_exists(declared, apps, step):
    routes = {rule_shape(declaration.value) for declaration in declared[step] if declaration.kind == "routes"}
    assert apps[step][0] - routes == set(), "routes the tests reach but do not declare"
    assert routes - apps[step][0] == set(), "routes declared that the course's app does not have"


# Commands a step's app has that none of the step's tests runs (so they are no requirement of its check).
UNCHECKED_COMMANDS = {"10_postgres": {"init-db", "backup", "create-user"}}


@pytest.mark.parametrize("step", STEPS)
def test_every_command_of_the_app_is_declared(declared, apps, step):
    commands = " ".join(declaration.value for declaration in declared[step] if declaration.kind == "commands")
    missing = {name for name in apps[step][1] if not re.search(rf"\bflask (--app \S+ )?{name}\b", commands)}
    assert missing == UNCHECKED_COMMANDS.get(step, set()), "flask commands of the app that no declaration names"


def imported_sources(module):
    """The source of every support module a test module imports from."""
    sources = []
    for node in module.tree.body:
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("support."):
            path = box.support_module(node.module)
            if path:
                sources.append(path.read_text(encoding="utf-8"))
    return sources


@pytest.mark.parametrize("step", STEPS)
def test_a_text_declared_apart_from_its_check_is_the_text_its_support_module_checks(step):
    """`expects.text("...")` as a statement of its own names what a support module's test compares: the same
    words must be in that module (a pattern such as "{n} total" describes what a helper reads)."""
    for module in box.suite(step):
        for declaration in box.Reader(module).declarations():
            if declaration.kind == "texts" and declaration.bare and "{" not in declaration.value:
                # The module itself when it is a support module with its own tests (support/step04_forms.py).
                sources = imported_sources(module) + [module.path.read_text(encoding="utf-8")] * (
                    module.path.parent.name == "support")
                assert any(declaration.value in source for source in sources), declaration.where


def test_the_checks_internals_are_not_in_any_box():
    """SQL the tests run, the paths they attack with, the data they type: not what the app must produce."""
    for step in STEPS:
        shown = box.render_expects(step, "en")
        for internal in ("SELECT ", "PRAGMA", "alembic_version", "%2e%2e", "café ✓ 任务", "/etc/passwd"):
            assert internal not in shown, (step, internal)


def box_of(step):
    return box.render_expects(step, "en") + box.render_expects(step, "zh")


def test_what_students_were_stuck_on_is_in_the_boxes():
    accounts, postgres, deploy = box_of("09_accounts"), box_of("10_postgres"), box_of("07_deploy")
    # A username with a control character, and create-user refusing a name that is taken (step 09).
    assert "`A username has no tabs, line breaks or other control characters.`" in accounts
    assert "`taken` (`flask create-user ada; flask create-user ADA`)" in accounts
    assert "`flask create-user NAME --email EMAIL`" in accounts
    # The comment nginx.conf must carry for the second app server, and the student's own tests on PostgreSQL (10).
    assert re.search(r"`deploy/nginx.conf` with comments naming .*`\{\{UPSTREAM_2\}\}`", postgres)
    assert "`TEST_DATABASE_URL=postgresql+psycopg://USER:PASSWORD@localhost/NAME python -m pytest tests`" in postgres
    assert "`tests/conftest.py` containing `TEST_DATABASE_URL`" in postgres
    # Step 07: nginx.conf's comments, the messages of a refused start, the files a deployment needs.
    assert re.search(r"`deploy/nginx.conf` containing `location /static/ …` with comments naming .*`\{\{UPSTREAM\}\}`",
                     deploy)
    assert "`{{UPSTREAM_2}}`" not in deploy
    assert "`Refusing to start: FLASK_DEBUG is on in production; unset it, or set APP_ENV=development`" in deploy
    assert "`gunicorn -c gunicorn.conf.py app:app`" in deploy
    assert "app:app" not in box_of("08_package"), "step 08 reuses step 07's tests, not its module app.py"


def test_a_declaration_that_is_not_written_out_stops_the_box(tmp_path):
    module = tmp_path / "test_x.py"
    module.write_text("from support import expects\n\ndef test_x(message):\n    assert expects.text(message)\n",
                      encoding="utf-8")
    with pytest.raises(box.DeclarationError, match="write the declared value out"):
        box.Reader(box.Module(module, ast.parse(module.read_text(encoding="utf-8")))).declarations()
