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
