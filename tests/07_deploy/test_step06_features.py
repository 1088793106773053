"""What step 06 built still works in production: add, toggle, delete, purge, search, sign-in and sign-up."""
import pytest

from support import parse

pytestmark = pytest.mark.concept("the task manager from step 06, unchanged", "features-from-step-06")

VALID = {"username": "ada", "email": "ada@example.com", "password": "correct horse"}


def flashes(client, response):
    """Follow a redirect and return the flashed messages the next page shows, as (kind, text):
    the kind ("success") is the class that styles the message."""
    assert response.status_code == 302
    page = client.get(response.headers["Location"])
    return [(" ".join(name for name in element["class"] if name != "flash"), element.get_text(strip=True))
            for element in parse(page.get_data(as_text=True)).select(".flash")]


def field_value(response, name):
    """The value a page's form field holds (what the visitor sees typed in it)."""
    field = parse(response.get_data(as_text=True)).find("input", attrs={"name": name})
    assert field is not None, f"The page has no field named {name}."
    return field.get("value", "")


def field_error(response, name):
    """The error message a form shows for one field: the element its input names in aria-describedby
    (what a screen reader reads out with the field), or None when the field has no error."""
    soup = parse(response.get_data(as_text=True))
    field = soup.find("input", attrs={"name": name})
    described_by = field.get("aria-describedby")
    if described_by is None:
        return None
    return soup.find(id=described_by).get_text(" ", strip=True)


def test_a_task_is_added_with_its_spaces_tidied_and_a_message(client, tasks):
    response = tasks.add("  Buy   milk \t now ")
    assert response.headers["Location"] == "/tasks"
    assert flashes(client, response) == [("success", "Task added.")]
    assert tasks.summaries() == ["Buy milk now"]


@pytest.mark.parametrize("summary, message", [
    ("", "A task needs a summary."),
    ("   ", "A task needs a summary."),
    ("x" * 301, "A summary has at most 300 characters."),
])
def test_a_bad_summary_is_refused_with_a_message_and_kept_in_the_form(tasks, summary, message):
    response = tasks.add(summary)
    assert response.status_code == 400
    assert tasks.error_in(response.get_data(as_text=True)) == message
    assert field_value(response, "summary") == " ".join(summary.split())
    assert tasks.rows() == []


def test_a_form_without_its_summary_field_is_refused_like_an_empty_one(client, tasks):
    """A request made by hand (curl, a script) may leave the field out: a clear 400, not a task."""
    response = client.post("/tasks", data={"csrf_token": tasks.token()})
    assert response.status_code == 400
    assert tasks.error_in(response.get_data(as_text=True)) == "A task needs a summary."
    assert field_value(response, "summary") == ""
    assert tasks.rows() == []


@pytest.mark.parametrize("summary", ["x" * 300, "café ✓ 任务", "'); DROP TABLE tasks; --"])
def test_unusual_summaries_are_stored_as_typed(tasks, summary):
    assert tasks.add(summary).status_code == 302
    assert tasks.summaries() == [summary]


def test_html_in_a_summary_is_shown_escaped(tasks):
    assert tasks.add("<script>alert(1)</script>").status_code == 302
    html = tasks.page("/tasks")
    assert "&lt;script&gt;" in html and "<script>alert" not in html


def test_toggling_marks_done_then_not_done(client, forms, tasks):
    tasks.add("Toggle me")
    response = forms.submit("/tasks", "/tasks/1/toggle")
    assert response.headers["Location"] == "/tasks"
    assert flashes(client, response) == [("success", "Task updated.")]
    assert tasks.rows()[0]["done"] == 1
    forms.submit("/tasks", "/tasks/1/toggle")
    assert tasks.rows()[0]["done"] == 0


def test_deleting_removes_one_task(client, forms, tasks):
    tasks.add("Keep")
    tasks.add("Delete")
    response = forms.submit("/tasks", "/tasks/2/delete")
    assert response.headers["Location"] == "/tasks"
    assert flashes(client, response) == [("success", "Task deleted.")]
    assert tasks.summaries() == ["Keep"]


@pytest.mark.parametrize("done, message", [(0, "Removed 0 done tasks."), (1, "Removed 1 done task."),
                                           (2, "Removed 2 done tasks.")])
def test_purging_removes_the_done_tasks_only(client, forms, tasks, done, message):
    ids = tasks.insert_many(3)
    for task_id in ids[:done]:
        forms.submit("/tasks", f"/tasks/{task_id}/toggle")
    response = client.post("/tasks/purge", data={"csrf_token": tasks.token()})
    assert response.headers["Location"] == "/tasks"
    assert flashes(client, response) == [("success", message)]
    assert [row["id"] for row in tasks.rows()] == ids[done:]


@pytest.mark.parametrize("action", ["toggle", "delete"])
def test_a_task_that_does_not_exist_is_a_404_and_nothing_changes(client, tasks, paragraphs, action):
    """Pitfall 4: redirecting as if it worked would hide the mistake."""
    tasks.add("The only task")
    response = client.post(f"/tasks/99/{action}", data={"csrf_token": tasks.token()})
    assert response.status_code == 404
    assert "There is no task #99." in paragraphs(response)
    assert [(row["summary"], row["done"]) for row in tasks.rows()] == [("The only task", 0)]


def test_a_task_has_its_own_page(client, tasks, paragraphs):
    tasks.add("See me in full")
    text = parse(tasks.page("/tasks/1")).find("main").get_text(" ", strip=True)
    assert "Task #1" in text and "See me in full" in text and "Status: to do." in text
    response = client.get("/tasks/2")
    assert response.status_code == 404
    assert "There is no task #2." in paragraphs(response)


def test_the_api_lists_tasks_as_json(client, forms, tasks):
    tasks.add("Plain")
    tasks.add("Done")
    forms.submit("/tasks", "/tasks/2/toggle")
    listed = client.get("/api/tasks").get_json()
    assert [(task["id"], task["summary"], task["done"]) for task in listed] == [(2, "Done", True), (1, "Plain", False)]
    assert all(set(task) == {"id", "summary", "done", "created"} for task in listed)


@pytest.mark.parametrize("url, fields", [("/tasks", ["summary"]), ("/login", ["username"]),
                                         ("/signup", ["username", "email"]), ("/search", ["q"])])
def test_every_form_opens_empty(client, url, fields):
    response = client.get(url)
    assert response.status_code == 200
    assert [field_value(response, name) for name in fields] == [""] * len(fields)


def test_search_finds_words_in_any_case_three_to_a_page(tasks):
    for summary in ("Learn Flask", "flask again", "Cook", "FLASK three", "More flask"):
        tasks.add(summary)
    first = parse(tasks.page("/search?q=  flask "))
    assert [a.get_text() for a in first.select("main ul a")] == ["More flask", "FLASK three", "flask again"]
    assert "4 results for “flask”, page 1." in first.get_text()
    assert first.find("a", string="Next page")["href"] == "/search?q=flask&page=2"
    second = parse(tasks.page("/search?q=flask&page=2"))
    assert [a.get_text() for a in second.select("main ul a")] == ["Learn Flask"]
    assert second.find("a", string="Next page") is None


@pytest.mark.parametrize("matches, pages", [(3, 1), (4, 2), (6, 2), (7, 3)])
def test_search_links_to_a_next_page_only_when_there_is_one(tasks, matches, pages):
    """Three results to a page: six matches fill two pages, and the second has no "Next page"."""
    tasks.insert_many(matches)  # "Task number 1", "Task number 2", ...
    tasks.add_all("Something else", "And another")
    for page in range(1, pages + 1):
        soup = parse(tasks.page(f"/search?q=number&page={page}"))
        shown = len(soup.select("main ul a"))
        assert shown == (3 if page < pages else matches - 3 * (pages - 1))
        assert (soup.find("a", string="Next page") is not None) == (page < pages), f"page {page} of {pages}"


@pytest.mark.parametrize("page, status", [("0", 400), ("-1", 400), ("abc", 200)])
def test_search_checks_its_page_number(client, paragraphs, page, status):
    response = client.get(f"/search?q=a&page={page}")
    assert response.status_code == status
    assert ("The page number must be 1 or more." in paragraphs(response)) == (status == 400)


def test_a_sign_in_without_its_fields_is_refused(client, tasks):
    response = client.post("/login", data={"csrf_token": tasks.token()})
    assert response.status_code == 401
    assert tasks.error_in(response.get_data(as_text=True)) == "Wrong username or password."
    assert field_value(response, "username") == ""


def test_a_sign_up_without_its_fields_shows_every_problem(client, tasks, app_module):
    response = client.post("/signup", data={"csrf_token": tasks.token()})
    assert response.status_code == 400
    assert {name: field_error(response, name) for name in VALID} == {
        "username": "A username has 3 to 30 characters.",
        "email": "Enter an e-mail address such as ada@example.com.",
        "password": "A password has 8 to 128 characters.",
    }
    assert "Please fix 3 problems below." in response.get_data(as_text=True)
    assert [field_value(response, name) for name in ("username", "email")] == ["", ""]
    assert app_module.USERS == []


def test_the_demo_account_signs_in(client, forms):
    response = forms.submit("/login", "/login", {"username": "student", "password": "flask"})
    assert response.headers["Location"] == "/"
    assert flashes(client, response) == [("success", "Welcome back, student!")]


def test_a_wrong_password_is_401_with_the_username_kept(forms, tasks):
    response = forms.submit("/login", "/login", {"username": "student", "password": "wrong"})
    assert response.status_code == 401
    assert tasks.error_in(response.get_data(as_text=True)) == "Wrong username or password."
    assert field_value(response, "username") == "student"


def test_a_valid_sign_up_is_stored_and_welcomed(client, forms, app_module):
    response = forms.submit("/signup", "/signup", {**VALID, "username": " ada "})
    assert response.headers["Location"] == "/"
    assert flashes(client, response) == [("success", "Account created for ada.")]
    assert app_module.USERS == [{"username": "ada", "email": "ada@example.com"}]


@pytest.mark.parametrize("field, value, message", [
    ("username", "ab", "A username has 3 to 30 characters."),
    ("username", "a" * 31, "A username has 3 to 30 characters."),
    ("email", "ada@example", "Enter an e-mail address such as ada@example.com."),
    ("email", "a" * 243 + "@example.com", "Enter an e-mail address such as ada@example.com."),
    ("password", "p" * 7, "A password has 8 to 128 characters."),
    ("password", "p" * 129, "A password has 8 to 128 characters."),
])
def test_a_bad_sign_up_shows_what_is_wrong(forms, app_module, field, value, message):
    response = forms.submit("/signup", "/signup", {**VALID, field: value})
    assert response.status_code == 400
    assert {name: field_error(response, name) for name in VALID} == {**dict.fromkeys(VALID), field: message}
    assert "Please fix 1 problem below." in response.get_data(as_text=True)
    assert app_module.USERS == []


@pytest.mark.parametrize("field, value", [("username", "abc"), ("username", "a" * 30), ("password", "p" * 8),
                                          ("password", "p" * 128), ("email", "a" * 242 + "@example.com")])
def test_sign_up_values_at_the_limits_are_accepted(forms, field, value):
    assert forms.submit("/signup", "/signup", {**VALID, field: value}).status_code == 302


def test_a_username_is_taken_whatever_its_case(forms):
    assert forms.submit("/signup", "/signup", VALID).status_code == 302
    response = forms.submit("/signup", "/signup", {**VALID, "username": "ADA"})
    assert response.status_code == 400
    assert field_error(response, "username") == "That username is already taken."


def test_init_db_creates_the_tables_and_says_where(app, runner):
    result = runner.invoke(args=["init-db"])
    assert result.exit_code == 0
    assert result.output == f"Initialized the database at {app.config['DATABASE']}.\n"
