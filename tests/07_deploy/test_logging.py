"""The app logs to standard output, where gunicorn, systemd's journal and Docker collect it."""
import re
import subprocess

import pytest

from support.servers import python
from tutorial import import_line

pytestmark = pytest.mark.concept("logging to standard output", "logging", zh="日志输出到标准输出")

# Ask the app's health check about a database it cannot open, in a process of its own.
BROKEN_HEALTH_CHECK = """
app.config["DATABASE"] = "."
print("status", app.test_client().get("/healthz").status_code, flush=True)
"""


def test_the_apps_log_goes_to_stdout(app_dir, clean_env):
    result = subprocess.run([python(), "-c", import_line(app_dir) + BROKEN_HEALTH_CHECK], cwd=app_dir, env=clean_env,
                            capture_output=True, text=True, timeout=60)
    assert "status 503" in result.stdout, result.stdout + result.stderr
    assert "Health check failed" in result.stdout
    assert "Health check failed" not in result.stderr


def test_info_messages_are_logged_with_time_level_and_logger(app_dir, clean_env):
    """INFO and above are kept (Python's default would drop everything below WARNING), one line each
    that starts with when it happened and how grave it is, so `grep ERROR` or a log viewer can sort them."""
    code = import_line(app_dir) + "; app.logger.info('An info line'); app.logger.error('An error line')"
    result = subprocess.run([python(), "-c", code], cwd=app_dir, env=clean_env,
                            capture_output=True, text=True, timeout=60)
    lines = result.stdout.splitlines()
    for level, message in (("INFO", "An info line"), ("ERROR", "An error line")):
        pattern = re.compile(rf"\d{{4}}-\d\d-\d\d \d\d:\d\d:\d\d,\d{{3}} {level} \S+: {message}")
        assert any(pattern.fullmatch(line) for line in lines), f"No {level} line in:\n{result.stdout}{result.stderr}"
