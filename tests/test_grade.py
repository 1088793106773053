"""tools/grade.py: the grading of a student's own tests (step 08) by seeded bugs, and its report."""
import shutil

import pytest

from support import ROOT
from tools import grade

STEP = ROOT / "steps" / "08_package"


def student_copy(tmp_path):
    """A copy of step 08, as a student's folder."""
    return shutil.copytree(STEP, tmp_path / "my_step08", ignore=shutil.ignore_patterns("__pycache__", "instance"))


def test_a_test_removed_leaves_its_bug_unnoticed_and_the_report_names_it(tmp_path):
    """The reference tests without their CSRF test: the grading fails, naming that bug as a hint, not a patch."""
    folder = student_copy(tmp_path)
    path = folder / "tests" / "test_tasks.py"
    text = path.read_text(encoding="utf-8")
    start = text.index("def test_a_form_without_its_csrf_token_is_refused")
    path.write_text(text[:start] + text[text.index("def test_with_csrf_off"):], encoding="utf-8")
    result = grade.grade("08_package", folder)
    assert result["state"] == "graded" and not result["passed"]
    assert [entry["name"] for entry in result["bugs"] if entry["outcome"] == "missed"] == ["missing CSRF check"]
    for language, words in (("en", "without its csrf_token"), ("zh", "不带 csrf_token")):
        report = grade.render(result, language)
        assert words in report
        assert "WTF_CSRF_ENABLED" not in report  # a hint, never the seeded patch


def test_tests_that_use_the_real_database_are_reported(tmp_path):
    folder = student_copy(tmp_path)
    conftest = folder / "tests" / "conftest.py"
    text = conftest.read_text(encoding="utf-8")
    conftest.write_text(text.replace('"DATABASE": str(tmp_path / "tasks.db"),', ""), encoding="utf-8")
    result = grade.grade("08_package", folder)
    assert result["real_database"] == "instance/tasks.db"
    assert not result["passed"]
    assert "tmp_path" in grade.render(result, "en")


@pytest.mark.parametrize("language", ["zh", "en"])
def test_failing_tests_are_said_first_and_no_tests_at_all_too(tmp_path, language):
    folder = student_copy(tmp_path)
    (folder / "tests" / "test_tasks.py").write_text("def test_wrong():\n    assert 1 == 2\n", encoding="utf-8")
    result = grade.grade("08_package", folder, workers=2)
    assert result["state"] == "failing" and not result["passed"]
    assert "assert 1 == 2" in grade.render(result, language)
    shutil.rmtree(folder / "tests")
    empty = grade.grade("08_package", folder)
    assert empty["state"] == "none"
    assert "conftest.py" in grade.render(empty, language)


def test_every_seeded_bug_has_a_hint_in_both_languages_as_a_question():
    for step, bugs in grade.BUGS.items():
        for seeded in bugs:
            assert seeded["hint"]["en"].endswith("?") and seeded["hint"]["zh"].endswith("？"), (step, seeded["name"])


def test_a_step_08_folder_without_a_factory_is_told_so_before_any_test_runs(tmp_path):
    """`check 08` on a folder that still keeps its app in app.py: one paragraph naming create_app, in both languages."""
    from tools.check import PROBLEMS, structural_problem

    folder = tmp_path / "my_step08"
    shutil.copytree(ROOT / "steps" / "07_deploy", folder, ignore=shutil.ignore_patterns("__pycache__", "instance", "*.db"))
    kind, values = structural_problem("08_package", folder)
    assert kind == "no-factory"
    assert "create_app(test_config=None)" in PROBLEMS[kind]["en"].format(**values)
    assert "create_app(test_config=None)" in PROBLEMS[kind]["zh"].format(**values)


@pytest.mark.parametrize("language", ["zh", "en"])
def test_bugs_that_found_no_place_are_listed_in_the_reports_language(language):
    """A folder written otherwise than the course's has some bugs left out: the report says which, in its language."""
    bugs = grade.BUGS["09_accounts"]
    result = {"folder": "mine", "state": "graded", "coverage": 90.0, "package": "taskman", "seconds": 1, "runs": 3,
              "workers": 2, "passed": True,
              "bugs": [{"name": bugs[0]["name"], "hint": bugs[0]["hint"], "outcome": "caught"},
                       {"name": bugs[1]["name"], "hint": bugs[1]["hint"], "outcome": "skipped"}]}
    report = grade.render(result, language)
    assert bugs[1]["name"] not in report
    assert grade.first_sentence(bugs[1]["hint"][language]) in report
    assert bugs[1]["hint"][language] not in report, "the hint's question is not the report's: it was not checked"


def test_a_bug_is_run_against_only_the_tests_that_reach_the_lines_it_changes(tmp_path):
    """The student's tests on their own app are measured per test (coverage contexts); a seeded bug then runs
    only the tests that ran a line it touches, and a line no test runs is a bug missed without any run."""
    folder = student_copy(tmp_path)
    copy = grade.copy_folder(folder, tmp_path / "measured")
    data_file = tmp_path / ".coverage"
    code, output = grade.run_tests(copy, ["-p", "pytest_cov", "--cov=taskman", "--cov-context=test",
                                          "--cov-report="], COVERAGE_FILE=str(data_file))
    assert code == 0, output
    reached = grade.tests_reaching(data_file, copy)
    commit = next(seeded for seeded in grade.BUGS["08_package"] if seeded["name"] == "forgotten commit")
    mutant = grade.copy_folder(folder, tmp_path / "mutant")
    changed = grade.seed(mutant, commit)
    assert changed and changed[0] == "taskman/tasks.py"
    chosen = grade.selection_for(reached, changed)
    assert chosen and all(node.startswith("tests/") and "::" in node for node in chosen)
    every_test = {node for lines in reached.values() for nodes in lines.values() for node in nodes} - {""}
    assert len(chosen) < len(every_test), "a bug in adding a task should not need every test"
    assert grade.run_tests(mutant, stop_at_first=True, only=chosen)[0] == 1, "the chosen tests miss the bug"
    # A line that no test runs: nothing to run, the bug is missed.
    assert grade.selection_for({"taskman/tasks.py": {}}, ("taskman/tasks.py", {3})) == []
    # A line run while the modules were imported (outside any test), or a file coverage never saw: every test.
    assert grade.selection_for({"taskman/db.py": {3: {"", "tests/test_db.py::test_x"}}}, ("taskman/db.py", {3})) is None
    assert grade.selection_for(reached, ("taskman/unknown.py", {1})) is None


def test_the_lines_a_change_touches_include_the_statement_above_and_an_insertion_point():
    before = "a = 1\nb = call(\n    2)\nc = 3\nd = 4\n"
    assert {2, 3} <= grade.touched_lines(before, before.replace("    2)", "    3)"))
    inserted = grade.touched_lines(before, before.replace("c = 3\n", "c = 3\nx = 0\n"))
    assert {3, 4} <= inserted and 1 not in inserted
