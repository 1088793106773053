"""Sign-ups live in the database, where every gunicorn worker sees them; UNIQUE keeps one account a name."""
import sqlite3
from contextlib import closing

import pytest

from support import Forms, expects, module_defining
from support.signup import sign_up, stored_users

pytestmark = pytest.mark.concept("sign-ups every worker sees", "signups", zh="每个 worker 都能看到的注册")

TAKEN = expects.text("That username is already taken.")


def test_a_sign_up_is_stored_in_the_users_table(forms, app_module):
    assert sign_up(forms, username="Ada").status_code == 302
    assert stored_users(app_module) == [{"username": "Ada", "email": "ada@example.com"}]


def test_a_name_taken_in_one_worker_is_taken_in_the_next(fresh_import, app):
    """Two imports of app.py on one database, as two gunicorn workers are."""
    first = fresh_import().app
    second = fresh_import().app
    for worker in (first, second):
        worker.config.update(TESTING=True, DATABASE=app.config["DATABASE"])
    assert sign_up(Forms(first.test_client()), username="ada").status_code == 302
    response = sign_up(Forms(second.test_client()), username="ADA", email="other@example.com")
    assert response.status_code == 400
    assert TAKEN in response.get_data(as_text=True)


def test_two_sign_ups_of_one_name_at_the_same_moment_make_one_account(forms, app_module, monkeypatch):
    """Both checks ran before either was stored (two workers, the same instant): the database's UNIQUE
    refuses the second insert, and the visitor gets the form's message, not a 500."""
    assert sign_up(forms, username="ada").status_code == 302
    monkeypatch.setattr(module_defining(app_module, "validate_signup"), "validate_signup", lambda username, email, password: {})
    response = sign_up(forms, username="Ada", email="twin@example.com")
    assert response.status_code == 400
    assert TAKEN in response.get_data(as_text=True)
    assert stored_users(app_module) == [{"username": "ada", "email": "ada@example.com"}]


def test_the_database_itself_refuses_a_second_account_of_one_name(client, app):
    client.get("/")
    with closing(sqlite3.connect(app.config["DATABASE"])) as db:
        db.execute("INSERT INTO users (username, username_key, email) VALUES ('ada', 'ada', 'a@example.com')")
        with pytest.raises(sqlite3.IntegrityError):
            db.execute("INSERT INTO users (username, username_key, email) VALUES ('Ada', 'ada', 'b@example.com')")
