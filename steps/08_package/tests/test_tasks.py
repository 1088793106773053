"""The task manager: adding, counting, toggling,
deleting, purging, one task, search and JSON."""

import pytest


def summaries(client):
    return [task["summary"] for task in client.get("/api/tasks").get_json()]


def test_adding_a_task_stores_it_and_redirects(client, tasks):
    response = tasks.add("Buy milk")
    assert response.status_code == 302
    assert response.headers["Location"] == "/tasks"
    assert summaries(client) == ["Buy milk"]
    assert "Task added." in client.get("/tasks").get_data(as_text=True)


def test_a_task_survives_a_new_connection(app, tasks):
    tasks.add("Stay")
    # A new app on the same database: what is not committed would be gone.
    from taskman import create_app

    again = create_app(
        {
            "TESTING": True,
            "SECRET_KEY": app.secret_key,
            "DATABASE": app.config["DATABASE"],
        }
    )
    assert again.test_client().get("/api/tasks").get_json()[0]["summary"] == "Stay"


@pytest.mark.parametrize(
    "summary, message",
    [
        ("", "A task needs a summary."),
        ("   ", "A task needs a summary."),
        ("x" * 301, "A summary has at most 300 characters."),
        ("\u200b\u200b", "A task needs a summary."),
        ("Call\x01Ada", "A summary has no control characters."),
    ],
)
def test_a_bad_summary_is_refused(client, tasks, summary, message):
    response = tasks.add(summary)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
    assert summaries(client) == []


def test_a_refused_summary_is_shown_back_cut_to_its_limit(tasks):
    response = tasks.add("x" * 900_000)
    assert response.status_code == 400
    assert "x" * 300 in response.get_data(as_text=True)
    assert "x" * 301 not in response.get_data(as_text=True)


def test_a_form_without_its_csrf_token_is_refused(client):
    response = client.post("/tasks", data={"summary": "Forged"})
    assert response.status_code == 400
    assert summaries(client) == []


def test_with_csrf_off_a_form_needs_no_token(app, client):
    # What a test config with WTF_CSRF_ENABLED=False
    # gives up: the check itself is no longer tested.
    app.config["WTF_CSRF_ENABLED"] = False
    assert client.post("/tasks", data={"summary": "No token"}).status_code == 302
    assert summaries(client) == ["No token"]


def test_the_counts(client, tasks):
    for summary in ["One", "Two", "Three"]:
        tasks.add(summary)
    tasks.post("/tasks/1/toggle")
    html = client.get("/tasks").get_data(as_text=True)
    assert "<strong>3</strong> total" in html
    assert "<strong>2</strong> pending" in html
    assert "<strong>1</strong> done" in html


def test_toggling_marks_done_then_not_done(client, tasks):
    tasks.add("Toggle me")
    assert tasks.post("/tasks/1/toggle").status_code == 302
    assert client.get("/api/tasks").get_json()[0]["done"] is True
    tasks.post("/tasks/1/toggle")
    assert client.get("/api/tasks").get_json()[0]["done"] is False


def test_deleting_a_task(client, tasks):
    tasks.add("Delete me")
    assert tasks.post("/tasks/1/delete").status_code == 302
    assert summaries(client) == []


def test_purge_deletes_only_the_done_tasks(client, tasks):
    tasks.add("Done")
    tasks.add("Pending")
    tasks.post("/tasks/1/toggle")
    tasks.post("/tasks/purge")
    assert summaries(client) == ["Pending"]
    assert "Removed 1 done task." in client.get("/tasks").get_data(as_text=True)


@pytest.mark.parametrize("path", ["/tasks/9/toggle", "/tasks/9/delete"])
def test_a_missing_task_is_a_404(tasks, path):
    assert tasks.post(path).status_code == 404


def test_one_task_and_a_missing_one(client, tasks):
    tasks.add("Read me")
    assert "Read me" in client.get("/tasks/1").get_data(as_text=True)
    response = client.get("/tasks/9")
    assert response.status_code == 404
    assert "There is no task #9." in response.get_data(as_text=True)


def test_pages_of_tasks(client, tasks):
    for number in range(11):
        tasks.add(f"Task {number}")
    assert len(client.get("/api/tasks?page=2").get_json()) == 1
    assert client.get("/tasks?page=2").status_code == 200
    assert client.get("/tasks?page=3").status_code == 404
    assert client.get("/tasks?page=0").status_code == 400
    assert client.get(f"/tasks?page={2**62}").status_code == 404


def test_search(client, tasks):
    tasks.add("Learn Flask")
    tasks.add("Buy milk")
    html = client.get("/search?q=fla").get_data(as_text=True)
    assert "Learn Flask" in html and "Buy milk" not in html
    assert "Buy milk" in client.get("/search").get_data(as_text=True)
