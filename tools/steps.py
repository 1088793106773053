"""Find the steps and load a step's app.py as a fresh module, from the course or a student's folder."""
import builtins
import contextlib
import importlib.util
import itertools
import os
import sys
import tempfile
import types
from pathlib import Path

# tutorial.py is the one place that lists the steps and says which files belong to one.
from tutorial import (ROOT, STEPS, app_source, factory_package, flask_app_option, folder_diff,  # noqa: F401
                      folder_files, resolve_step)

_counter = itertools.count()


def reuse_url_builders():
    """Make each route's URL builder once per process, not once per app.

    A suite loads the app afresh for every test, and each @app.route makes Werkzeug generate and compile
    two small functions that build the route's URL (Rule._compile_builder): most of the cost of loading an
    app. What they compile depends only on the rule's text and parts, so the compiled code is kept by those
    and executed again into a new function for each rule: every app still gets functions of its own.
    A rule with defaults, or a Werkzeug without this method, is compiled as before.
    """
    from werkzeug.routing.rules import Rule

    original = getattr(Rule, "_compile_builder", None)
    if original is None or getattr(original, "reused", False) or not hasattr(Rule, "_get_func_code"):
        return
    compiled = {}

    def compile_builder(self, append_unknown=True):
        if self.defaults:
            return original(self, append_unknown)
        key = (self.rule, tuple(self._trace), append_unknown)
        if key not in compiled:
            function = original(self, append_unknown)
            compiled[key] = (function.__code__, function.__name__)
            return function
        code, name = compiled[key]
        return types.FunctionType(code, {"__builtins__": builtins}, name)

    compile_builder.reused = True
    Rule._compile_builder = compile_builder


@contextlib.contextmanager
def environment(**names):
    """Set these environment variables for the with-block (a step reads them when it is loaded), then restore them."""
    saved = {name: os.environ.get(name) for name in names}
    os.environ.update(names)
    try:
        yield dict(os.environ)
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def step_title(step):
    """Turn "03_templates" into "step 03 (templates)"."""
    number, _, name = step.partition("_")
    return f"step {number} ({name})"


def load_app_module(app_dir):
    """Import app_dir/app.py under a new module name, so every test gets fresh module state.

    The folder is put first on sys.path while it loads, so a step that is split over
    several modules can import its siblings. A step made as a package with an application
    factory (step 08 on: taskman/__init__.py with create_app) is imported the same way, under a
    new name, and create_app() makes its app: the module returned has it as `app` all the same.
    """
    reuse_url_builders()
    app_dir = Path(app_dir).resolve()
    app_py = app_dir / "app.py"
    package = None if app_py.is_file() else factory_package(app_dir)
    if not app_py.is_file() and package is None:
        raise FileNotFoundError(
            f"There is no app.py in {app_dir}. Every step keeps its Flask app in app.py, "
            "as an object named app, so that `flask run` finds it "
            "(from step 08 on, in a package whose __init__.py has create_app())."
        )
    name = f"course_app_{next(_counter)}"
    if package is None:
        spec = importlib.util.spec_from_file_location(name, app_py)
    else:
        init = app_dir / package / "__init__.py"
        spec = importlib.util.spec_from_file_location(name, init, submodule_search_locations=[str(init.parent)])
    module = importlib.util.module_from_spec(spec)
    # Flask finds the templates and static folders through the module registered here.
    sys.modules[name] = module
    sys.path.insert(0, str(app_dir))
    try:
        spec.loader.exec_module(module)
        if package is not None:
            module.app = module.create_app()
    finally:
        sys.path.remove(str(app_dir))
    if not hasattr(module, "app"):
        raise AttributeError(f"{app_py} defines no object named app: write app = Flask(__name__).")
    return module


def endpoint(app, view):
    """The endpoint of a view function by its name: "tasks" in steps 05-07, "tasks.tasks" once blueprints
    put their name in front (step 08 on)."""
    names = [name for name in app.view_functions if name == view or name.endswith("." + view)]
    if not names:
        raise LookupError(f"The app has no view function named {view}.")
    return names[0]


def module_defining(module, name):
    """The module of a loaded step that defines `name`: app.py itself, or the package's submodule
    (taskman.auth for validate_signup in step 08)."""
    if name in vars(module):
        return module
    for value in list(vars(module).values()):
        if isinstance(value, types.ModuleType) and value.__name__.startswith(module.__name__ + ".") and name in vars(value):
            return value
    raise LookupError(f"No module of {module.__name__} defines {name}.")


def previous_step(step):
    """The step before this one, or None for the first."""
    index = STEPS.index(step)
    return STEPS[index - 1] if index else None


class StepApp:
    """A step's app, loaded fresh with its database in a temporary folder, for real requests."""

    def __init__(self, steps, step):
        self.tmp = tempfile.TemporaryDirectory(prefix="course-", ignore_cleanup_errors=True)
        self.database = os.path.join(self.tmp.name, "tasks.db")
        sys.dont_write_bytecode = True
        with environment(APP_SECRET="course-tools-" + "x" * 40, APP_DATABASE=self.database):
            self.module = load_app_module(Path(steps) / step)
            self.app = self.module.app
        self.app.config.update(TESTING=True)
        if "DATABASE" in self.app.config:
            self.app.config["DATABASE"] = self.database
        self.client = self.app.test_client()
        self.token = None

    def close(self):
        """Delete the temporary database."""
        self.tmp.cleanup()
