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
import unicodedata
from contextlib import closing
from pathlib import Path
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from hypothesis.configuration import set_hypothesis_home_dir

from tools.forms import parse

from .signup import stored_users
from .tasks import BLANK_LETTERS, summary_problem

__all__ = ["test_no_request_breaks_the_app", "refused_characters"]

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
MAX_SEARCH_WORDS = 10  # step 09 on
# Alphabets whose letters look alike: from step 09 on, a username uses one of them at most.
LOOK_ALIKE_ALPHABETS = {"LATIN", "GREEK", "CYRILLIC"}
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


@pytest.fixture
def refused_characters():
    """Characters the step refuses in any form field or query string, with 400 and nothing stored: none up to
    step 09 (SQLite's text holds any character). A step's test_fuzz.py overrides it: step 10 refuses NUL, which
    PostgreSQL's text cannot hold."""
    return ""


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


def columns(db, table):
    """The names of a table's columns."""
    return {row[1] for row in db.execute(f"PRAGMA table_info({table})")}


def username_key(username):
    """What step 09 on compares usernames by: NFKC, case folded, NFKC again ("ADA", "ａｄａ" and "ada" are one)."""
    return unicodedata.normalize("NFKC", unicodedata.normalize("NFKC", username).casefold())


def check_username(user):
    """A username stored by step 09 on: in its NFKC form, 3 to 30 characters and so is its key, printable, no letter
    that draws nothing, at most one of the alphabets whose letters look alike."""
    name = user["username"]
    assert name == unicodedata.normalize("NFKC", name), f"{name!r} is not stored in its NFKC form"
    assert 3 <= len(name) <= 30 and len(username_key(name)) <= 30, f"{name!r} or its key is too long or too short"
    assert name.isprintable() and not set(name) & set(BLANK_LETTERS), f"{name!r} holds an invisible character"
    alphabets = {unicodedata.name(char).split()[0] for char in name if char.isalpha()}
    assert len(alphabets & LOOK_ALIKE_ALPHABETS) <= 1, f"{name!r} mixes {sorted(alphabets)}"


def check_stored(app, app_module, refused="", step=None):
    """Nothing stored breaks the step's rules: tasks (05 on) and sign-ups (04 on), none holding a refused character;
    from step 06 on, no summary that draws nothing or holds a control character; from step 09 on, usernames kept and
    compared in their normalised form."""
    step = step or ""
    database = app.config.get("DATABASE")
    if database:
        with closing(sqlite3.connect(database)) as db:
            tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
            if "tasks" in tables:
                for task_id, summary, done in db.execute("SELECT id, summary, done FROM tasks"):
                    assert 1 <= len(summary) <= MAX_SUMMARY, f"task {task_id} was stored with {len(summary)} characters"
                    assert summary == " ".join(summary.split()), f"task {task_id} kept untidy spaces: {summary!r}"
                    assert done in (0, 1), f"task {task_id} has done = {done!r}"
                    assert not set(summary) & set(refused), f"task {task_id} was stored with {summary!r}"
                    if step >= "06":
                        assert summary_problem(summary) is None, f"task {task_id} was stored with {summary!r}"
            if "task_counts" in tables and "user_id" in columns(db, "task_counts"):  # step 09 on: a row per user
                counted = {user: (total, done) for user, total, done in db.execute(
                    "SELECT user_id, count(*), coalesce(sum(done), 0) FROM tasks GROUP BY user_id")}
                kept = {user: (total, done) for user, total, done in db.execute(
                    "SELECT user_id, total, done FROM task_counts") if total or done}
                assert kept == counted, f"the counts rows say {kept}, the tasks {counted}"
            elif "task_counts" in tables:
                counted = db.execute("SELECT count(*), coalesce(sum(done), 0) FROM tasks").fetchone()
                kept = db.execute("SELECT total, done FROM task_counts").fetchone()
                assert kept == counted, f"the counts row says {kept}, the tasks {counted}"
            if "tasks_search_docsize" in tables:  # step 07's full-text index: one entry per task, no more
                indexed = [row[0] for row in db.execute("SELECT id FROM tasks_search_docsize ORDER BY id")]
                stored = [row[0] for row in db.execute("SELECT id FROM tasks ORDER BY id")]
                assert indexed == stored, f"the search index holds the tasks {indexed}, the table {stored}"
    if "/signup" in {rule.rule for rule in app.url_map.iter_rules()}:
        users = stored_users(app_module)
        names = [username_key(user["username"]) if step >= "09" else user["username"].lower() for user in users]
        assert len(names) == len(set(names)), f"one name has two accounts: {names}"
        for user in users:
            if step >= "09":
                check_username(user)
            assert 3 <= len(user["username"]) <= 30 and user["username"] == user["username"].strip(), user
            assert len(user["email"]) <= 254 and EMAIL_PATTERN.fullmatch(user["email"]), user
            assert not set(user["username"] + user["email"]) & set(refused), user


@pytest.mark.later  # the fuzzer, in full: a longer check, in the check's second tier
@pytest.mark.concept("no request breaks a page", "pages-and-links", zh="没有请求能让页面出错")
def test_no_request_breaks_the_app(app, app_module, client, refused_characters, step):
    """Pitfalls 4 and 10 and every crash alike: hostile requests get a 4xx in the layout, never a 5xx."""
    # The layout's navigation, as the client sees it and as a visitor without an account does (from step 09 on
    # a hostile POST /logout may sign the client out; before, the two are the same).
    layouts = [navigation(client.get("/").get_data(as_text=True)),
               navigation(app.test_client().get("/").get_data(as_text=True))]
    assert layouts[0], "The home page should have a link home or a <nav>, as every page of the layout does."
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
            assert navigation(body) in layouts, (
                f"{sent} answered {response.status_code} with a page outside the step's layout:\n{body[:1000]}"
            )
        fields = [*query.items(), *(form or {}).items()]
        if any(set(str(value)) & set(refused_characters) for name, value in fields if name != "next"):
            # Refused before any view reads it (next, which never reaches the database, may be dropped instead).
            assert response.status_code == 400, f"{sent} holds a refused character and answered {response.status_code}"
        check_stored(app, app_module, refused_characters, step)

    hostile()


# Step 09 on: two people's operations interleaved, checked against a model of each one's tasks.
ACTIONS = ["add", "add", "toggle", "delete", "purge", "view", "search"]
SUMMARIES = st.one_of(st.sampled_from(["Buy milk", "  Buy   milk  ", "", "flask", "ada", "Buy\x00milk"]), TEXT, HUGE_TEXT)
# (who: 0 or 1, what, whose task: 0 their own, 1 the other's, 2 nobody's, which: an index, a summary or word)
OPERATIONS = st.lists(st.tuples(st.integers(0, 1), st.sampled_from(ACTIONS), st.integers(0, 2), st.integers(0, 50),
                                SUMMARIES), min_size=1, max_size=25)
PAIRS = settings(max_examples=15, derandomize=True, deadline=None, database=None, suppress_health_check=HEALTH_CHECKS)
# A failing sequence is reported as it was found, not shrunk: each try makes two accounts and replays up to 25
# operations, and shrinking would replay hundreds (minutes, in a student's check). Its message names who and what.
NO_SHRINKING = [Phase.explicit, Phase.reuse, Phase.generate]
_pairs = iter(range(10**9))


def newest_first(model):
    """The ids of a person's tasks as the dashboard and the API list them (ids grow with time)."""
    return sorted(model, reverse=True)


def check_people(app, people, models):
    """What each person's pages and the database say is exactly that person's model of their tasks."""
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        for person, model in zip(people, models):
            rows = dict(((task_id, (summary, done)) for task_id, summary, done in db.execute(
                "SELECT id, summary, done FROM tasks WHERE user_id = ?", (person.owner,))))
            assert rows == {task_id: (summary, int(done)) for task_id, (summary, done) in model.items()}, (
                f"{person.username}'s rows {rows} are not what they did: {model}")
    for person, model in zip(people, models):
        listed = person.client.get("/api/tasks").get_json()
        assert [task["id"] for task in listed] == newest_first(model)[:10], f"{person.username}'s API lists {listed}"
        done = sum(1 for _, is_done in model.values() if is_done)
        assert person.counts() == {"total": len(model), "pending": len(model) - done, "done": done}


@pytest.mark.later  # the fuzzer, in full: a longer check, in the check's second tier
@pytest.mark.concept("two users at the same time never meet", "two-users", zh="两个用户同时使用，互不相见")
def test_two_users_interleaved_never_meet(app, refused_characters):
    """Two people (step 09 on) take turns at random: adding (any text), toggling, deleting, purging, opening and
    searching, now and then aimed at the other's tasks or at an id nobody has. After every operation each one's
    pages, API, counts and rows in the database are exactly their own tasks, and an aimed-at task of the other's
    answers 404 and stays as it was. A summary the step refuses (empty or drawing nothing, over 300 characters, a
    control character: support/tasks.py's summary_problem), a search of more than 10 words, and a text holding a
    character the step refuses (refused_characters) answer 400, and nothing is stored."""
    from .accounts import Account

    chosen = PAIRS if settings.get_current_profile_name() == "default" else settings()

    @settings(chosen, phases=NO_SHRINKING)
    @given(OPERATIONS)
    def interleaved(operations):
        number = next(_pairs)
        people = [Account(app, f"alice{number}"), Account(app, f"bob{number}")]
        models = [{}, {}]  # each person's tasks: {id: [summary, done]}
        tokens = [person.token() for person in people]
        for who, action, whose, which, text in operations:
            person, token, model = people[who], tokens[who], models[who]
            pool = sorted(models[who if whose == 0 else 1 - who])
            with closing(sqlite3.connect(app.config["DATABASE"])) as db:
                nobodys = db.execute("SELECT coalesce(max(id), 0) FROM tasks").fetchone()[0] + 1 + which
            target = pool[which % len(pool)] if whose < 2 and pool else nobodys
            mine = whose == 0 and target in model
            refused = bool(set(text) & set(refused_characters))
            if action == "add":
                summary = " ".join(text.split())
                response = person.client.post("/tasks", data={"summary": text, "csrf_token": token})
                if refused or summary_problem(text):
                    assert response.status_code == 400, (text, response.status_code)
                else:
                    assert response.status_code == 302, (text, response.status_code)
                    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
                        (new,) = db.execute("SELECT max(id) FROM tasks WHERE user_id = ?", (person.owner,)).fetchone()
                    model[new] = [summary, False]
            elif action in ("toggle", "delete"):
                response = person.client.post(f"/tasks/{target}/{action}", data={"csrf_token": token})
                assert response.status_code == (302 if mine else 404), (
                    f"{person.username}: POST /tasks/{target}/{action}, {'their own' if mine else 'not their'} task, "
                    f"answered {response.status_code}")
                if mine and action == "toggle":
                    model[target][1] = not model[target][1]
                elif mine:
                    del model[target]
            elif action == "purge":
                assert person.client.post("/tasks/purge", data={"csrf_token": token}).status_code == 302
                for task_id in [task_id for task_id, (_, done) in model.items() if done]:
                    del model[task_id]
            elif action == "view":
                response = person.client.get(f"/tasks/{target}")
                assert response.status_code == (200 if mine else 404), (
                    f"{person.username}: GET /tasks/{target}, {'their own' if mine else 'not their'} task, "
                    f"answered {response.status_code}")
            else:
                response = person.client.get("/search", query_string={"q": text})
                too_long = len(text.split()) > MAX_SEARCH_WORDS
                # A search of more than 200 characters may be refused for its length as well (it is shown on the page).
                allowed = {400} if refused or too_long else {200, 400} if len(text.strip()) > 200 else {200}
                assert response.status_code in allowed, (
                    f"{person.username}: GET /search?q={text!r} answered {response.status_code}")
                links = parse(response.get_data(as_text=True)).find_all("a", href=re.compile(r"^/tasks/\d+$"))
                found = {int(link["href"].rsplit("/", 1)[1]) for link in links}
                assert found <= set(model), f"{person.username}'s search for {text!r} lists {found - set(model)}"
            check_people(app, people, models)

    interleaved()
