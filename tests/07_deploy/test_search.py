"""Search with SQLite's full-text index (FTS5): words in any case and accent, and a cost that does not
grow with the table (bench: /search at 100,000 tasks)."""
import sqlite3
from contextlib import closing

import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("full-text search", "search", zh="全文搜索")


def found(tasks, query):
    """The summaries a search lists on its first page."""
    return [a.get_text() for a in parse(tasks.page(f"/search?q={query}")).select(expects.element("main ul a"))]


@pytest.mark.parametrize("query, summary", [
    ("É", "école du soir"), ("école", "ÉCOLE DU SOIR"), ("cafe", "Un café"), ("ÇA", "ça marche"),
    ("straße", "STRASSE? no: Straße"), ("δ", "Δέλτα"), ("flask", "Learn FLASK"), ("Lea", "Learn flask"),
    ("任务", "café ✓ 任务"),
])
def test_search_folds_case_and_accents_in_every_alphabet(tasks, query, summary):
    """unicode61 folds case beyond ASCII, where lower() in SQL does not; remove_diacritics 2 lets
    "cafe" find "café". A word is matched from its start: "Lea" finds "Learn"."""
    tasks.add_all(summary, "Nothing to see")
    assert found(tasks, query) == [summary]


@pytest.mark.parametrize("query", ['"', 'a"b', "AND", "OR x", "NEAR(a b)", "*", "-", "x:y", "(", "\0", "^a"])
def test_search_syntax_typed_in_the_box_is_text(client, tasks, query):
    """FTS5 has its own query language; what a visitor types is only ever words to look for."""
    tasks.add_all("a b", "x y")
    response = client.get("/search", query_string={"q": query})
    assert response.status_code == 200


def test_every_word_must_be_found(tasks):
    tasks.add_all("buy milk", "buy bread", "milk the cow")
    assert found(tasks, "buy milk") == ["buy milk"]
    assert found(tasks, "milk") == ["milk the cow", "buy milk"]


def test_the_index_follows_added_and_deleted_tasks(tasks):
    keep, gone = tasks.add_all("searchable keep", "searchable gone")
    tasks.delete(gone)
    assert found(tasks, "searchable") == ["searchable keep"]


def test_a_database_from_step_06_is_indexed_when_the_app_opens_it(fresh_tasks, tmp_path):
    """Tasks stored before the index existed are found too: the schema rebuilds the index once."""
    old = tmp_path / "from-06.db"
    with closing(sqlite3.connect(old)) as db:
        db.execute("CREATE TABLE tasks (id INTEGER PRIMARY KEY AUTOINCREMENT, summary TEXT NOT NULL,"
                   " done INTEGER NOT NULL DEFAULT 0, created TEXT NOT NULL DEFAULT CURRENT_TIMESTAMP)")
        db.execute("INSERT INTO tasks (summary) VALUES ('from step six')")
        db.commit()
    started = fresh_tasks(APP_DATABASE=str(old))
    assert [a.get_text() for a in parse(started.page("/search?q=six")).select("main ul a")] == ["from step six"]


@pytest.fixture
def rows_besides_the_tasks():
    """The rows a page of search reads besides the tasks it shows: the schema's check and the count (step 09 adds
    the signed-in account's, which the user loader reads)."""
    return 2


def test_search_reads_only_one_page_of_rows_into_python(client, tasks, monkeypatch, rows_besides_the_tasks):
    """Pitfall 9, for search: 40 matches, three shown, three tasks read into Python.

    陷阱 9，搜索也一样：40 个匹配，显示三个，读进 Python 的也只有三个任务。
    """
    tasks.insert_many(40)
    made = []

    class CountedRow(sqlite3.Row):
        def __init__(self, cursor, row):
            made.append(row)

    monkeypatch.setattr(sqlite3, "Row", CountedRow)
    page = parse(tasks.page("/search?q=number&page=2"))
    assert expects.text("40 results for “number”, page 2.") in page.get_text()
    assert len(page.select("main ul a")) == 3
    # The schema's check that the tables exist, the count, and the three tasks shown: never the 40.
    assert len(made) <= 3 + rows_besides_the_tasks, f"The search made {len(made)} rows: {made}"
