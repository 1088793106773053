"""The exercises at the end of each step page: every reference solution passes its exercise's check, the
untouched step fails it (in Chinese and in English), and the step's own check still passes once the
step's exercises are solved. Also: their texts, their hints, and the diff applier behind the solutions."""
import concurrent.futures
import json
import os
import re
import subprocess
import sys

import pytest

from support import ROOT, STEPS
from tools import exercises
from tutorial import build_parser, factory_package, folder_files

CJK = re.compile(r"[\u3400-\u9fff]")
# Part 1 (steps 01-07) has its exercises; a step of Part 2 is held to the same once its exercises land.
PART_ONE = [step for step in STEPS if int(step[:2]) <= 7]
WITH_EXERCISES = sorted(set(PART_ONE) | {path.parent.parent.name for path in exercises.EXERCISES.glob("*/*/exercise.toml")})
ALL = exercises.all_exercises()
IDS = [f"{found['step'][:2]}-{found['number']}" for found in ALL]


@pytest.fixture(scope="module")
def verified(tmp_path_factory):
    """{(step, exercise, state, language): row} from `python -m tools.exercises verify`, one process per
    step, as many at once as there are processors."""
    folder = tmp_path_factory.mktemp("exercises")

    def run(step):
        out = folder / f"{step}.json"
        command = [sys.executable, "-m", "tools.exercises", "verify", "--steps", step, "--json", str(out)]
        result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=900,
                                env=dict(os.environ, PYTHONDONTWRITEBYTECODE="1"))
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
        return json.loads(out.read_text(encoding="utf-8"))

    steps = sorted({found["step"] for found in ALL})
    with concurrent.futures.ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
        rows = [row for result in pool.map(run, steps) for row in result]
    return {(row["step"], str(row["exercise"]), row["state"], row["language"]): row for row in rows}


def test_every_step_has_exercises():
    assert set(PART_ONE) <= {found["step"] for found in ALL}
    for step in WITH_EXERCISES:
        numbers = [found["number"] for found in exercises.exercises_of(step)]
        assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) >= 3, (step, numbers)


@pytest.mark.parametrize("found", ALL, ids=IDS)
def test_an_exercise_has_its_texts_tests_and_solution(found):
    for field in ("title", "task", "nudge", "hint"):
        assert found[field]["zh"].strip() and found[field]["en"].strip(), (found["folder"], field)
        assert CJK.search(found[field]["zh"]) and not CJK.search(found[field]["en"]), (found["folder"], field)
    assert exercises.tests_of(found).is_file()
    assert exercises.parse_diff(exercises.solution_of(found)), "solution.diff holds no change"


@pytest.mark.parametrize("step", WITH_EXERCISES)
def test_each_step_has_an_exercise_on_the_apps_code_and_one_on_a_page_or_form(step):
    """The app's code: app.py, or from step 08 on the Python modules of the package create_app() is in."""
    touched = [exercises.parse_diff(exercises.solution_of(found)) for found in exercises.exercises_of(step)]
    package = factory_package(ROOT / "steps" / step)
    code = [path for diff in touched for path, _ in diff
            if path == "app.py" or (package and path.startswith(f"{package}/") and path.endswith(".py"))]
    assert code, f"no exercise of {step} changes the app's Python code"
    pages = [path for diff in touched for path, hunks in diff
             if path.endswith(".html") or any("<form" in line or "<a " in line
                                               for _, new in hunks for line in new)]
    assert pages, f"no exercise of {step} changes a template, a page or a form"


@pytest.mark.parametrize("found", ALL, ids=IDS)
def test_the_untouched_step_fails_and_the_solution_passes_in_both_languages(verified, found):
    key = (found["step"], str(found["number"]))
    for language in ("zh", "en"):
        untouched, solved = verified[(*key, "untouched", language)], verified[(*key, "solved", language)]
        assert not untouched["passed"], f"the untouched step passes exercise {key}:\n{untouched['report']}"
        assert solved["passed"], f"the reference solution fails exercise {key}:\n{solved['report']}"
        for row in (untouched, solved):
            assert found["title"][language] in row["report"].splitlines()[0]
            assert bool(CJK.search(row["report"])) == (language == "zh"), row["report"]


@pytest.mark.parametrize("step", WITH_EXERCISES)
def test_the_steps_own_check_passes_with_its_exercises_solved(verified, step):
    rows = [row for (name, _, state, _), row in verified.items() if name == step and state == "step-suite"]
    assert rows
    for row in rows:
        assert row["passed"], f"step {step} with the solutions of exercises {row['exercise']}:\n{row['report']}"


def test_hints_come_one_level_at_a_time_and_are_remembered(tmp_path, capsys):
    found = exercises.exercise("03_templates", 1)
    shown = []
    for _ in range(4):
        assert exercises.main(["03", "1", "--app-dir", str(tmp_path), "--hint", "--lang", "en"]) == 0
        shown.append(capsys.readouterr().out)
    assert found["nudge"]["en"].strip() in shown[0] and found["hint"]["en"].strip() not in shown[0]
    assert found["hint"]["en"].strip() in shown[1] and "+++ b/" not in shown[1]
    assert exercises.solution_of(found) in shown[2] and "last level" in shown[2]
    assert shown[3] == shown[2]
    assert json.loads((tmp_path / exercises.HINTS_FILE).read_text()) == {"03_templates/1": 3}
    assert exercises.main(["03", "2", "--app-dir", str(tmp_path), "--hint", "--lang", "zh"]) == 0
    assert found["nudge"]["zh"] not in capsys.readouterr().out
    assert json.loads((tmp_path / exercises.HINTS_FILE).read_text())["03_templates/2"] == 1
    assert folder_files(tmp_path) == [], "the step's own files must not include the hints file"


def test_a_hint_needs_the_students_folder(capsys):
    assert exercises.main(["03", "1", "--hint", "--lang", "en"]) == 2
    assert "--app-dir" in capsys.readouterr().out


def test_an_exercise_that_does_not_exist_is_named(capsys):
    assert exercises.main(["03", "9", "--lang", "zh"]) == 2
    assert "练习 9" in capsys.readouterr().out


def test_tutorial_check_takes_exercise_and_hint():
    args = build_parser().parse_args(["check", "03", "--exercise", "2", "--hint", "--app-dir", "x"])
    assert (args.exercise, args.hint) == (2, True)


def test_a_solution_applies_by_its_lines_not_their_numbers(tmp_path):
    (tmp_path / "app.py").write_text("a\nb\nc\nd\n")
    diff = "--- a/app.py\n+++ b/app.py\n@@ -40,2 +40,3 @@\n c\n+inserted\n d\n--- /dev/null\n+++ b/new.txt\n" \
           "@@ -0,0 +1 @@\n+new\n"
    exercises.apply_diff(diff, tmp_path)
    assert (tmp_path / "app.py").read_text() == "a\nb\nc\ninserted\nd\n"
    assert (tmp_path / "new.txt").read_text() == "new\n"
    with pytest.raises(exercises.PatchError):
        exercises.apply_diff("--- a/app.py\n+++ b/app.py\n@@ -1 +1 @@\n-missing\n+x\n", tmp_path)


@pytest.mark.parametrize("language", ["zh", "en"])
@pytest.mark.parametrize("step", WITH_EXERCISES)
def test_the_page_shows_each_exercise_with_its_hints_collapsed_in_order(step, language):
    """{{ exercises NN_name }} on a step's page: the task, its check, then one collapsed block of hints holding
    nudge, hint and the solution's diff, each collapsed too (??? not ???+), the diff generated from solution.diff."""
    markdown = exercises.page_markdown(step, language)
    for found in exercises.exercises_of(step):
        number = found["number"]
        start = markdown.index(f"### {number}. {found['title'][language]} {{ #exercise-{number} }}")
        end = markdown.find(f"{{ #exercise-{number + 1} }}", start)
        part = markdown[start:end if end > 0 else None]
        assert found["task"][language].strip() in part
        assert f"check {step[:2]} --exercise {number} --app-dir" in part and "--hint" in part
        levels = [part.index(found["nudge"][language].strip()), part.index(found["hint"][language].strip()),
                  part.index(f'data-source="exercises/{step}/{number}/solution.diff"')]
        assert levels == sorted(levels)
        assert part.count("\n??? ") == 1 and part.count("\n    ??? ") == 3 and "???+" not in part
        assert part.index("\n??? ") < part.index("--hint") < levels[0], "the hints' fold holds --hint and the levels"
        first_added = next(line for line in exercises.solution_of(found).splitlines()
                           if line.startswith("+") and not line.startswith("+++") and line.strip("+ "))
        assert first_added in part


def test_write_solution_gives_back_the_diff_of_a_solved_folder(tmp_path):
    """Authors write solution.diff from a solved folder: applying it and writing it again changes nothing."""
    found = exercises.exercise("06_taskman", 1)
    solved = exercises.step_copy("06_taskman", tmp_path)
    exercises.apply_diff(exercises.solution_of(found), solved)
    (tmp_path / "texts").mkdir()
    assert exercises.write_solution(dict(found, folder=tmp_path / "texts"), solved) == exercises.solution_of(found)
