"""Asking before deleting: the form says what to ask in data-confirm, and static/confirm.js asks it."""
import pytest

from support import expects, parse

pytestmark = pytest.mark.concept("asking before deleting", "confirm", zh="删除前先确认")

expects.element("form[data-confirm]", 'script[src$="/confirm.js"]')
expects.file("static/confirm.js", "data-confirm", "confirm(")


@pytest.mark.parametrize("on_page", ["/tasks", "/tasks/{id}"], ids=["dashboard", "task page"])
def test_the_delete_form_carries_a_question(tasks, on_page):
    (task_id,) = tasks.add_all("Delete me")
    page = on_page.format(id=task_id)
    form = tasks.forms.find(page, f"/tasks/{task_id}/delete")
    assert form.get("data-confirm"), f"the delete form on {page} has no data-confirm question"


def test_the_purge_form_carries_a_question(tasks):
    (task_id,) = tasks.add_all("Done soon")
    tasks.toggle(task_id)
    assert tasks.forms.find("/tasks", "/tasks/purge").get("data-confirm")


def test_adding_and_toggling_are_not_asked_about(tasks):
    (task_id,) = tasks.add_all("Learn Flask")
    assert tasks.forms.find("/tasks", "/tasks").get("data-confirm") is None
    assert tasks.forms.find("/tasks", f"/tasks/{task_id}/toggle").get("data-confirm") is None


def test_a_summary_in_the_question_cannot_break_out_of_the_attribute(tasks):
    summary = '"><script>alert(1)</script>'
    (task_id,) = tasks.add_all(summary)
    html = tasks.page("/tasks")
    assert "<script>alert" not in html
    question = tasks.forms.find("/tasks", f"/tasks/{task_id}/delete")["data-confirm"]
    assert summary in question


@pytest.mark.parametrize("url", ["/", "/tasks", "/docs"])
def test_every_page_loads_the_confirmation_script(client, url):
    soup = parse(client.get(url).get_data(as_text=True))
    sources = [script.get("src", "") for script in soup.find_all("script")]
    assert any(src.endswith("/confirm.js") for src in sources), f"{url} loads no confirm.js"


def test_the_confirmation_script_exists_and_reads_data_confirm(client):
    response = client.get("/static/confirm.js")
    assert response.status_code == 200
    script = response.get_data(as_text=True)
    assert "data-confirm" in script
    assert "confirm(" in script
