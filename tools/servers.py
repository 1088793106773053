"""Start a real server in a subprocess, wait until it answers, and always stop it."""
import contextlib
import os
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request


def read_output(process):
    """Everything the process has printed so far (its output goes to a temporary file, never a full pipe)."""
    process.log.flush()
    process.log.seek(0)
    return process.log.read().decode("utf-8", "replace")


def wait_for(url, process, timeout=20.0):
    """Poll url until it answers; fail with the server's output if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise AssertionError(
                f"The server exited with code {process.returncode} before answering:\n{read_output(process)}"
            )
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"Nothing answered at {url} within {timeout:.0f} s:\n{read_output(process)}")


def start(command, url, cwd, env, timeout=20.0):
    """Start command (a list) in cwd and return the process once url answers.

    Its output goes to a temporary file (a full pipe would block a chatty server); read it with
    read_output(process). It runs in its own process group, so stop() also ends what it started.
    """
    log = tempfile.TemporaryFile()
    group = {"creationflags": subprocess.CREATE_NEW_PROCESS_GROUP} if os.name == "nt" else {"start_new_session": True}
    process = subprocess.Popen(command, cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, **group)
    process.log = log
    try:
        wait_for(url, process, timeout)
    except BaseException:
        stop(process)
        raise
    return process


@contextlib.contextmanager
def running(command, url, cwd, env, timeout=20.0):
    """Run command in cwd for the with-block; yields the process once url answers.

    After the block, process.output holds everything the server printed.
    """
    process = start(command, url, cwd, env, timeout)
    try:
        yield process
    finally:
        stop(process)


def stop(process):
    """Stop a process started by start(), and its children: politely, then by force; keep its output."""
    if process.poll() is None:
        if os.name == "nt":
            process.send_signal(signal.CTRL_BREAK_EVENT)
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        if os.name == "nt":
            process.kill()
        else:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        process.wait()
    if not process.log.closed:
        process.output = read_output(process)
        process.log.close()


def python():
    """The interpreter running the tests, which has Flask installed."""
    return sys.executable
