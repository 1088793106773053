"""What step 03 built still works: the layout (now with Sign up), the dashboard, task pages and search."""
import pytest
from jinja2.filters import do_truncate

from support import expects, parse

pytestmark = pytest.mark.concept("the pages from step 03, with forms added", "pages-from-step-03", zh="第 03 步的页面，加上了表单")

PAGES = [
    ("/", "Home"), ("/tasks", "Tasks"), ("/tasks/2", "Task #2"), ("/search", "Search"),
    ("/docs", "Docs"), ("/login", "Sign in"), ("/signup", "Sign up"),
]
NAV = ["/", "/tasks", "/search", "/docs", "/login", "/signup"]

expects.route("GET /", "GET /tasks", "GET /tasks/<int:task_id>", "GET /search?q=…&page=…", "GET /docs", "GET /healthz")


def main_of(client, url, status=200):
    response = client.get(url)
    assert response.status_code == status, f"GET {url} answered {response.status_code}"
    return parse(response.get_data(as_text=True))


@pytest.mark.parametrize(("url", "title"), PAGES)
def test_every_page_has_the_layout_with_a_sign_up_link(client, url, title):
    soup = main_of(client, url)
    assert [link["href"] for link in soup.find("nav").find_all("a")] == NAV
    assert [link["href"] for link in soup.find_all("link", rel="stylesheet")] == ["/static/style.css"]
    assert soup.title.get_text(strip=True) == expects.text(f"{title} · Task manager")


def test_the_stylesheet_is_served_as_css(client):
    response = client.get("/static/style.css")
    assert response.status_code == 200
    assert response.mimetype == "text/css"


def test_the_sample_dashboard_reads_as_in_step_03(client):
    """The worked example of step 03: app.py's four sample tasks, rendered by tasks.html."""
    soup = main_of(client, "/tasks")
    assert expects.text("2 of 4 done (50.0%).") in soup.find("main").get_text()
    shown = [(row.find("a")["href"], " ".join(row.get_text().split())) for row in soup.select("ul.tasks > li")]
    assert shown == [
        ("/tasks/1", expects.text("DONE 1. Install Flask")),
        ("/tasks/2", expects.text("DONE 2. Write a first route")),
        ("/tasks/3", expects.text("TO DO 3. Find out why <script> in a task...")),
        ("/tasks/4", expects.text("TO DO 4. Move every page into a template that...")),
    ]


def test_the_dashboard_lists_every_task_numbered_capitalised_and_truncated(client, app, app_module):
    soup = main_of(client, "/tasks")
    done = sum(1 for task in app_module.TASKS if task["done"])
    total = len(app_module.TASKS)
    assert f"{done} of {total} done ({round(done / total * 100, 1)}%)" in soup.get_text()
    rows = soup.select("ul.tasks > li")
    assert len(rows) == total
    for number, (row, task) in enumerate(zip(rows, app_module.TASKS), start=1):
        assert row.select_one(".status").get_text(strip=True) == (expects.text("DONE") if task["done"] else expects.text("TO DO"))
        link = row.find("a")
        assert link["href"] == f"/tasks/{task['id']}"
        assert link.get_text(strip=True) == f"{number}. {do_truncate(app.jinja_env, task['summary'], 40)}"


def test_the_dashboard_with_no_tasks_says_so(client, app_module):
    app_module.TASKS.clear()
    assert expects.text("no tasks") in main_of(client, "/tasks").find("main").get_text().lower()


def test_every_task_page_shows_its_summary_escaped(client, app_module):
    for task in app_module.TASKS:
        response = client.get(f"/tasks/{task['id']}")
        assert response.status_code == 200
        assert "<script" not in response.get_data(as_text=True)
        text = parse(response.get_data(as_text=True)).find("main").get_text()
        assert task["summary"] in text
        assert (expects.text("Status: done.") if task["done"] else expects.text("Status: to do.")) in text


@pytest.mark.parametrize("url", ["/tasks/abc", "/tasks/-1", "/tasks/0", "/tasks/999"])
def test_a_task_that_does_not_exist_is_404(client, url):
    assert client.get(url).status_code == 404


def test_a_missing_task_says_which(client):
    response = client.get("/tasks/999")
    assert parse(response.get_data(as_text=True)).find("p").get_text() == expects.text("There is no task #999.")


@pytest.mark.parametrize(("params", "first", "more"), [
    ({}, 0, True), ({"q": "FLASK"}, 0, False), ({"q": "e"}, 0, False), ({"page": 2}, 3, False), ({"q": " a ", "page": 2}, 3, False),
])
def test_search_pages_through_matching_tasks_three_at_a_time(client, app_module, params, first, more):
    word = params.get("q", "").strip().lower()
    matches = [f"/tasks/{task['id']}" for task in app_module.TASKS if word in task["summary"].lower()]
    response = client.get("/search", query_string=params)
    assert response.status_code == 200
    main = parse(response.get_data(as_text=True)).find("main")
    assert [link["href"] for link in main.select("ul a")] == matches[first:first + 3]
    summary = f"{len(matches)} result{'' if len(matches) == 1 else 's'} for “{params.get('q', '').strip()}”, page {params.get('page', 1)}."
    assert summary in main.get_text()
    assert (main.find("a", string=expects.text("Next page")) is not None) is more


@pytest.mark.parametrize("page", ["0", "-1"])
def test_a_search_page_below_one_is_400(client, page):
    response = client.get(f"/search?page={page}")
    assert response.status_code == 400
    assert parse(response.get_data(as_text=True)).find("p").get_text() == expects.text("The page number must be 1 or more.")


def test_a_search_that_matches_nothing_says_so(client):
    main = main_of(client, "/search?q=zzz").find("main")
    assert main.select("ul a") == []
    assert expects.text("No results.") in main.get_text()


def test_the_health_check_answers_ok(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == expects.json({"status": "ok"})
