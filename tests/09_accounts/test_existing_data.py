"""Existing data: a database that step 07's or step 08's own code filled is upgraded in place when the app starts,
and every one of its tasks goes to the first account; `flask create-user` makes that account for the operator."""
import sqlite3
from contextlib import closing

import pytest

from support import ROOT, Forms, TaskActions, expects, load_app_module, parse
from support.accounts import PASSWORD, Account, sign_in
from tools.steps import environment

pytestmark = pytest.mark.concept("a step 07/08 database upgraded, and flask create-user", "existing-data",
                                 zh="升级第 07/08 步的数据库，以及 flask create-user")

OLD_TASKS = ["Learn Flask", "Write tests", "Deploy", "Back up", "Sleep", "café ✓ 任务"]
DONE = {"Learn Flask", "Back up"}

expects.command("flask create-user NAME --email EMAIL")


def old_database(step, path):
    """A database made and filled by the course's own steps/<step>: its app, started on `path`, given tasks
    through its forms (some done, one deleted) and a sign-up of its time (a name and an e-mail, no password)."""
    with environment(APP_SECRET="an-old-step-secret-" + "x" * 32, APP_DATABASE=str(path), APP_ENV="production"):
        old = load_app_module(ROOT / "steps" / step).app
    old.config.update(TESTING=True, DATABASE=str(path))
    client = old.test_client()
    tasks = TaskActions(old, client, Forms(client))
    ids = tasks.add_all(*OLD_TASKS, "Deleted before the upgrade")
    for task_id, summary in zip(ids, OLD_TASKS):
        if summary in DONE:
            assert tasks.toggle(task_id).status_code == 302
    assert tasks.delete(ids[-1]).status_code == 302
    signup = Forms(client).submit("/signup", "/signup", {"username": "oldtimer", "email": "old@example.com",
                                                         "password": "from before accounts"})
    assert signup.status_code == 302
    with closing(sqlite3.connect(path)) as db:
        assert "user_id" not in {row[1] for row in db.execute("PRAGMA table_info(tasks)")}
    return path


@pytest.fixture(params=["07_deploy", "08_package"])
def upgraded(request, tmp_path, fresh_import):
    """The app of this step started on a database of step 07 or 08 (as gunicorn would start it after an update)."""
    path = old_database(request.param, tmp_path / request.param / "tasks.db")
    app = fresh_import(APP_DATABASE=str(path)).app
    app.config.update(TESTING=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    return app


def stored(app):
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        return db.execute("SELECT summary, done, user_id FROM tasks ORDER BY id").fetchall()


def create_user(app, name, *arguments, password=PASSWORD, confirm=None):
    """`flask create-user NAME`, the password typed at its two prompts."""
    typed = f"{password}\n{password if confirm is None else confirm}\n"
    return app.test_cli_runner().invoke(args=["create-user", name, *arguments], input=typed)


def test_every_task_is_kept_and_goes_to_the_first_account_the_operator_creates(upgraded):
    result = create_user(upgraded, "ada", "--email", "ada@example.com")
    assert result.exit_code == 0, result.output
    assert str(len(OLD_TASKS)) in result.output, f"create-user says how many tasks it adopted: {result.output!r}"
    with closing(sqlite3.connect(upgraded.config["DATABASE"])) as db:
        (ada,) = db.execute("SELECT id FROM users WHERE username_key = 'ada'").fetchone()
    assert stored(upgraded) == [(summary, int(summary in DONE), ada) for summary in OLD_TASKS]


def test_the_first_account_sees_its_old_tasks_counted_searched_and_listed(upgraded):
    assert create_user(upgraded, "ada").exit_code == 0
    ada = Account(upgraded, "ada")
    assert ada.counts() == {"total": 6, "pending": 4, "done": 2}
    assert sorted(ada.summaries()) == sorted(OLD_TASKS)
    assert len(ada.client.get("/api/tasks").get_json()) == 6
    assert [a.get_text() for a in parse(ada.page("/search?q=deploy")).select("main ul a")] == ["Deploy"]
    assert [a.get_text() for a in parse(ada.page("/search?q=cafe")).select("main ul a")] == ["café ✓ 任务"]
    (first,) = ada.add_all("New after the upgrade")
    assert ada.counts() == {"total": 7, "pending": 5, "done": 2}
    assert ada.toggle(first).status_code == 302 and ada.purge().status_code == 302
    assert ada.counts() == {"total": 4, "pending": 4, "done": 0}


def test_a_visitor_who_signs_up_first_gets_none_of_them(upgraded):
    """The old tasks wait for the operator's create-user: whoever finds the site first must not get them."""
    visitor = Account(upgraded, "mallory")
    assert visitor.counts() == {"total": 0, "pending": 0, "done": 0}
    assert visitor.client.get("/api/tasks").get_json() == []
    result = create_user(upgraded, "ada")
    assert str(len(OLD_TASKS)) in result.output, result.output
    assert Account(upgraded, "ada").counts() == {"total": 6, "pending": 4, "done": 2}


def test_an_account_made_after_the_first_adopts_nothing(upgraded):
    assert create_user(upgraded, "ada").exit_code == 0
    grace = Account(upgraded, "grace")
    assert grace.counts() == {"total": 0, "pending": 0, "done": 0}
    assert grace.client.get("/api/tasks").get_json() == []
    result = create_user(upgraded, "linus")
    assert result.exit_code == 0, result.output
    assert Account(upgraded, "linus").counts()["total"] == 0


def test_a_sign_up_from_before_accounts_signs_nobody_in(upgraded):
    """Step 07's sign-ups kept no password: no password can open them."""
    assert create_user(upgraded, "ada").exit_code == 0
    for password in ("from before accounts", "", PASSWORD):
        assert sign_in(Forms(upgraded.test_client()), "oldtimer", password).status_code in (401, 429)


def test_starting_again_on_the_upgraded_database_changes_nothing(upgraded, fresh_import):
    assert create_user(upgraded, "ada").exit_code == 0
    before = stored(upgraded)
    again = fresh_import(APP_DATABASE=upgraded.config["DATABASE"]).app
    again.config.update(TESTING=True, PASSWORD_HASH_METHOD="pbkdf2:sha256:1000")
    assert stored(again) == before
    assert Account(again, "ada").counts() == {"total": 6, "pending": 4, "done": 2}


def test_create_user_asks_twice_and_never_shows_the_password(app, runner):
    result = create_user(app, "ada")
    assert result.exit_code == 0, result.output
    assert PASSWORD not in result.output, "the prompts hide what is typed"
    prompts = [line for line in result.output.splitlines() if line.rstrip().endswith(":")]
    assert len(prompts) == 2, f"two prompts, the second to confirm: {result.output!r}"
    assert sign_in(Forms(app.test_client()), "ada", PASSWORD).status_code == 302


def test_create_user_with_two_different_passwords_makes_no_account(app):
    result = create_user(app, "ada", confirm=PASSWORD + "-typo")
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert sign_in(Forms(app.test_client()), "ada", PASSWORD).status_code == 401


@pytest.mark.parametrize("password", ["short", "ada", "x" * 129])
def test_create_user_holds_the_password_rules(app, password):
    result = create_user(app, "ada", password=password)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        assert db.execute("SELECT count(*) FROM users").fetchone()[0] == 0


def test_create_user_refuses_a_name_that_is_taken(app):
    assert create_user(app, "ada").exit_code == 0
    result = create_user(app, "ADA", password="another password")
    assert result.exit_code != 0
    assert expects.text("taken", where="flask create-user ada; flask create-user ADA") in result.output.lower(), (
        result.output)
    assert sign_in(Forms(app.test_client()), "ada", "another password").status_code == 401


def test_create_user_keeps_the_email_it_is_given(app):
    assert create_user(app, "ada", "--email", "ada@example.com").exit_code == 0
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        assert db.execute("SELECT username, email FROM users").fetchall() == [("ada", "ada@example.com")]


def test_create_user_gives_a_password_to_someone_who_signed_up_before_accounts(upgraded):
    result = create_user(upgraded, "oldtimer")
    assert result.exit_code == 0, result.output
    assert sign_in(Forms(upgraded.test_client()), "oldtimer", PASSWORD).status_code == 302
