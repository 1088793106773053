"""The database path comes from config DATABASE: the instance folder by default, FLASK_DATABASE to override."""
import os
import subprocess
from pathlib import Path

import pytest

from support import Forms, expects, load_app_module
from support.messages import expect, say
from support.servers import python

pytestmark = pytest.mark.concept("where the database lives", "database-path", zh="数据库放在哪里")

expects.file("instance/tasks.db")
expects.env("FLASK_DATABASE")
expects.command("flask init-db")


def fresh_app(app_dir):
    """Import the step's app.py again, as a new process would, reading the environment as it is now."""
    return load_app_module(app_dir).app


def test_the_database_lives_in_the_instance_folder_by_default(app_dir, monkeypatch):
    """instance/ is Flask's folder for files the code creates; git ignores it, so the data is never committed."""
    monkeypatch.delenv("FLASK_DATABASE", raising=False)
    app = fresh_app(app_dir)
    assert "DATABASE" in app.config, say("把数据库的路径放在 app.config['DATABASE'] 里。",
                                         "Set app.config['DATABASE'] to the database's path.")
    expect(os.path.isabs(app.config["DATABASE"]), "database-relative", path=app.config["DATABASE"])
    path = Path(app.config["DATABASE"]).resolve()
    instance = Path(app.instance_path).resolve()
    assert path == instance / "tasks.db", say("数据库 {path} 应该是实例文件夹 {instance} 里的 tasks.db。",
                                              "The database {path} should be tasks.db in the instance folder {instance}",
                                              path=path, instance=instance)


def test_flask_database_in_the_environment_overrides_the_path(app_dir, monkeypatch, tmp_path):
    """A deployment chooses where the data goes without touching the code: FLASK_DATABASE=/some/path."""
    chosen = tmp_path / "elsewhere" / "tasks.db"
    monkeypatch.setenv("FLASK_DATABASE", str(chosen))
    app = fresh_app(app_dir)
    assert app.config["DATABASE"] == str(chosen)
    app.config.update(TESTING=True)
    response = Forms(app.test_client()).submit("/tasks", "/tasks", {"summary": "Stored elsewhere"})
    assert response.status_code == 302
    assert chosen.is_file()


def test_flask_init_db_command_uses_the_environment(app_dir, clean_env, tmp_path):
    """`flask init-db` typed in the step's folder finds the app, creates the database and prints its path."""
    chosen = tmp_path / "cli" / "tasks.db"
    env = dict(clean_env, FLASK_DATABASE=str(chosen))
    result = subprocess.run([python(), "-m", "flask", "init-db"], cwd=app_dir, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert str(chosen) in result.stdout
    assert chosen.is_file()
