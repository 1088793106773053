"""In production the app refuses to start without a real secret: one clear line, no traceback."""
import re
import subprocess

import pytest

from support import expects
from support.servers import python

pytestmark = pytest.mark.concept("refusing to start without a real secret", "refuse-to-start", zh="没有真正的密钥就拒绝启动")

BAD_SECRETS = {"missing": None, "empty": "", "dev": "dev", "31 characters": "x" * 31}

expects.env("APP_SECRET", "APP_ENV", "FLASK_DEBUG")


@pytest.mark.parametrize("secret", BAD_SECRETS.values(), ids=BAD_SECRETS.keys())
@pytest.mark.parametrize("app_env", [None, "production", "staging"], ids=["no APP_ENV", "production", "staging"])
def test_a_missing_or_weak_secret_stops_the_import_with_one_line(fresh_import, secret, app_env):
    """Anyone who knows the secret can forge a session: "dev" or a short one is as bad as none.
    Only APP_ENV=development relaxes the rule."""
    with pytest.raises(SystemExit) as stopped:
        fresh_import(APP_SECRET=secret, APP_ENV=app_env)
    message = str(stopped.value.code)
    assert "APP_SECRET" in message
    assert "\n" not in message.strip()


def test_the_message_gives_a_command_whose_secret_the_app_accepts(fresh_import):
    """The one line says what is wrong, then a command to copy: run it, and its output is a secret that works."""
    with pytest.raises(SystemExit) as stopped:
        fresh_import(APP_SECRET=None, APP_ENV=None)
    message = str(stopped.value.code)
    assert message.startswith(expects.text("Refusing to start: set APP_SECRET to a random string of 32 characters or more"))
    command = re.search(r', e\.g\. python -c "(.+)"$', message)
    assert command, f"The message should end with a command to copy: {message}"
    code = command.group(1)
    made = subprocess.run([python(), "-c", code], capture_output=True, text=True, timeout=60)
    assert made.returncode == 0, made.stderr
    secret = made.stdout.strip()
    assert fresh_import(APP_SECRET=secret, APP_ENV=None).app.secret_key == secret


def test_a_secret_of_32_characters_is_enough(fresh_import):
    assert fresh_import(APP_SECRET="x" * 32, APP_ENV=None).app.secret_key == "x" * 32


COMMANDS = {
    "python -c 'import app'": ["-c", "import app"],
    "flask run": ["-m", "flask", "run", "--port", "{port}"],
    "python app.py": ["app.py"],
}


@pytest.mark.later  # a new Python process per command: a longer check, in the second tier
@pytest.mark.parametrize("arguments", COMMANDS.values(), ids=COMMANDS.keys())
def test_starting_without_app_secret_prints_one_line_and_fails(app_dir, clean_env, port, arguments):
    """However it is started, the app says what is wrong in one line and exits with an error code."""
    env = dict(clean_env)
    env.pop("APP_SECRET")
    env.pop("APP_ENV", None)
    command = [python()] + [part.format(port=port) for part in arguments]
    try:
        result = subprocess.run(command, cwd=app_dir, env=env, capture_output=True, text=True, timeout=15)
    except subprocess.TimeoutExpired:
        pytest.fail(f"{' '.join(arguments)} started and kept running without APP_SECRET.")
    assert result.returncode != 0, f"{' '.join(arguments)} started without APP_SECRET:\n{result.stdout}"
    assert "Traceback" not in result.stderr, result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, f"Expected one line on stderr, got:\n{result.stderr}"
    assert "APP_SECRET" in lines[0]


@pytest.mark.parametrize("environment", [None, "production"], ids=["no APP_ENV", "production"])
def test_flask_debug_in_production_stops_the_import_with_one_line(fresh_import, environment):
    """FLASK_DEBUG=1 shows tracebacks (and with `flask run`, the debugger) to whoever meets an error."""
    with pytest.raises(SystemExit) as stopped:
        fresh_import(FLASK_DEBUG="1", APP_ENV=environment)
    message = str(stopped.value.code)
    assert message == expects.text("Refusing to start: FLASK_DEBUG is on in production; unset it, or set APP_ENV=development")


def test_flask_debug_is_allowed_in_development(fresh_import):
    assert fresh_import(FLASK_DEBUG="1", APP_ENV="development").app.debug


def bad_databases(tmp_path):
    """APP_DATABASE values the app cannot use: a folder, a path under a file, a file that is not SQLite."""
    folder = tmp_path / "a-folder"
    folder.mkdir()
    blocker = tmp_path / "a-file"
    blocker.write_text("in the way", encoding="utf-8")
    text = tmp_path / "notes.db"
    text.write_text("These are my notes, not a database. " * 200, encoding="utf-8")
    return {"a folder": folder, "under a file": blocker / "sub" / "tasks.db", "not a database": text}


@pytest.mark.parametrize("kind", ["a folder", "under a file", "not a database"])
def test_a_database_the_app_cannot_use_stops_the_import_with_one_line(fresh_import, tmp_path, kind):
    path = bad_databases(tmp_path)[kind]
    with pytest.raises(SystemExit) as stopped:
        fresh_import(APP_DATABASE=str(path))
    message = str(stopped.value.code)
    assert message.startswith(expects.text(f"Refusing to start: cannot use the database {path} ("))
    assert message.endswith(expects.text("set APP_DATABASE to a file in a folder the app can write to"))
    assert "\n" not in message
