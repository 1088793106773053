"""Measure how well each step's suite catches bugs, with the mutation tester mutmut.

mutmut changes app.py one small edit at a time (a mutant: `<` for `<=`, another string,
a deleted line) and runs the step's suite against it; a mutant that makes a test fail
is "killed". It edits files in place, so this script works on a copy of the repository
in a temporary folder and never touches yours.

    python -m pip install -r requirements-dev.txt      (inside .venv)
    python tools/mutation.py                           (every step)
    python tools/mutation.py 05 06                     (some steps)
    python tools/mutation.py 07 -m "not servers"       (leave out the tests that start real servers)

-m passes a marker expression to pytest, as `pytest -m` does. Step 07's servers tests (real
gunicorn and nginx, tests/07_deploy/test_servers.py) take over half of each run of its suite,
and mutmut runs the suite once per mutant: `-m "not servers"` makes a run of 07 about twice as
fast. The score then counts only what the other tests catch, so it can only be lower.
"""
import argparse
import shlex
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tutorial import STEPS, resolve_step  # noqa: E402

# The outcomes mutmut records for a mutant; "killed" ones are bugs the suite caught.
OUTCOMES = ("killed", "timeout", "suspicious", "survived", "skipped")


def measure(step, workdir, marker=None):
    """Run mutmut over one step's app.py inside workdir; return the mutant ids of each outcome.

    marker: a pytest marker expression ("not servers") that selects the tests to run, or None for all.
    """
    runner = f"{sys.executable} -m pytest -x -q -p no:warnings tests/{step}"
    if marker:
        runner += f" -m {shlex.quote(marker)}"
    command = [
        sys.executable, "-m", "mutmut", "run",
        "--paths-to-mutate", f"steps/{step}/app.py",
        "--tests-dir", f"tests/{step}",
        "--runner", runner,
        "--no-progress",
    ]
    subprocess.run(command, cwd=workdir, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    outcomes = {}
    for outcome in OUTCOMES:
        listing = subprocess.run(
            [sys.executable, "-m", "mutmut", "result-ids", outcome], cwd=workdir, capture_output=True, text=True
        )
        outcomes[outcome] = listing.stdout.split()
    survivors = [
        subprocess.run([sys.executable, "-m", "mutmut", "show", mutant], cwd=workdir,
                       capture_output=True, text=True).stdout
        for mutant in outcomes["survived"]
    ]
    return outcomes, survivors


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("steps", nargs="*", help="step numbers or names (default: every step)")
    parser.add_argument("--show-survivors", action="store_true", help="print the mutants no test caught")
    parser.add_argument("-m", "--marker", metavar="EXPRESSION",
                        help='run only the tests this pytest marker expression selects, e.g. "not servers"')
    args = parser.parse_args(argv)
    steps = [resolve_step(name) for name in args.steps] or STEPS
    failed = False
    for step in steps:
        with tempfile.TemporaryDirectory(prefix=f"mutation-{step}-") as tmp:
            workdir = Path(tmp)
            for part in ("steps", "tests", "tools", "pytest.ini", "tutorial.py"):
                source = ROOT / part
                if source.is_dir():
                    shutil.copytree(source, workdir / part, ignore=shutil.ignore_patterns("__pycache__", "instance"))
                else:
                    shutil.copy2(source, workdir / part)
            outcomes, survivors = measure(step, workdir, args.marker)
        total = sum(len(ids) for ids in outcomes.values())
        # A mutant that makes the suite hang (an endless loop) counts as caught, as mutmut's docs say.
        caught = len(outcomes["killed"]) + len(outcomes["timeout"])
        score = 100 * caught / total if total else 0
        print(f"{step}: {caught}/{total} mutants killed ({score:.1f}%), "
              f"{len(outcomes['survived'])} survived", flush=True)
        if args.show_survivors:
            print("\n".join(survivors))
        failed = failed or score < 90
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
