"""The exercises at the end of each step: `python tutorial.py check NN --exercise K [--hint]`.

    python -m tools.exercises 03 1 --app-dir PATH [--lang zh|en] [--verbose]   grade exercise 1 of step 03
    python -m tools.exercises 03 1 --app-dir PATH --hint                        the next hint not yet seen
    python -m tools.exercises verify [--steps 03 04] [--json FILE]              CI: every reference solution
    python -m tools.exercises 03 1 --write-solution SOLVED                      authors: solution.diff from SOLVED

Where things live:
  exercises/NN_name/K/exercise.toml    the exercise in both languages: title, task, nudge, hint
  exercises/NN_name/K/solution.diff    the reference solution, a unified diff against steps/NN_name
                                       (the third hint level; the site shows it too)
  tests/exercises/NN_name/test_exercise_K.py
                                       the tests that grade it; the step's own check never runs them

A check reuses the coach (tools/check.py): the same structural checks, the same run on a temporary copy,
the same report. Hints are remembered in the student's folder, in HINTS_FILE (tutorial.py ignores it).
"""
import argparse
import contextlib
import json
import re
import shutil
import sys
import tempfile
import time
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from tutorial import HINTS_FILE, IGNORED_NAMES, STEPS, resolve_step, student_language  # noqa: E402

EXERCISES = ROOT / "exercises"
LEVELS = ("nudge", "hint", "solution")

TEXT = {
    "zh": {
        "head": "检查 {folder}，对照第 {number} 步（{name}）的练习 {exercise}：{title}",
        "no-exercise": "第 {number} 步没有练习 {exercise}。这一步的练习：{choices}。",
        "level": {"nudge": "提示 1/3（往哪里看）", "hint": "提示 2/3（用什么）", "solution": "提示 3/3（参考答案，相对本步的 diff）"},
        "next": "还想要下一级提示：再运行一次这条命令。",
        "last": "这是最后一级提示。照着它改你的文件，然后去掉 --hint 再检查一次。",
        "no-folder": "--hint 会把看过的提示记在你的文件夹里：请用 --app-dir 指向你写这一步的文件夹。",
        "change": "再读一遍页面上的练习；python tutorial.py check {number} --exercise {exercise} --app-dir 你的文件夹 --hint 会给出下一级提示。",
        "page": {"check": "检查你的答案：", "hints": "提示，一次一级（也可以在上面的命令后加 --hint）",
                 "nudge": "提示 1：往哪里看", "hint": "提示 2：用什么",
                 "solution": "提示 3：参考答案（相对本步的 diff）"},
        "solved-and-step": "练习的检查通过了；再运行 python tutorial.py check {number} --app-dir {folder}，"
                           "确认这一步本身的检查仍然通过。",
    },
    "en": {
        "head": "Checking {folder} against exercise {exercise} of step {number} ({name}): {title}",
        "no-exercise": "Step {number} has no exercise {exercise}. Its exercises: {choices}.",
        "level": {"nudge": "Hint 1 of 3 (where to look)", "hint": "Hint 2 of 3 (what to use)",
                  "solution": "Hint 3 of 3 (a reference solution, as a diff against the step)"},
        "next": "For the next level, run the same command again.",
        "last": "That was the last level. Change your files along it, then check again without --hint.",
        "no-folder": "--hint remembers the hints you have seen in your folder: point --app-dir at the folder "
                     "where you wrote this step.",
        "change": "Read the exercise on the step's page again; python tutorial.py check {number} --exercise {exercise} "
                  "--app-dir YOUR_FOLDER --hint gives the next hint.",
        "page": {"check": "Check your solution:",
                 "hints": "Hints, one level at a time (or add --hint to the command above)",
                 "nudge": "Hint 1: where to look", "hint": "Hint 2: what to use",
                 "solution": "Hint 3: a reference solution (a diff against the step)"},
        "solved-and-step": "The exercise's check passes; run python tutorial.py check {number} --app-dir {folder} "
                           "too, to see that the step's own check still passes.",
    },
}


# The exercises ------------------------------------------------------------------------------------------

def exercises_of(step):
    """The exercises of a step, in order: each a dict with step, number, folder and the texts of exercise.toml."""
    found = []
    for folder in sorted((EXERCISES / step).glob("*/exercise.toml"), key=lambda path: int(path.parent.name)):
        data = tomllib.loads(folder.read_text(encoding="utf-8"))
        found.append(dict(data, step=step, number=int(folder.parent.name), folder=folder.parent))
    return found


def all_exercises():
    """Every exercise of every step."""
    return [exercise for step in STEPS for exercise in exercises_of(step)]


def exercise(step, number):
    """One exercise, or None."""
    return next((found for found in exercises_of(step) if found["number"] == int(number)), None)


def tests_of(found):
    """The test file that grades an exercise."""
    return ROOT / "tests" / "exercises" / found["step"] / f"test_exercise_{found['number']}.py"


def solution_of(found):
    """The reference solution's diff, as text."""
    return (found["folder"] / "solution.diff").read_text(encoding="utf-8")


# Applying a solution ------------------------------------------------------------------------------------

class PatchError(Exception):
    """A diff that does not fit the folder it is applied to."""


def parse_diff(text):
    """[(path, [(old lines, new lines), ...]), ...] from a unified diff (tutorial.py diff's, git's or diff -u's)."""
    files, lines, index = [], text.splitlines(), 0
    while index < len(lines):
        line = lines[index]
        if line.startswith("--- ") and index + 1 < len(lines) and lines[index + 1].startswith("+++ "):
            old, new = line[4:].split("\t")[0], lines[index + 1][4:].split("\t")[0]
            path = (new if new != "/dev/null" else old).split("/", 1)[1]
            files.append((path, []))
            index += 2
            continue
        if line.startswith("@@") and files:
            old_lines, new_lines = [], []
            index += 1
            while index < len(lines) and not lines[index].startswith(("@@", "--- ", "diff ")):
                body = lines[index]
                if body.startswith("\\"):
                    index += 1
                    continue
                kind, rest = (body[:1] or " "), body[1:]
                if kind in " -":
                    old_lines.append(rest)
                if kind in " +":
                    new_lines.append(rest)
                index += 1
            files[-1][1].append((old_lines, new_lines))
            continue
        index += 1
    return files


def apply_diff(text, folder):
    """Apply a unified diff to folder. Each hunk is found by its lines, not its line numbers, so a solution
    still applies after the step changed elsewhere in the file; a hunk whose lines are not there is a PatchError."""
    folder = Path(folder)
    for path, hunks in parse_diff(text):
        target = folder / path
        content = target.read_text(encoding="utf-8").split("\n") if target.is_file() else []
        for old_lines, new_lines in hunks:
            if not old_lines:
                content = new_lines + ([""] if not content else content)
                continue
            start = next((i for i in range(len(content) - len(old_lines) + 1)
                          if content[i:i + len(old_lines)] == old_lines), None)
            if start is None:
                raise PatchError(f"{path}: these lines are not there:\n" + "\n".join(old_lines[:6]))
            content[start:start + len(old_lines)] = new_lines
        target.parent.mkdir(parents=True, exist_ok=True)
        text_out = "\n".join(content)
        target.write_text(text_out if text_out.endswith("\n") else text_out + "\n", encoding="utf-8")


def step_copy(step, into):
    """A copy of the course's step in `into`, without caches and databases."""
    target = Path(into) / step
    shutil.copytree(ROOT / "steps" / step, target,
                    ignore=shutil.ignore_patterns(*IGNORED_NAMES, "*.pyc", "*.db", "*.sqlite*"))
    return target


# Checking -----------------------------------------------------------------------------------------------

def check_exercise(found, folder, language):
    """Grade a folder on one exercise: the coach's result (tools/check.py), run on the exercise's tests."""
    from tools import check

    folder = Path(folder).resolve()
    result = {"step": found["step"], "folder": str(folder), "display": str(folder), "language": language,
              "exercise": found["number"]}
    if not folder.is_dir():
        result.update(structural=["no-folder", {"folder": str(folder)}], concepts=[], passed=False, output="")
        return result
    # In a temporary copy, as the step's check does: importing the app to look at it writes its database.
    with check.temporary_copy(folder) as copy:
        problem = check.structural_problem(found["step"], copy, display=str(folder))
        if problem:
            result.update(structural=list(problem), concepts=[], passed=False, output="")
            return result
        tests, code, output, changes = check.run_suite(found["step"], copy, language, tests=tests_of(found),
                                                       copied=True)
    concepts = check.concepts_of(tests, found["step"])
    result.update(structural=None, concepts=concepts, exit=code, output=output, repository_changes=changes,
                  passed=code == 0 and not any(c["failed"] for c in concepts) and bool(concepts))
    return result


def render(found, result, language):
    """The coach's report, headed with the exercise; when it passes, a reminder of the step's own check."""
    from tools import check

    number, name = check.step_name(found["step"])
    head = TEXT[language]["head"].format(folder=result["display"], number=number, name=name,
                                         exercise=found["number"], title=found["title"][language])
    change = TEXT[language]["change"].format(number=number, exercise=found["number"])
    report = head + "\n" + check.render(result, language).split("\n", 1)[1].replace(
        check.say(language, "generic_change"), change)
    if result["passed"]:
        report += "\n" + TEXT[language]["solved-and-step"].format(number=number, folder=result["display"]) + "\n"
    return report


# The step's page ----------------------------------------------------------------------------------------

def page_markdown(step, language):
    """The exercises of a step for its page (the site's {{ exercises NN_name }}): each with its task, the
    command that checks it, and one fold holding the command with --hint and the three hint levels, each
    collapsed in order (pymdownx.details), the last the reference solution's diff, generated from solution.diff."""
    from tools.site import block, fence, indent, render_command

    words, parts = TEXT[language]["page"], []
    for found in exercises_of(step):
        number = found["number"]
        command = f"python tutorial.py check {step[:2]} --exercise {number} --app-dir path/to/my_step{step[:2]}"
        solution = block("exercise", f"exercises/{step}/{number}/solution.diff", fence(solution_of(found), "diff"))
        parts.append("\n\n".join([
            f"### {number}. {found['title'][language]} {{ #exercise-{number} }}",
            found["task"][language].strip(),
            words["check"],
            render_command(command),
            # The three levels in one fold: a student who wants none sees one line.
            f'??? tip "{words["hints"]}"\n\n' + indent("\n\n".join([
                render_command(command + " --hint"),
                f'??? tip "{words["nudge"]}"\n\n' + indent(found["nudge"][language].strip()),
                f'??? tip "{words["hint"]}"\n\n' + indent(found["hint"][language].strip()),
                f'??? example "{words["solution"]}"\n\n' + indent(solution)])),
        ]))
    return "\n\n".join(parts)


# Hints --------------------------------------------------------------------------------------------------

def hints_seen(folder):
    """{"03_templates/1": levels seen} from the student's folder."""
    with contextlib.suppress(OSError, ValueError):
        seen = json.loads((Path(folder) / HINTS_FILE).read_text(encoding="utf-8"))
        if isinstance(seen, dict):
            return seen
    return {}


def level_text(found, level, language):
    """The text of one hint level: the nudge, the hint, or the reference solution's diff."""
    if level == "solution":
        return solution_of(found)
    return found[level][language].strip() + "\n"


def next_hint(found, folder, language):
    """The next hint level the student has not seen (the last one again once all are seen); remember it."""
    key = f"{found['step']}/{found['number']}"
    seen = hints_seen(folder)
    count = min(int(seen.get(key, 0)) + 1, len(LEVELS))
    seen[key] = count
    (Path(folder) / HINTS_FILE).write_text(json.dumps(seen, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    level = LEVELS[count - 1]
    words = TEXT[language]
    ending = words["last"] if count == len(LEVELS) else words["next"]
    colon = "：" if language == "zh" else ":"
    return f"{found['title'][language]}\n{words['level'][level]}{colon}\n\n{level_text(found, level, language)}\n{ending}\n"


# CI: every reference solution ---------------------------------------------------------------------------

def verify(steps=None, step_suite=True):
    """For every exercise of `steps` (default: all): the untouched step fails its check, in both languages,
    and the reference solution passes it (one run: a passing report holds no text from the tests, so it is
    rendered in both languages); then the step's own check (without the real servers and the grading) passes on a folder
    with the step's solutions applied.

    Solutions are applied one after another into one copy per step; one that does not fit on top of the
    others gets a copy of its own. Returns a list of plain dicts, one per check made."""
    from tools import check

    rows = []

    def row(step, numbers, state, language, passed, report, started):
        rows.append({"step": step, "exercise": numbers, "state": state, "language": language, "passed": passed,
                     "report": report, "seconds": round(time.monotonic() - started, 2)})

    with tempfile.TemporaryDirectory(prefix="flask-course-exercises-") as tmp:
        for step in steps or STEPS:
            combined = {}  # a copy with several solutions applied: the numbers of those solutions
            for found in exercises_of(step):
                name = f"{step}-{found['number']}"
                untouched = step_copy(step, Path(tmp) / f"{name}-untouched")
                solved = step_copy(step, Path(tmp) / f"{name}-solved")
                apply_diff(solution_of(found), solved)
                for language in ("zh", "en"):
                    started = time.monotonic()
                    result = check_exercise(found, untouched, language)
                    row(step, found["number"], "untouched", language, result["passed"],
                        render(found, result, language), started)
                started = time.monotonic()
                result = check_exercise(found, solved, "en")
                for language in ("zh", "en"):
                    row(step, found["number"], "solved", language, result["passed"],
                        render(found, result, language), started)
                folder = next((folder for folder in combined if fits(solution_of(found), folder)), None)
                if folder is None:
                    folder = step_copy(step, Path(tmp) / f"{name}-all")
                    combined[folder] = []
                apply_diff(solution_of(found), folder)
                combined[folder].append(found["number"])
            for folder, numbers in combined.items() if step_suite else ():
                started = time.monotonic()
                result = check.check(step, folder, "en", fast=True)
                row(step, numbers, "step-suite", "en", result["passed"], check.render(result, "en"), started)
    return rows


def write_solution(found, solved_folder):
    """Write an exercise's solution.diff from a folder where it is solved: the diff from the course's step,
    in the form apply_diff reads (a/ and b/ before the paths, /dev/null for a new file)."""
    from tutorial import folder_diff

    diff = "".join(text for _, _, text in folder_diff(ROOT / "steps" / found["step"], solved_folder, "a", "b"))
    (found["folder"] / "solution.diff").write_text(diff, encoding="utf-8")
    return diff


def fits(diff, folder):
    """Whether a diff applies to folder (tried on a scratch copy)."""
    with tempfile.TemporaryDirectory(prefix="flask-course-fit-") as tmp:
        scratch = Path(tmp) / "copy"
        shutil.copytree(folder, scratch)
        try:
            apply_diff(diff, scratch)
        except PatchError:
            return False
    return True


# The command line ---------------------------------------------------------------------------------------

def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.exercises", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("step", help="a step (3, 03 or 03_templates), or verify")
    parser.add_argument("exercise", nargs="?", type=int, help="the exercise's number on the step's page")
    parser.add_argument("--app-dir", metavar="PATH", help="your folder (default: the course's own step)")
    parser.add_argument("--lang", choices=["zh", "en"], help="the report's language (default: from the locale)")
    parser.add_argument("--hint", action="store_true", help="print the next hint level you have not seen yet")
    parser.add_argument("--verbose", action="store_true", help="print pytest's whole output too")
    parser.add_argument("--json", metavar="FILE", help="write the result as JSON to FILE")
    parser.add_argument("--steps", nargs="*", default=[], help="with verify: only these steps")
    parser.add_argument("--write-solution", metavar="SOLVED", help="authors: write solution.diff from a folder "
                                                                  "where the exercise is solved")
    args = parser.parse_args(argv)
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="replace")
    language = student_language(args.lang)
    if args.step == "verify":
        rows = verify([resolve_step(name) for name in args.steps] or None)
        if args.json:
            Path(args.json).write_text(json.dumps(rows, ensure_ascii=False, indent=1), encoding="utf-8")
        for row in rows:
            print(f"{row['step']} {row['exercise']} {row['state']:10} {row['language']} "
                  f"{'pass' if row['passed'] else 'fail'} {row['seconds']:.1f} s")
        return 0
    step = resolve_step(args.step)
    found = exercise(step, args.exercise or 0)
    if found is None:
        choices = ", ".join(str(e["number"]) for e in exercises_of(step)) or "-"
        print(TEXT[language]["no-exercise"].format(number=step[:2], exercise=args.exercise, choices=choices))
        return 2
    if args.write_solution:
        sys.stdout.write(write_solution(found, Path(args.write_solution).resolve()))
        return 0
    if args.hint:
        if not args.app_dir:
            print(TEXT[language]["no-folder"])
            return 2
        sys.stdout.write(next_hint(found, Path(args.app_dir).resolve(), language))
        return 0
    folder = Path(args.app_dir).resolve() if args.app_dir else ROOT / "steps" / step
    result = check_exercise(found, folder, language)
    if args.json:
        Path(args.json).write_text(json.dumps(result, ensure_ascii=False, indent=1), encoding="utf-8")
    if args.verbose and result.get("output"):
        print(result["output"])
    sys.stdout.write(render(found, result, language))
    return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())
