"""Step 08: the step's own tests (tests/ beside the package) pass, reach the package's lines, and notice bugs."""
import json
import os
from pathlib import Path

import pytest

from support import expects
from tools import grade

pytestmark = [pytest.mark.concept("tests that notice a bug", "graded-tests", zh="能发现错误的测试"), pytest.mark.grading]

# tools/grade.py runs them with pytest in the folder under test, then once for each seeded bug.
expects.file("tests/conftest.py")
expects.file("tests/test_*.py")
expects.command("python -m pytest tests")


@pytest.fixture(scope="module")
def graded(request):
    """tools/grade.py on the folder under test, once for the module: its tests on the app, then on each seeded bug."""
    step = Path(request.path).parent.name  # 08_package, or a later step whose suite runs these tests
    chosen = request.config.getoption("--app-dir")
    folder = chosen or grade.ROOT / "steps" / step
    result = grade.grade(step, folder)
    if os.environ.get(grade.RESULT_VARIABLE):  # the coach (tools/check.py) shows it in its report
        Path(os.environ[grade.RESULT_VARIABLE]).write_text(json.dumps(result, ensure_ascii=False), encoding="utf-8")
    return result


def test_the_tests_pass_on_the_app(graded):
    assert graded["state"] != "none", "Write your tests in tests/ beside the package: conftest.py and test_*.py."
    assert graded["state"] == "graded", f"Your tests fail on your own app:\n{graded.get('output')}"


def test_the_tests_reach_95_percent_of_the_package(graded):
    """A line no test runs could hold any bug, and no test would notice it."""
    assert graded.get("coverage", 0) >= 95, f"Your tests reach {graded.get('coverage')}% of the package."


def test_the_tests_leave_the_real_database_alone(graded):
    """Pitfall 13: a test that uses the app's own database (instance/tasks.db) mixes its tasks with yours, and
    the next test starts with the last one's tasks.

    陷阱 13：测试如果用了应用自己的数据库（instance/tasks.db），测试的任务就和你的任务混在一起，下一个测试也会带着上一个测试留下的任务开始。
    """
    assert not graded.get("real_database"), f"Your tests wrote {graded['real_database']}."


def test_every_seeded_bug_makes_a_test_fail(graded):
    """Pitfall 14: a test that passes whatever the code does proves nothing: each seeded bug (a forgotten
    commit, no CSRF check, a redirect for a missing id, a count off by one, ...) must make one fail.

    陷阱 14：不管代码怎样都能通过的测试什么也证明不了：每一个埋下的错误（忘了 commit、不检查 CSRF、不存在的 id 也重定向、计数差一……）都必须让某个测试失败。
    """
    missed = [entry["hint"]["en"] for entry in graded["bugs"] if entry["outcome"] == "missed"]
    skipped = [entry["name"] for entry in graded["bugs"] if entry["outcome"] == "skipped"]
    assert not missed, "No test noticed:\n" + "\n".join(missed)
    assert len(skipped) < len(graded["bugs"]) / 2, f"Most seeded bugs found no place in the code: {skipped}"
