"""Exercise 3 of step 05: the search folds case for every letter, not only A to Z."""
import pytest

from support import parse
from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)


def found(tasks, query):
    """The summaries a search lists."""
    soup = parse(tasks.page(f"/search?q={query}"))
    items = [li.get_text(strip=True) for li in soup.find("main").find("ul").find_all("li")]
    return [] if items == ["No results."] else items


@pytest.mark.parametrize("query, summary", [("CAFÉ", "Café au lait"), ("café", "CAFÉ NOIR"),
                                            ("STRASSE", "Straße fegen"), ("ΣΟΦΊΑ", "σοφία")])
def test_a_search_finds_the_other_case_of_any_letter(tasks, query, summary):
    tasks.insert(summary, "2024-01-01 09:00:00")
    tasks.insert("Something else", "2024-01-01 09:00:01")
    assert found(tasks, query) == [summary], say("搜索“{query}”应该找到“{summary}”，结果是 {got}。",
                                                 "Searching for \"{query}\" should find \"{summary}\"; it found {got}.",
                                                 query=query, summary=summary, got=found(tasks, query))


def test_plain_letters_still_match(tasks):
    tasks.insert("Buy milk", "2024-01-01 09:00:00")
    assert found(tasks, "MILK") == ["Buy milk"]
