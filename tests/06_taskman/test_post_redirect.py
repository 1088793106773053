"""Every change of state is a POST that redirects back to the dashboard; a GET never changes anything."""
import pytest

from support.messages import expect_redirect

pytestmark = pytest.mark.concept("every change is a POST that redirects back", "post-redirect-get",
                                 zh="每次修改都是一个 POST，然后重定向回来")


ACTIONS = {
    "toggle": lambda tasks, task_id: tasks.toggle(task_id),
    "delete": lambda tasks, task_id: tasks.delete(task_id),
    "purge": lambda tasks, task_id: tasks.purge(),
}


@pytest.mark.parametrize("action", ACTIONS)
def test_each_change_redirects_to_the_dashboard(tasks, action):
    (task_id,) = tasks.add_all("Learn Flask")
    tasks.toggle(task_id)  # done, so that purge has something to remove
    response = ACTIONS[action](tasks, task_id)
    expect_redirect(response, action)
    assert response.headers["Location"].endswith("/tasks")


@pytest.mark.parametrize("url", ["/tasks/{id}/toggle", "/tasks/{id}/delete", "/tasks/purge"])
def test_a_get_on_a_change_url_is_405_and_changes_nothing(client, tasks, url):
    """A link, a prefetching browser or a crawler sends GET: it must never change the data."""
    (task_id,) = tasks.add_all("Learn Flask")
    tasks.toggle(task_id)
    before = tasks.rows()
    assert client.get(url.format(id=task_id)).status_code == 405
    assert tasks.rows() == before


def test_the_dashboard_after_a_change_is_a_plain_get(client, tasks):
    """Following the redirect lands on GET /tasks, so a refresh does not send the form again."""
    (task_id,) = tasks.add_all("Learn Flask")
    token = tasks.token()
    response = client.post(f"/tasks/{task_id}/toggle", data={"csrf_token": token}, follow_redirects=True)
    assert response.status_code == 200
    assert response.request.method == "GET"
    assert response.request.path == "/tasks"
