"""Step 08's task manager, for a signed-in person: step 08's tests (step 07's, run against the package) run here
with a client signed in to an account of its own (conftest.py), where accounts have not changed what they check.

Left out, and checked otherwise in this suite: a step 06 database opened by the app (its tasks have no owner
until an account adopts them: test_existing_data.py); rows written straight into the database without an owner;
pages that open without the database (a signed-in person's pages load the account from it). Adapted below: a
fresh database has no account yet; a page of search reads the signed-in account's row besides its tasks; the
dashboard's query keeps to the owner, and its index must start with the owner.
"""
import sqlite3

import pytest

from support.accounts import Account
from support.reuse import reused_modules

STEP_06_DATABASE = {"test_a_step_06_database_shows_the_right_counts_when_the_app_starts_on_it",
                    "test_a_step_06_database_goes_on_counting_right",
                    "test_a_step_06_database_copied_in_while_the_app_runs_is_counted_on_first_use",
                    "test_a_step_06_database_with_no_or_only_done_tasks_counts_right",
                    "test_the_counts_are_counted_once_and_then_kept_not_counted_again"}

globals().update(reused_modules("08_package", {
    "test_backup": {"test_a_backup_taken_during_a_write_holds_what_was_committed"},
    "test_configuration": set(),
    "test_counts": STEP_06_DATABASE,
    "test_csrf": set(),
    "test_factory": set(),
    "test_dashboard_at_scale": set(),
    "test_gunicorn_settings": set(),
    "test_health": set(),
    "test_logging": set(),
    "test_packaging": set(),
    "test_proxy": set(),
    "test_refusing_to_start": set(),
    "test_request_limits": set(),
    "test_search": {"test_a_database_from_step_06_is_indexed_when_the_app_opens_it"},
    "test_security_headers": set(),
    "test_sqlite_workers": {"test_a_write_waits_for_another_workers_write_instead_of_failing",
                            "test_the_first_request_on_a_fresh_database_works_without_init_db",
                            "test_pages_that_show_no_tasks_open_even_when_the_database_cannot"},
    "test_step06_features": set(),
}))

pytestmark = [pytest.mark.concept("the task manager from step 08, for a signed-in user", "features-from-step-08",
                                  zh="第 08 步的任务管理器，登录后使用"), pytest.mark.later]


@pytest.mark.parametrize("url", ["/tasks", "/api/tasks", "/search?q=x"])
def test_the_first_request_on_a_fresh_database_works_without_init_db(app, tmp_path, url):
    """Pitfall 1: the schema is made on the first connection, in a folder that does not exist yet: there the
    first person signs up (the sign-up's own first request makes the tables) and opens the page.

    陷阱 1：表结构在第一次连接时创建，所在的文件夹原本不存在：第一个人在那里注册（注册的第一个请求就建好了表），然后打开页面。
    """
    app.config["DATABASE"] = str(tmp_path / "instance" / "fresh.db")
    assert Account(app, "first").client.get(url).status_code == 200
    with sqlite3.connect(app.config["DATABASE"]) as db:
        assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


@pytest.fixture
def rows_besides_the_tasks():
    """A page of search reads the signed-in account's row too (the user loader), besides the schema's and the count."""
    return 3


@pytest.fixture
def whose_tasks(account):
    """A page of the dashboard is the signed-in person's tasks: the index must start with the owner."""
    return " WHERE user_id = ?", (account.owner,)
