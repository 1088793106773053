"""`flask backup PATH` copies the database with SQLite's online backup API, even while the app writes."""
import os
import sqlite3
import stat
import subprocess
from contextlib import closing

import pytest

from support import expects
from support.servers import python

pytestmark = pytest.mark.concept("backups and restore", "backup", zh="备份与恢复")

expects.command("flask backup PATH")


def summaries_in(path):
    """The summaries stored in a database file, oldest id first."""
    with closing(sqlite3.connect(path)) as db:
        return [row[0] for row in db.execute("SELECT summary FROM tasks ORDER BY id")]


def integrity_of(path):
    """SQLite's own check of a database file: "ok" when it is sound."""
    with closing(sqlite3.connect(path)) as db:
        return db.execute("PRAGMA integrity_check").fetchone()[0]


def test_backup_copies_every_task_to_a_valid_database_and_says_where(app, runner, tasks, tmp_path):
    for summary in ("Back me up", "Me too", "café ✓ 任务"):
        assert tasks.add(summary).status_code == 302
    target = tmp_path / "backups" / "tasks-backup.db"
    target.parent.mkdir()
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 0, result.output
    database = app.config["DATABASE"]
    assert result.output == expects.text(f"Backed up {database} to {target}.") + "\n"
    assert integrity_of(target) == "ok"
    assert summaries_in(target) == ["Back me up", "Me too", "café ✓ 任务"]


def test_the_backup_is_one_self_contained_file(runner, tasks, tmp_path):
    """Nothing is left in a -wal file beside it: copying the one file is the whole backup."""
    assert tasks.add("All in one file").status_code == 302
    target = tmp_path / "backup.db"
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert not (tmp_path / "backup.db-wal").exists()
    copy = tmp_path / "copied.db"
    copy.write_bytes(target.read_bytes())
    assert summaries_in(copy) == ["All in one file"]


def test_a_second_backup_replaces_the_first(runner, tasks, tmp_path):
    target = tmp_path / "backup.db"
    assert tasks.add("First").status_code == 302
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert tasks.add("Second").status_code == 302
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert summaries_in(target) == ["First", "Second"]


def test_a_backup_taken_during_a_write_holds_what_was_committed(app, runner, tasks, tmp_path):
    """The online backup copies a consistent snapshot: a write still in progress is not half in it,
    and the backup does not wait for the writer to finish."""
    assert tasks.add("Committed").status_code == 302
    with closing(sqlite3.connect(app.config["DATABASE"], isolation_level=None)) as writer:
        writer.execute("BEGIN IMMEDIATE")
        writer.execute("INSERT INTO tasks (summary) VALUES ('Not committed yet')")
        target = tmp_path / "backup.db"
        result = runner.invoke(args=["backup", str(target)])
        writer.execute("COMMIT")
    assert result.exit_code == 0, result.output
    assert integrity_of(target) == "ok"
    assert summaries_in(target) == ["Committed"]
    assert tasks.summaries() == ["Committed", "Not committed yet"]


def test_a_folder_is_not_a_backup_file(runner, tmp_path):
    result = runner.invoke(args=["backup", str(tmp_path)])
    assert result.exit_code != 0
    assert "directory" in result.output


def test_a_backup_into_a_folder_that_does_not_exist_says_so_in_one_line(runner, tmp_path):
    missing = tmp_path / "no-such-folder"
    result = runner.invoke(args=["backup", str(missing / "backup.db")])
    assert result.exit_code == 1
    assert result.output == expects.text(f"Error: There is no folder {missing}: create it first.") + "\n"
    assert not missing.exists()


def test_a_backup_over_a_file_that_is_not_a_database_says_so_in_one_line(runner, tmp_path):
    target = tmp_path / "notes.txt"
    target.write_text("not a database, " * 100, encoding="utf-8")
    result = runner.invoke(args=["backup", str(target)])
    assert result.exit_code == 1
    assert result.output.startswith(expects.text(f"Error: Cannot back up to {target}: "))
    assert len(result.output.splitlines()) == 1, result.output


@pytest.mark.skipif(os.name == "nt", reason="Windows has no Unix file modes")
@pytest.mark.parametrize("existing", [False, True], ids=["new file", "file already there"])
def test_only_the_owner_may_read_the_backup(runner, tasks, tmp_path, existing):
    """The backup holds every task: mode 0600, whoever else shares the machine."""
    assert tasks.add("Private").status_code == 302
    target = tmp_path / "backup.db"
    if existing:
        target.touch(mode=0o644)
        target.chmod(0o644)
    assert runner.invoke(args=["backup", str(target)]).exit_code == 0
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    assert summaries_in(target) == ["Private"]


def test_restore_stop_copy_the_backup_over_app_database_start(runner, tasks, tmp_path, fresh_tasks):
    """The restore of the step's README: stop the app, copy the backup over APP_DATABASE, start it."""
    for summary in ("Keep me", "And me"):
        assert tasks.add(summary).status_code == 302
    backup = tmp_path / "backup.db"
    assert runner.invoke(args=["backup", str(backup)]).exit_code == 0
    restored = tmp_path / "restored" / "tasks.db"
    restored.parent.mkdir()
    restored.write_bytes(backup.read_bytes())
    started = fresh_tasks(APP_DATABASE=str(restored))
    page = started.page("/tasks")
    assert "Keep me" in page and "And me" in page
    assert started.counts() == {"total": 2, "pending": 2, "done": 0}


def test_flask_backup_works_from_the_command_line(app_dir, clean_env, tasks, app, tmp_path):
    """`flask backup PATH`, typed in the step's folder with APP_DATABASE set, as on a server."""
    assert tasks.add("From the shell").status_code == 302
    target = tmp_path / "shell-backup.db"
    env = dict(clean_env, APP_DATABASE=app.config["DATABASE"])
    result = subprocess.run([python(), "-m", "flask", "backup", str(target)], cwd=app_dir, env=env,
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert summaries_in(target) == ["From the shell"]
