"""Red to green: each step's suite fails on the step before it, so it really tests the new concept."""
import re
import subprocess
import sys

import pytest

from support import ROOT, STEPS


@pytest.mark.parametrize("before, step", list(zip(STEPS, STEPS[1:])), ids=STEPS[1:])
def test_suite_fails_on_the_previous_step(before, step):
    """Running tests/<step> against steps/<before> must end with failed tests (exit code 1).

    -x stops at the first failure: one is all this test needs, and the rest of the suite would only cost time. The
    container builds (marker `containers`) are left out: they need a folder CI prepares for the whole suite, and
    building the step before's image would say nothing the step's own tests do not."""
    command = [
        # --app-dir=PATH in one word: pytest would otherwise read PATH as a folder to collect too, and load the conftest.py
        # of the step's own tests (steps/08_package/tests/ on).
        sys.executable, "-m", "pytest", f"tests/{step}", f"--app-dir={ROOT / 'steps' / before}",
        "-q", "-x", "-m", "not containers", "-p", "no:warnings", "--no-header",
        "-o", "addopts=--import-mode=importlib -p no:cacheprovider",
    ]
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True, timeout=600)
    summary = result.stdout.strip().splitlines()[-1] if result.stdout.strip() else result.stderr
    assert result.returncode == 1, f"tests/{step} against steps/{before} exited {result.returncode}: {summary}"
    failed = re.search(r"(\d+) failed", summary)
    assert failed and int(failed.group(1)) > 0, summary
