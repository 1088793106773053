"""Configuration comes from the environment: APP_SECRET, APP_DATABASE and APP_ENV, never from the code."""
import shutil
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from support import expects

pytestmark = pytest.mark.concept("configuration from the environment", "configuration", zh="从环境变量读取配置")

SECRET = "s" * 40
OTHER_SECRET = "o" * 40

expects.env("APP_SECRET", "APP_DATABASE", "APP_ENV")
expects.file("instance/tasks.db")


def test_the_secret_key_is_app_secret(fresh_import):
    """Pitfall 11: no secret is written in the code; each deployment brings its own in APP_SECRET.

    陷阱 11：代码里不写任何密钥；每次部署都通过 `APP_SECRET` 带来自己的密钥。
    """
    assert fresh_import(APP_SECRET=SECRET).app.secret_key == SECRET
    assert fresh_import(APP_SECRET=OTHER_SECRET).app.secret_key == OTHER_SECRET


def test_the_database_path_is_app_database(fresh_import, tmp_path):
    chosen = str(tmp_path / "elsewhere" / "tasks.db")
    assert fresh_import(APP_DATABASE=chosen).app.config["DATABASE"] == chosen


def test_without_app_database_the_database_is_tasks_db_in_the_instance_folder(fresh_import, app_dir, tmp_path):
    """instance/ is Flask's folder for files the code creates; git ignores it.
    (A copy of the step, so that the database made when the app is loaded lands in the test's folder.)"""
    copy = shutil.copytree(app_dir, tmp_path / "copy", ignore=shutil.ignore_patterns("instance", "__pycache__"))
    app = fresh_import(folder=copy, APP_DATABASE=None).app
    assert Path(app.config["DATABASE"]) == Path(app.instance_path) / "tasks.db"
    assert Path(app.instance_path) == copy / "instance"


def test_app_database_is_where_the_tasks_are_stored(fresh_tasks, tmp_path):
    chosen = tmp_path / "data" / "tasks.db"
    tasks = fresh_tasks(APP_DATABASE=str(chosen))
    assert tasks.add("Stored here").status_code == 302
    with closing(sqlite3.connect(chosen)) as db:
        assert db.execute("SELECT summary FROM tasks").fetchall() == [("Stored here",)]


def test_development_allows_a_missing_secret_and_uses_dev(fresh_import):
    """`python tutorial.py run 07` sets APP_ENV=development, so a laptop needs no secret."""
    assert fresh_import(APP_ENV="development", APP_SECRET=None).app.secret_key == "dev"


def test_development_still_uses_app_secret_when_it_is_set(fresh_import):
    assert fresh_import(APP_ENV="development", APP_SECRET=SECRET).app.secret_key == SECRET


def test_production_is_the_default(fresh_import):
    """Forgetting APP_ENV on a server must not relax anything: no APP_ENV means production."""
    with pytest.raises(SystemExit):
        fresh_import(APP_ENV=None, APP_SECRET=None)


def test_a_session_signed_by_one_process_is_accepted_by_another(fresh_tasks):
    """Pitfall 2: every gunicorn worker and every restart reads the same APP_SECRET, so a message
    flashed by one process is shown by the next. (A secret made at start-up would differ in each.)

    陷阱 2：每个 gunicorn worker、每次重启读到的都是同一个 `APP_SECRET`，所以一个进程闪现的消息能由下一个进程显示出来。（启动时生成的密钥在每个进程里都不一样。）
    """
    first = fresh_tasks()
    assert first.add("Flashed").status_code == 302
    cookie = first.client.get_cookie("session").value

    second = fresh_tasks()
    second.client.set_cookie("session", cookie)
    assert second.flashes() == [expects.text("Task added.")]
