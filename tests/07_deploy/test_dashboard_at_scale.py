"""The dashboard costs the same with 100 or 100,000 tasks: counts kept by SQLite, 10 tasks a page, an index."""
import sqlite3
from contextlib import closing

import pytest

from support import expects, parse

pytestmark = [pytest.mark.concept("a dashboard whose cost does not grow", "dashboard-at-scale", zh="开销不随任务数增长的仪表盘"), pytest.mark.later]

PER_PAGE = 10

expects.route("GET /tasks?page=…", "GET /api/tasks?page=…", "GET /search?q=…&page=…")
expects.element('a[rel="prev"]', 'a[rel="next"]')


def links(html, rel):
    """The hrefs of the page's links with this rel ("prev" or "next")."""
    return [a["href"] for a in parse(html).find_all("a", rel=rel)]


def test_the_counts_are_right_with_many_tasks(tasks):
    tasks.insert_many(2500, done_every=3)
    assert tasks.counts() == {"total": 2500, "pending": 1666, "done": 834}


def test_the_counts_follow_toggles_and_deletes(tasks, client, forms):
    tasks.insert_many(45, done_every=5)
    assert forms.submit("/tasks/1", "/tasks/1/toggle").status_code == 302  # task 1 was done
    assert forms.submit("/tasks/2", "/tasks/2/toggle").status_code == 302
    assert forms.submit("/tasks/3", "/tasks/3/delete").status_code == 302
    assert tasks.counts() == {"total": 44, "pending": 35, "done": 9}


def test_an_empty_database_counts_zero(tasks):
    assert tasks.counts() == {"total": 0, "pending": 0, "done": 0}
    assert expects.text("Nothing to do yet") in tasks.page("/tasks")


def test_the_first_page_shows_the_10_newest_tasks(tasks):
    ids = tasks.insert_many(25)
    assert tasks.ids_shown("/tasks") == ids[::-1][:PER_PAGE]
    assert tasks.ids_shown("/tasks?page=1") == ids[::-1][:PER_PAGE]


def test_each_page_continues_where_the_last_one_stopped(tasks):
    ids = tasks.insert_many(25)
    newest_first = ids[::-1]
    assert tasks.ids_shown("/tasks?page=2") == newest_first[10:20]
    assert tasks.ids_shown("/tasks?page=3") == newest_first[20:]


def test_a_page_links_to_the_pages_before_and_after_it_only_when_they_exist(tasks):
    tasks.insert_many(25)
    first, middle, last = (tasks.page(f"/tasks?page={n}") for n in (1, 2, 3))
    assert links(first, "prev") == [] and links(first, "next") == ["/tasks?page=2"]
    assert links(middle, "prev") == ["/tasks?page=1"] and links(middle, "next") == ["/tasks?page=3"]
    assert links(last, "prev") == ["/tasks?page=2"] and links(last, "next") == []
    assert expects.text("Page 2 of 3") in parse(middle).get_text(" ", strip=True)


@pytest.mark.parametrize("count", [0, 1, 10])
def test_one_page_of_tasks_has_no_page_links(tasks, count):
    tasks.insert_many(count)
    html = tasks.page("/tasks")
    assert links(html, "prev") == [] and links(html, "next") == []


def test_11_tasks_make_two_pages(tasks):
    ids = tasks.insert_many(11)
    assert links(tasks.page("/tasks"), "next") == ["/tasks?page=2"]
    assert tasks.ids_shown("/tasks?page=2") == [ids[0]]


@pytest.mark.parametrize("page", ["0", "-1"])
def test_a_page_number_below_1_is_a_400_that_says_why(client, tasks, paragraphs, page):
    """The same rule as the search page."""
    tasks.insert_many(5)
    response = client.get(f"/tasks?page={page}")
    assert response.status_code == 400
    assert expects.text("The page number must be 1 or more.") in paragraphs(response)


@pytest.mark.parametrize("page", ["abc", "", "1.5"])
def test_a_page_number_that_is_not_a_number_shows_the_first_page(tasks, page):
    ids = tasks.insert_many(25)
    assert tasks.ids_shown(f"/tasks?page={page}") == ids[::-1][:PER_PAGE]


@pytest.mark.parametrize("count, page, last", [(25, 4, 3), (0, 2, 1), (10, 2, 1), (21, 9, 3)])
def test_a_page_after_the_last_is_a_404_that_says_how_many_there_are(client, tasks, paragraphs, count, page, last):
    tasks.insert_many(count)
    response = client.get(f"/tasks?page={page}")
    assert response.status_code == 404
    assert expects.text(f"There is no page {page}: the tasks fill {last}.") in paragraphs(response)
    assert tasks.page(f"/tasks?page={last}")


def test_the_api_gives_10_tasks_a_page_newest_first(client, tasks):
    """/api/tasks is paginated like the dashboard: ?page=N, and an empty list after the last page."""
    ids = tasks.insert_many(25, done_every=2)
    newest_first = ids[::-1]
    pages = [client.get(f"/api/tasks?page={n}").get_json() for n in (1, 2, 3, 4)]
    assert [[task["id"] for task in page] for page in pages] == [
        newest_first[:10], newest_first[10:20], newest_first[20:], []
    ]
    assert client.get("/api/tasks").get_json() == pages[0]
    assert pages[2][-1] == expects.json({"id": 1, "summary": "Task number 1", "done": True,
                                         "created": "2024-01-01 00:00:00"})


@pytest.mark.parametrize("page, status", [("0", 400), ("-3", 400), ("abc", 200)])
def test_the_api_checks_the_page_number_like_the_dashboard(client, tasks, paragraphs, page, status):
    tasks.insert_many(3)
    response = client.get(f"/api/tasks?page={page}")
    assert response.status_code == status
    if status == 400:
        assert "The page number must be 1 or more." in paragraphs(response)


@pytest.mark.parametrize("page", ["922337203685477581", "922337203685477582", str(10**30)])
@pytest.mark.parametrize("url", ["/tasks", "/api/tasks", "/search?q=task&", "/search?"])
def test_a_page_beyond_what_sqlite_can_count_is_404(client, tasks, paragraphs, url, page):
    """OFFSET is a 64-bit integer too: page 10**30 of ten tasks cannot exist (and would overflow, a 500)."""
    tasks.insert_many(3)
    separator = "" if url.endswith(("&", "?")) else "?"
    response = client.get(f"{url}{separator}page={page}")
    assert response.status_code == 404
    assert any(f"There is no page {page}" in text for text in paragraphs(response))


def test_the_dashboard_reads_only_one_page_of_rows_into_python(client, tasks, monkeypatch):
    """Pitfall 9: loading every task to count them in Python costs more with every task added.

    陷阱 9：把每个任务都加载进 Python 来计数，每多一个任务，开销就多一份。

    Every row the app fetches becomes a sqlite3.Row (its row_factory): count how many it makes.
    """
    tasks.insert_many(1000, done_every=2)
    made = []

    class CountedRow(sqlite3.Row):
        def __new__(cls, cursor, row):
            made.append(row)
            return super().__new__(cls, cursor, row)

    monkeypatch.setattr(sqlite3, "Row", CountedRow)
    response = client.get("/tasks")
    assert response.status_code == 200
    assert made, "The app should read its rows as sqlite3.Row (db.row_factory = sqlite3.Row)."
    assert len(made) <= PER_PAGE + 5, f"One request of the dashboard read {len(made)} rows from the database."
    assert tasks.counts() == {"total": 1000, "pending": 500, "done": 500}


@pytest.fixture
def whose_tasks():
    """The condition a page of the dashboard puts on the tasks, and its arguments: none here (step 09: the owner's)."""
    return "", ()


def test_an_index_serves_newest_first_so_sqlite_never_sorts_the_table(app, client, whose_tasks):
    """Without an index on (created, id), every page would sort all the tasks first."""
    client.get("/healthz")
    condition, arguments = whose_tasks
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        plan = " ".join(row[-1] for row in db.execute(
            f"EXPLAIN QUERY PLAN SELECT id, summary, done, created FROM tasks{condition}"
            " ORDER BY created DESC, id DESC LIMIT 10 OFFSET 10", arguments
        ))
    assert "USING INDEX" in plan and "TEMP B-TREE" not in plan, plan


def sqlite_work(client, url):
    """How many of SQLite's virtual-machine instructions the app runs to answer url (to the nearest 100).

    Unlike a time, this does not depend on how busy the computer is: the same query on the same data
    always takes the same instructions, and a query that reads every task takes many more.
    """
    counted = [0]
    real_connect = sqlite3.connect

    def connect(*args, **kwargs):
        db = real_connect(*args, **kwargs)

        def tick():
            counted[0] += 1
            return 0  # go on

        db.set_progress_handler(tick, 100)
        return db

    sqlite3.connect = connect
    try:
        assert client.get(url).status_code == 200
    finally:
        sqlite3.connect = real_connect
    return counted[0] * 100


def test_100000_tasks_cost_the_dashboard_what_100_do(client, tasks):
    """Pitfall 9: step 06 reads every task on each view of this page; this step reads one page and one
    counts row, so SQLite does the same work with 100,000 tasks as with 100. (The benchmark measures
    the time: python tutorial.py bench.)

    陷阱 9：第 06 步每次显示这个页面都要读出全部任务；这一步只读一页任务和一行计数，所以 100,000 个任务时 SQLite 做的工作与 100 个任务时相同。（耗时由基准测试测量：`python tutorial.py bench`。）
    """
    tasks.insert_many(100, done_every=4)
    small = sqlite_work(client, "/tasks")
    tasks.insert_many(100_000 - 100, done_every=4)
    large = sqlite_work(client, "/tasks")
    assert large <= 2 * small + 1000, f"SQLite ran {small:,} instructions with 100 tasks, {large:,} with 100,000"
    assert tasks.counts() == {"total": 100_000, "pending": 75_000, "done": 25_000}
