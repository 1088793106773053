"""A property-based fuzzer for steps 02 on (Hypothesis): hostile requests to every route of a step.

Each suite runs it with one import (tests/NN_name/test_fuzz.py). From the app's own url_map it makes
requests a browser would never send: ids huge, negative or not numbers, page numbers of any size, query
strings and form bodies of any Unicode (control characters, huge and empty values), with a valid CSRF
token or without, and any method. Whatever comes in:

- the answer is never a 5xx, and no body shows a traceback;
- every error page is in the step's own layout (it carries the home page's navigation);
- nothing is stored that the step's rules refuse (tasks and sign-ups are read back and checked).

The default run is derandomised and small, so the suite stays fast; `--hypothesis-profile=thorough`
runs many more random examples.
"""
import re
import sqlite3
import tempfile
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tools.forms import parse

from .signup import stored_users

__all__ = ["test_no_request_breaks_the_app"]

# Hypothesis keeps what it learns in .hypothesis/ in the working folder: keep it out of the repository.
set_hypothesis_home_dir(Path(tempfile.gettempdir()) / "flask-course-hypothesis")
HEALTH_CHECKS = [HealthCheck.function_scoped_fixture, HealthCheck.too_slow, HealthCheck.data_too_large]
settings.register_profile("thorough", max_examples=1500, deadline=None, suppress_health_check=HEALTH_CHECKS)
# The default run: the same examples every time (derandomize), few enough to keep the suite fast.
FAST = settings(max_examples=70, derandomize=True, deadline=None, database=None,
                suppress_health_check=HEALTH_CHECKS)

METHODS = ["GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS"]
FIELDS = ["summary", "username", "email", "password", "q", "page", "csrf_token"]
SQLITE_MAX = 2**63 - 1
MAX_SUMMARY = 300
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
TRACEBACK = re.compile(r"Traceback \(most recent call last\)|File \"[^\"]+\.py\", line \d+")
ARGUMENT = re.compile(r"<(?:(\w+)(?:\([^)]*\))?:)?(\w+)>")

# Text a visitor could send: any Unicode but surrogates, with control characters, often short.
TEXT = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
HUGE_TEXT = st.integers(301, 5000).map(lambda n: "é" * n)
# Values a form accepts come first: Hypothesis leans towards the first choices, and an action needs a task.
VALUES = st.one_of(st.sampled_from(["Buy milk", "ada", "ada@example.com", "correct horse"]), TEXT, TEXT, HUGE_TEXT,
                   st.just(""), st.sampled_from(["  ", "\x00", "\r\n", "flask"]))
NUMBERS = st.one_of(
    st.integers(-2, 12), st.integers(-5, 60), st.integers(SQLITE_MAX - 2, SQLITE_MAX + 2), st.integers(-(10**40), 10**40),
    st.sampled_from([SQLITE_MAX // 10, SQLITE_MAX // 10 + 1, SQLITE_MAX // 3 + 1]),
).map(str)
SEGMENTS = {
    "int": st.one_of(st.integers(1, 4).map(str), NUMBERS, TEXT),  # first, the ids the first tasks get
    "float": st.one_of(st.floats(allow_nan=True, allow_infinity=True).map(str), NUMBERS, TEXT),
    "path": st.one_of(TEXT, st.sampled_from(["../app.py", "a/b/c", "..", "%00", "x" * 3000])),
}
QUERY_VALUES = st.one_of(NUMBERS, VALUES)


def routes(app):
    """The step's routes, as (rule, methods), the static files included."""
    return sorted((rule.rule, sorted(rule.methods - {"OPTIONS"})) for rule in app.url_map.iter_rules())


@st.composite
def requests(draw, app):
    """One request: (method, path, query string, form fields or None)."""
    rule, methods = draw(st.sampled_from(routes(app)))
    if draw(st.integers(0, 9)) == 0:
        path = "/" + quote(draw(TEXT), safe="/")  # somewhere no route may lead
    else:
        def segment(match):
            converter = match.group(1) or "string"
            value = draw(SEGMENTS.get(converter, TEXT))
            return quote(value, safe="/" if converter == "path" else "")
        path = ARGUMENT.sub(segment, rule)
    own = [name for name in methods if name not in ("HEAD", "OPTIONS")] or methods
    # Mostly a method the route accepts (so that forms are sent and tasks change); now and then any method.
    method = draw(st.sampled_from(METHODS)) if draw(st.integers(0, 3)) == 3 else draw(st.sampled_from(own))
    query = draw(st.dictionaries(st.one_of(st.sampled_from(["q", "page"]), TEXT), QUERY_VALUES, max_size=3))
    form = None
    if method not in ("GET", "HEAD"):
        # Any of the forms' own fields (each there or not), and now and then fields no form has.
        form = draw(st.fixed_dictionaries({}, optional={name: VALUES for name in FIELDS}))
        form.update(draw(st.dictionaries(TEXT, VALUES, max_size=2)))
        token = draw(st.integers(0, 5))  # 0 to 3: the session's token; 4: none; 5: a wrong one
        if token <= 3:
            form["csrf_token"] = VALID_TOKEN
        elif token == 4:
            form.pop("csrf_token", None)
        else:
            form["csrf_token"] = draw(TEXT)
    return method, path, query, form


VALID_TOKEN = object()  # replaced, when the request is sent, by a token the session accepts


def csrf_token(client, app):
    """A CSRF token from the first page without arguments that has one, or None (steps 02-03)."""
    for rule, methods in routes(app):
        if "<" in rule or "GET" not in methods:
            continue
        field = parse(client.get(rule).get_data(as_text=True)).find("input", attrs={"name": "csrf_token"})
        if field is not None:
            return field["value"]
    return None


def navigation(html):
    """What marks a page as the step's layout: the links of its <nav>, or, without one, its link home."""
    soup = parse(html)
    nav = soup.find("nav")
    if nav is not None:
        return [a.get("href") for a in nav.find_all("a")]
    return [a.get("href") for a in soup.find_all("a", href="/")][:1]


def check_stored(app, app_module):
    """Nothing stored breaks the step's rules: tasks (05 on) and sign-ups (04 on)."""
    database = app.config.get("DATABASE")
    if database:
        with closing(sqlite3.connect(database)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "tasks" in tables:
                for task_id, summary, done in db.execute("SELECT id, summary, done FROM tasks"):
                    assert 1 <= len(summary) <= MAX_SUMMARY, f"task {task_id} was stored with {len(summary)} characters"
                    assert summary == " ".join(summary.split()), f"task {task_id} kept untidy spaces: {summary!r}"
                    assert done in (0, 1), f"task {task_id} has done = {done!r}"
            if "task_counts" in tables:
                counted = db.execute("SELECT count(*), coalesce(sum(done), 0) FROM tasks").fetchone()
                kept = db.execute("SELECT total, done FROM task_counts").fetchone()
                assert kept == counted, f"the counts row says {kept}, the tasks {counted}"
            if "tasks_search_docsize" in tables:  # step 07's full-text index: one entry per task, no more
                indexed = [row[0] for row in db.execute("SELECT id FROM tasks_search_docsize ORDER BY id")]
                stored = [row[0] for row in db.execute("SELECT id FROM tasks ORDER BY id")]
                assert indexed == stored, f"the search index holds the tasks {indexed}, the table {stored}"
    if "/signup" in {rule.rule for rule in app.url_map.iter_rules()}:
        users = stored_users(app_module)
        names = [user["username"].lower() for user in users]
        assert len(names) == len(set(names)), f"one name has two accounts: {names}"
        for user in users:
            assert 3 <= len(user["username"]) <= 30 and user["username"] == user["username"].strip(), user
            assert len(user["email"]) <= 254 and EMAIL_PATTERN.fullmatch(user["email"]), user


@pytest.mark.concept("no request breaks a page", "pages-and-links", zh="没有请求能让页面出错")
def test_no_request_breaks_the_app(app, app_module, client):
    """Pitfalls 4 and 10 and every crash alike: hostile requests get a 4xx in the layout, never a 5xx."""
    layout = navigation(client.get("/").get_data(as_text=True))
    assert layout, "The home page should have a link home or a <nav>, as every page of the layout does."
    token = csrf_token(client, app)
    chosen = FAST if settings.get_current_profile_name() == "default" else settings()

    @chosen
    @given(requests(app))
    def hostile(request):
        method, path, query, form = request
        if form is not None and form.get("csrf_token") is VALID_TOKEN:
            form["csrf_token"] = token or ""
        response = client.open(path, method=method, query_string=query, data=form)
        body = response.get_data(as_text=True)
        sent = f"{method} {path} query={query!r} form={form!r}"
        assert response.status_code < 500, f"{sent} answered {response.status_code}:\n{body[:2000]}"
        assert not TRACEBACK.search(body), f"{sent} shows a traceback:\n{body[:2000]}"
        if response.status_code >= 400 and method != "HEAD" and response.mimetype == "text/html":
            assert navigation(body) == layout, (
                f"{sent} answered {response.status_code} with a page outside the step's layout:\n{body[:1000]}"
            )
        check_stored(app, app_module)

    hostile()
