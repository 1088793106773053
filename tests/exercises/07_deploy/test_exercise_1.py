"""Exercise 1 of step 07: `flask backup PATH --keep N`, and systemd units that run it every night."""
import configparser

import pytest

from support.exercises import exercise_concept
from support.messages import say

pytestmark = exercise_concept(__file__)

OLD = [f"tasks-2026-01-{day:02}.db" for day in range(1, 10)]


def backup(runner, *args):
    result = runner.invoke(args=["backup", *args])
    assert result.exit_code == 0, say("flask backup {args} 失败了：{output}", "flask backup {args} failed: {output}",
                                      args=" ".join(args), output=(result.output.strip().splitlines() or [""])[-1])
    return result


def test_keep_leaves_the_newest_backups_and_nothing_else_is_touched(runner, tasks, tmp_path):
    folder = tmp_path / "backups"
    folder.mkdir()
    for name in OLD + ["notes.db", "tasks.db"]:
        (folder / name).write_bytes(b"old")
    backup(runner, str(folder / "tasks-2026-01-10.db"), "--keep", "7")
    left = sorted(path.name for path in folder.iterdir())
    expected = sorted([f"tasks-2026-01-{day:02}.db" for day in range(4, 11)] + ["notes.db", "tasks.db"])
    assert left == expected, say("--keep 7 之后文件夹里是 {left}，应该是 {expected}。",
                                 "After --keep 7 the folder holds {left}, expected {expected}.",
                                 left=left, expected=expected)
    assert (folder / "tasks-2026-01-10.db").read_bytes() != b"old"


def test_without_keep_no_backup_is_removed(runner, tasks, tmp_path):
    for name in OLD:
        (tmp_path / name).write_bytes(b"old")
    backup(runner, str(tmp_path / "tasks-2026-01-10.db"))
    assert len(list(tmp_path.glob("tasks-*.db"))) == 10


@pytest.mark.parametrize("value", ["0", "-1", "seven"])
def test_keep_must_be_a_positive_number(runner, tmp_path, value):
    result = runner.invoke(args=["backup", str(tmp_path / "tasks-2026-01-10.db"), "--keep", value])
    assert result.exit_code == 2 and "--keep" in result.output


def unit(app_dir, name):
    path = app_dir / "deploy" / name
    assert path.is_file(), say("没有 deploy/{name}。", "There is no deploy/{name}.", name=name)
    parser = configparser.ConfigParser(interpolation=None, strict=False)
    parser.optionxform = str
    parser.read_string(path.read_text(encoding="utf-8"))
    return parser


def test_a_timer_starts_a_oneshot_backup_every_night(app_dir):
    service, timer = unit(app_dir, "taskman-backup.service"), unit(app_dir, "taskman-backup.timer")
    assert service.get("Service", "Type", fallback="") == "oneshot", say(
        "taskman-backup.service 应该是 Type=oneshot：它运行一次就结束。",
        "taskman-backup.service should be Type=oneshot: it runs once and ends.")
    command = service.get("Service", "ExecStart", fallback="")
    assert "flask backup" in command and "--keep 7" in command, say(
        "ExecStart 应该运行 flask backup …/tasks-<日期>.db --keep 7。",
        "ExecStart should run flask backup …/tasks-<date>.db --keep 7.")
    assert service.get("Service", "User", fallback="root") != "root", say(
        "备份应该以 taskman 用户运行，而不是 root。", "The backup should run as the taskman user, not root.")
    assert "%" not in command.replace("%%", ""), say(
        "单元文件里的 % 是 systemd 的说明符：日期要写成 date +%%F。",
        "In a unit file % starts a systemd specifier: write the date as date +%%F.")
    assert timer.get("Timer", "OnCalendar", fallback="") in {"daily", "*-*-* 00:00:00"} or timer.get(
        "Timer", "OnCalendar", fallback="").startswith("*-*-* "), say(
        "taskman-backup.timer 应该每天运行一次（OnCalendar=daily）。",
        "taskman-backup.timer should run once a day (OnCalendar=daily).")
    assert timer.get("Install", "WantedBy", fallback="") == "timers.target"
