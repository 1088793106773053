"""A task's own page, read from the database by id; an id that is not there is a 404."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("a task's page from the database", "task-detail", zh="从数据库读取的任务页面")

expects.route("GET /tasks/<int:task_id>")


def test_a_task_page_shows_the_stored_task(tasks):
    tasks.add("Read about sqlite3.Row")
    row = tasks.rows()[0]
    text = parse(tasks.page(f"/tasks/{row['id']}")).get_text(" ", strip=True)
    assert "Read about sqlite3.Row" in text
    assert row["created"] in text, "the page shows when the task was added"
    assert expects.text("to do") in text


def test_a_task_page_shows_when_it_is_done(tasks):
    tasks.add("Finish step 05")
    task_id = tasks.rows()[0]["id"]
    tasks.mark_done(task_id)
    text = parse(tasks.page(f"/tasks/{task_id}")).get_text(" ", strip=True)
    assert expects.text("Status: done") in text


def test_each_id_shows_its_own_task(tasks):
    tasks.add("alpha")
    tasks.add("beta")
    for row in tasks.rows():
        assert row["summary"] in tasks.page(f"/tasks/{row['id']}")


@pytest.mark.parametrize("url", ["/tasks/2", "/tasks/999", "/tasks/0", "/tasks/-1", "/tasks/abc", "/tasks/1.5"])
def test_a_missing_or_malformed_id_is_404(client, tasks, url):
    tasks.add("The only task")
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("url", ["/tasks/9223372036854775808", "/tasks/99999999999999999999", "/tasks/" + "9" * 400])
def test_an_id_too_large_for_sqlite_is_404_not_a_crash(client, tasks, url):
    """SQLite keeps integers in 64 bits: a larger id cannot be stored, so it cannot exist. Passed to
    SQLite, it would raise OverflowError, a 500 Internal Server Error."""
    tasks.add("The only task")
    assert client.get(url).status_code == 404


def test_the_largest_id_sqlite_can_hold_is_looked_up(client):
    response = client.get("/tasks/9223372036854775807")
    assert response.status_code == 404
    assert expects.text("There is no task #9223372036854775807.") in response.get_data(as_text=True)


def test_a_missing_task_says_which(client):
    assert f"<p>{expects.text('There is no task #999.')}</p>" in client.get("/tasks/999").get_data(as_text=True)


def test_a_task_page_does_not_accept_post(client, tasks):
    tasks.add("The only task")
    task_id = tasks.rows()[0]["id"]
    assert client.post(f"/tasks/{task_id}", data={"csrf_token": tasks.token()}).status_code == 405
