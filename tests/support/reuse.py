"""Run another step's test module in this step's suite, when the behaviour it checks has not changed.

    globals().update(reused("07_deploy", "test_counts"))

brings the module's tests and fixtures into the suite that calls it (step 08 runs most of step 07's
suite this way). Their own concept markers are dropped, so the calling module's `pytestmark` names the
concept, in the calling step's page. Their asserts are rewritten as pytest rewrites a test module's, so that
a failure says what was compared (and the coach can say it in words), not just "AssertionError".
"""
import ast
import importlib.util
import itertools

from tools.steps import ROOT

_counter = itertools.count()


def reused(step, module, leave_out=(), keep_concepts=False):
    """{name: object} of tests/<step>/<module>.py, loaded afresh, without the tests named in leave_out
    (keep_concepts: with their own concept markers and the module's, when the calling page has those sections)."""
    path = ROOT / "tests" / step / f"{module}.py"
    spec = importlib.util.spec_from_file_location(f"reused_{step}_{module}_{next(_counter)}", path)
    loaded = importlib.util.module_from_spec(spec)
    exec(rewritten(path), vars(loaded))
    found = {}
    for name, value in vars(loaded).items():
        if name.startswith("__") or (name == "pytestmark" and not keep_concepts) or name in leave_out:
            continue
        marks = getattr(value, "pytestmark", None) if name.startswith("test_") and not keep_concepts else None
        if isinstance(marks, list):
            value.pytestmark = [mark for mark in marks if mark.name != "concept"]
        found[name] = value
    return found


def rewritten(path):
    """The module's code with its asserts rewritten by pytest (which only rewrites the modules it collects)."""
    from _pytest.assertion.rewrite import rewrite_asserts

    source = path.read_bytes()
    tree = ast.parse(source, filename=str(path))
    rewrite_asserts(tree, source, str(path))
    return compile(tree, str(path), "exec", dont_inherit=True)


def reused_modules(step, modules):
    """reused() of several test modules of a step, into one namespace: {module: names to leave out}.
    Two of them bringing a test or a fixture of the same name would hide one: that fails at once."""
    found, origin = {}, {}
    for module, leave_out in modules.items():
        for name, value in reused(step, module, leave_out).items():
            collected = name.startswith("test_") or type(value).__name__ == "FixtureFunctionDefinition"
            if collected and name in origin:
                raise NameError(f"tests/{step}/{module}.py and {origin[name]}.py both define {name}")
            if collected:
                origin[name] = module
            found.setdefault(name, value)
    return found
