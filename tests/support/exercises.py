"""What the exercises' tests share: the concept marker that names an exercise in the coach's report."""
from pathlib import Path

import pytest

from tools.exercises import exercise


def exercise_concept(test_file):
    """The concept marker of tests/exercises/NN_name/test_exercise_K.py: the exercise's title in both
    languages (from exercises/NN_name/K/exercise.toml) and its anchor on the step's page."""
    path = Path(test_file)
    found = exercise(path.parent.name, int(path.stem.rsplit("_", 1)[1]))
    return pytest.mark.concept(found["title"]["en"], f"exercise-{found['number']}", zh=found["title"]["zh"])
