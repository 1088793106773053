"""Exercise 3 of step 08: a test of the student's own, in their tests/, that catches a seeded bug.

The bug: search forgets its offset, so every page of results is page 1 again. The step's own tests do not
notice it; the student's tests must pass on their app and fail once the bug is seeded (as tools/grade.py does).
"""
from support.exercises import exercise_concept
from support.messages import say
from tools import grade

pytestmark = exercise_concept(__file__)

SEARCH_FORGETS_ITS_OFFSET = grade.bug(
    "search forgets its offset", "{package}/tasks.py",
    r"\(words, PER_PAGE, \(page - 1\) \* PER_PAGE\)", "(words, PER_PAGE, 0)",
    "搜索的第 2 页又显示第 1 页的结果。", "The second page of a search shows page 1's results again.")


def last_lines(output):
    return "\n".join(output.strip().splitlines()[-6:])


def test_your_tests_catch_a_search_that_forgets_its_offset(app_dir, tmp_path):
    code, output = grade.run_tests(grade.copy_folder(app_dir, tmp_path / "app"))
    assert code == 0, say("你的测试（tests/）在你自己的应用上就没有全部通过：\n{output}",
                          "Your tests (tests/) do not all pass on your own app:\n{output}", output=last_lines(output))
    seeded = grade.copy_folder(app_dir, tmp_path / "seeded" / "app")
    assert grade.seed(seeded, SEARCH_FORGETS_ITS_OFFSET), say(
        "在你的 tasks.py 里找不到搜索的 (words, PER_PAGE, (page - 1) * PER_PAGE)，没法放进这个错误：保留这一行，再检查一次。",
        "Your tasks.py has no (words, PER_PAGE, (page - 1) * PER_PAGE) in its search, so the bug cannot be seeded: "
        "keep that line, and check again.")
    code, output = grade.run_tests(seeded, stop_at_first=True)
    assert code != 0, say(
        "放进这个错误之后，你的测试仍然全部通过：搜索的 ?page=2 显示的还是第 1 页的结果。写一个测试：加上四个含同一个词的任务"
        "（每页三个），再检查第 2 页有最早的那个、没有最新的那个。",
        "With this bug seeded your tests still all pass: a search's ?page=2 shows page 1's results again. Write a test: "
        "add four tasks with the same word (three a page), then check that page 2 holds the oldest one and not the "
        "newest.")
