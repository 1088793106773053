"""The exercises' tests: tests/exercises/NN_name/test_exercise_K.py grades exercise K of step NN.

They check what a student adds to a step, so the course's own step fails them: they run only when asked by
name (`python tutorial.py check NN --exercise K`, or pytest given this folder or a file in it), never in
the default run, which checks the reference solutions instead (tests/test_exercises.py).
"""
from pathlib import Path

import pytest

HERE = Path(__file__).resolve().parent


def pytest_ignore_collect(collection_path, config):
    """Leave the exercises out unless the command line names this folder or something in it."""
    named = [Path(arg.split("::")[0]).resolve() for arg in config.args]
    if not any(path == HERE or HERE in path.parents for path in named):
        return True
    return None


@pytest.fixture
def step(request):
    """The step an exercise belongs to: the name of the folder its test file is in."""
    return Path(request.node.path).resolve().relative_to(HERE).parts[0]
