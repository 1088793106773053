"""Step 07 says what it does: its docs page and its README give the page size the dashboard and the API use."""
import re

import pytest

from support import expects, visible_text
from support.messages import say

pytestmark = pytest.mark.concept("the page size the docs page and the README give", "pagination",
                                 zh="文档页和 README 写明的每页任务数")

# What the tests look for, where {n} is the dashboard's page size.
expects.text("{n} to a page", "{n} tasks at a time", "the next {n}")
expects.file("README.md", "{n} tasks a page", "triggers keep")


def page_size(client, tasks):
    """How many tasks the dashboard shows at once, with more tasks than fit (the API shows as many)."""
    tasks.insert_many(45)
    shown = len(tasks.ids_shown("/tasks"))
    assert 0 < shown < 45 and len(client.get("/api/tasks").get_json()) == shown
    return shown


def test_the_docs_page_gives_the_page_size_the_dashboard_uses(client, tasks):
    shown = page_size(client, tasks)
    text = visible_text(client.get("/docs"))
    found = re.findall(r"(\d+) (?:to a page|tasks at a time)|the next (\d+)", text)
    claimed = {int(number) for pair in found for number in pair if number}
    assert claimed == {shown}, say("/docs 说一页有 {claimed} 个任务，仪表盘实际显示 {shown} 个。",
                                   "/docs says {claimed} tasks a page; the dashboard shows {shown}.",
                                   claimed=sorted(claimed), shown=shown)


def test_the_readme_gives_the_page_size_and_where_the_counts_come_from(app_dir, client, tasks):
    readme = app_dir / "README.md"
    if not readme.is_file():
        pytest.skip("this folder has no README.md")
    shown = page_size(client, tasks)
    text = " ".join(readme.read_text(encoding="utf-8").split())
    assert set(re.findall(r"(\d+) tasks a page", text)) == {str(shown)}, text
    assert "triggers keep" in text, "the README says where the dashboard's counts come from"
