"""One task's page, /tasks/<int:task_id>: the int converter and a 404 for a task that does not exist."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("one task's page: /tasks/<int:task_id>", "task-page",
                                 zh="单个任务的页面：/tasks/<int:task_id>")

expects.route("GET /tasks/<int:task_id>")


def test_every_task_has_a_page_with_its_summary_and_status(client, app_module):
    for task in app_module.TASKS:
        response = client.get(f"/tasks/{task['id']}")
        assert response.status_code == 200
        main = parse(response.get_data(as_text=True)).find("main")
        task_id = task["id"]
        assert main.find("h1").get_text(strip=True) == expects.text(f"Task #{task_id}")
        assert task["summary"] in main.get_text()
        assert (expects.text("Status: done.") if task["done"] else expects.text("Status: to do.")) in main.get_text()


def test_a_task_page_links_back_to_the_dashboard(client, app_module):
    task = app_module.TASKS[-1]
    main = parse(client.get(f"/tasks/{task['id']}").get_data(as_text=True)).find("main")
    assert "/tasks" in [link["href"] for link in main.find_all("a")]


def test_a_missing_task_is_404_and_says_which(client, app_module):
    missing = max(task["id"] for task in app_module.TASKS) + 1
    response = client.get(f"/tasks/{missing}")
    assert response.status_code == 404
    assert parse(response.get_data(as_text=True)).find("p").get_text() == expects.text(f"There is no task #{missing}.")


def test_a_task_removed_from_the_list_is_404(client, app_module):
    task = app_module.TASKS.pop(0)
    assert client.get(f"/tasks/{task['id']}").status_code == 404


@pytest.mark.parametrize("url", ["/tasks/abc", "/tasks/1.5", "/tasks/-1", "/tasks/0", "/tasks/", "/tasks/1/extra",
                                 "/tasks/%E2%9C%93", "/tasks/99999999999999999999"])
def test_anything_but_an_existing_id_is_404(client, url):
    """The int converter refuses text, decimals and negatives before the view runs."""
    assert client.get(url).status_code == 404


def test_a_task_page_only_answers_get(client):
    assert client.post("/tasks/1").status_code == 405
