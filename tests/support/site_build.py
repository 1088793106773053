"""Building the course site for the tests: `mkdocs build --strict` into a temporary folder."""
import os
import subprocess
import sys

# A build takes about a minute on a quiet machine, and several when CI runs its other parts beside it (the whole
# suite's two halves and the other Pythons' runs): the tests check what it builds, the bench how fast, so only a
# build that never ends fails here.
BUILD_TIMEOUT = 1500


def build(project, destination, **environment):
    """Run `mkdocs build --strict` for the project folder into destination (with these environment variables,
    COURSE_SITE_URL say); fail with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(destination)],
        cwd=project, capture_output=True, text=True, timeout=BUILD_TIMEOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **environment},
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return destination
