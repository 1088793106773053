"""Start a real server in a subprocess, wait until it answers, and always stop it."""
import contextlib
import subprocess
import sys
import time
import urllib.error
import urllib.request


def wait_for(url, process, timeout=20.0):
    """Poll url until it answers; fail with the server's output if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            output = process.stdout.read() if process.stdout else ""
            raise AssertionError(f"The server exited with code {process.returncode} before answering:\n{output}")
        try:
            with urllib.request.urlopen(url, timeout=2) as response:
                return response.status
        except urllib.error.HTTPError as error:
            return error.code
        except (urllib.error.URLError, ConnectionError, TimeoutError):
            time.sleep(0.1)
    raise AssertionError(f"Nothing answered at {url} within {timeout:.0f} s.")


@contextlib.contextmanager
def running(command, url, cwd, env, timeout=20.0):
    """Run command (a list) in cwd until the with-block ends; yields the process once url answers."""
    process = subprocess.Popen(
        command, cwd=cwd, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
    )
    try:
        wait_for(url, process, timeout)
        yield process
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()


def python():
    """The interpreter running the tests, which has Flask installed."""
    return sys.executable
