"""Building the course site for the tests: `mkdocs build --strict` into a temporary folder."""
import os
import subprocess
import sys


def build(project, destination, **environment):
    """Run `mkdocs build --strict` for the project folder into destination (with these environment variables,
    COURSE_SITE_URL say); fail with its output."""
    result = subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "--strict", "--site-dir", str(destination)],
        cwd=project, capture_output=True, text=True, timeout=300,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "PYTHONDONTWRITEBYTECODE": "1", **environment},
    )
    assert result.returncode == 0, f"mkdocs build --strict failed:\n{result.stdout}\n{result.stderr}"
    return destination
