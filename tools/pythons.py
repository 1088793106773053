"""The Python interpreters on this machine, by version (standard library only, like tutorial.py).

    python3 -m tools.pythons          every CPython found: "3.13.0 /path/to/python" per line, oldest first
    python3 -m tools.pythons --ci     the extra runs CI makes: "role version path" per line (see .ci/run)

CI runs the whole suite with python3, then the fast part of it under the oldest Python the course
supports (tutorial.MINIMUM_PYTHON) and under the newest one installed, unless python3 is that version
already. A missing interpreter is said on stderr; with CI=true it is an error (exit code 1).
The tests of tutorial.py's message for an older Python find those older interpreters here too.
"""
import argparse
import functools
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from tools import in_ci
from tutorial import MINIMUM_PYTHON

# What an interpreter says about itself: its version (final releases only count) and its real path.
PROBE = ("import sys; v = sys.version_info; "
         "print(v.major, v.minor, v.micro, v.releaselevel, sys.executable)")


def candidates():
    """Paths that may be Pythons: pyenv's own versions first (its shims may point elsewhere), then PATH."""
    root = Path(os.environ.get("PYENV_ROOT") or Path.home() / ".pyenv") / "versions"
    found = []
    if root.is_dir():
        for folder in sorted(root.iterdir()):
            if re.fullmatch(r"\d+\.\d+\.\d+", folder.name):
                found += [folder / "bin" / "python3", folder / "python.exe"]
    names = [f"python3.{minor}" for minor in range(6, 30)] + ["python3", "python", "py"]
    found += [Path(path) for path in map(shutil.which, names) if path]
    return [path for path in found if path.is_file()]


@functools.lru_cache(maxsize=None)
def installed_pythons():
    """{(major, minor): (version string, path)} for every working CPython 3 release found, the first found of each."""
    pythons = {}
    for path in candidates():
        try:
            result = subprocess.run([str(path), "-c", PROBE], capture_output=True, text=True, timeout=30)
        except (OSError, subprocess.SubprocessError):
            continue
        words = result.stdout.split(None, 4)
        if result.returncode != 0 or len(words) < 5 or words[3] != "final" or words[0] != "3":
            continue
        key = (int(words[0]), int(words[1]))
        pythons.setdefault(key, (".".join(words[:3]), str(path)))
    return dict(sorted(pythons.items()))  # cached: ask each interpreter once


def find_python(major, minor):
    """The path of a Python major.minor on this machine, or None."""
    found = installed_pythons().get((major, minor))
    return found[1] if found else None


def ci_runs(pythons, current, minimum=MINIMUM_PYTHON):
    """The extra runs for CI: [(role, version, path)], and the lines that say what was decided or is missing.

    current is (major, minor) of the python3 that ran the whole suite; a run under that version is not repeated.
    """
    runs, notes = [], []
    supported = [key for key in pythons if key >= minimum]
    roles = [("oldest-supported", minimum, "the oldest supported")]
    if supported:
        roles.append(("newest-installed", supported[-1], "the newest installed"))
    else:
        notes.append("missing: no Python {}.{} or newer on this machine".format(*minimum))
    seen = set()
    for role, key, words in roles:
        if key in seen:
            continue
        seen.add(key)
        if key not in pythons:
            notes.append(f"missing: Python {key[0]}.{key[1]} ({words}) is not installed")
        elif key == current:
            notes.append(f"Python {pythons[key][0]} ({words}) is python3 itself: the whole suite ran under it")
        else:
            runs.append((role, *pythons[key]))
    return runs, notes


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python3 -m tools.pythons", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ci", action="store_true", help="print the extra runs CI makes")
    args = parser.parse_args(argv)
    pythons = installed_pythons()
    if not args.ci:
        for version, path in pythons.values():
            print(version, path)
        return 0
    runs, notes = ci_runs(pythons, sys.version_info[:2])
    for note in notes:
        print("==", note, file=sys.stderr)
    for run in runs:
        print(*run)
    missing = any(note.startswith("missing") for note in notes)
    return 1 if missing and in_ci() else 0


if __name__ == "__main__":
    sys.exit(main())
