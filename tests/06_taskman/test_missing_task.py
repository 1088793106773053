"""An id that does not exist is a 404 for every action, and nothing changes."""
import pytest

from support import expects, parse
from support.messages import expect

pytestmark = pytest.mark.concept("an id that does not exist is a 404", "missing-id", zh="不存在的 id 返回 404")


@pytest.mark.parametrize("action", ["toggle", "delete"])
def test_an_action_on_a_missing_id_is_404_and_changes_nothing(client, tasks, action):
    """Pitfall 4: redirecting as if it worked would tell the user a change happened when none did.

    陷阱 4：若像成功了一样重定向，就等于告诉用户发生了修改，而实际上什么也没变。
    """
    first, _ = tasks.add_all("one", "two")
    tasks.toggle(first)
    tasks.client.get("/tasks")  # read the toggle's message
    before = tasks.rows()
    response = client.post(f"/tasks/999/{action}", data={"csrf_token": tasks.token()})
    expect(response.status_code != 302, "missing-id-redirect", method="POST", url=f"/tasks/999/{action}",
           status=response.status_code)
    assert response.status_code == 404
    assert parse(response.get_data(as_text=True)).find("p").get_text() == expects.text("There is no task #999.")
    assert tasks.rows() == before
    assert tasks.flashes() == [], "no message may say the change was made"


@pytest.mark.parametrize("action", ["toggle", "delete"])
def test_an_action_from_a_stale_page_on_a_deleted_task_is_404(tasks, action):
    """Pitfall 4: two tabs open; the task is deleted in one, then its button is pressed in the other.

    陷阱 4：打开两个标签页；在一个里删掉任务，再在另一个里按下它的按钮。
    """
    keep, gone = tasks.add_all("keep", "gone")
    stale_form = tasks.forms.find("/tasks", f"/tasks/{gone}/{action}")
    token = stale_form.find("input", attrs={"name": "csrf_token"})["value"]
    tasks.delete(gone)
    response = tasks.client.post(f"/tasks/{gone}/{action}", data={"csrf_token": token})
    expect(response.status_code != 302, "missing-id-redirect", method="POST", url=f"/tasks/{gone}/{action}",
           status=response.status_code)
    assert response.status_code == 404
    paragraphs = [p.get_text() for p in parse(response.get_data(as_text=True)).find_all("p")]
    assert expects.text(f"There is no task #{gone}.") in paragraphs
    assert tasks.done() == {keep: False}


@pytest.mark.parametrize("url", ["/tasks/abc/toggle", "/tasks/-1/delete", "/tasks/1.5/toggle",
                                 "/tasks/9223372036854775808/toggle", "/tasks/99999999999999999999/delete"])
def test_a_malformed_id_is_404(client, tasks, url):
    tasks.add_all("one")
    assert client.post(url, data={"csrf_token": tasks.token()}).status_code == 404
    assert tasks.summaries() == ["one"]


@pytest.mark.parametrize("url", ["/tasks/999", "/tasks/abc", "/tasks/9223372036854775808"])
def test_a_missing_task_page_is_404(client, tasks, url):
    tasks.add_all("one")
    assert client.get(url).status_code == 404
