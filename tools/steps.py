"""Find the steps and load a step's app.py as a fresh module, from the course or a student's folder."""
import contextlib
import importlib.util
import itertools
import os
import sys
import tempfile
from pathlib import Path

# tutorial.py is the one place that lists the steps and says which files belong to one.
from tutorial import ROOT, STEPS, folder_diff, folder_files, resolve_step  # noqa: F401

_counter = itertools.count()


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
    several modules can import its siblings.
    """
    app_dir = Path(app_dir).resolve()
    app_py = app_dir / "app.py"
    if not app_py.is_file():
        raise FileNotFoundError(
            f"There is no app.py in {app_dir}. Every step keeps its Flask app in app.py, "
            "as an object named app, so that `flask run` finds it."
        )
    name = f"course_app_{next(_counter)}"
    spec = importlib.util.spec_from_file_location(name, app_py)
    module = importlib.util.module_from_spec(spec)
    # Flask finds the templates and static folders through the module registered here.
    sys.modules[name] = module
    sys.path.insert(0, str(app_dir))
    try:
        spec.loader.exec_module(module)
    finally:
        sys.path.remove(str(app_dir))
    if not hasattr(module, "app"):
        raise AttributeError(f"{app_py} defines no object named app: write app = Flask(__name__).")
    return module


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
