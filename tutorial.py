"""The course's one entry point: set up, test, run and read the course.

    python tutorial.py test                       every step's suite (sets up .venv first)
    python tutorial.py test 03                    one step's suite (3, 03 or 03_templates)
    python tutorial.py test 03 --app-dir PATH     grade your own folder against step 03
    python tutorial.py test 03 -- -x -k signup    anything after -- goes to pytest
    python tutorial.py run 06 [--port N]          start a step on http://127.0.0.1:N/
    python tutorial.py serve                      read the course in your browser

Standard library only, so it runs on Windows, macOS and Linux with nothing but Python 3.10+.
"""
import argparse
import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / "requirements.sha256"
STEPS = sorted(path.name for path in (ROOT / "steps").iterdir() if (path / "app.py").is_file())


def resolve_step(name):
    """Turn "3", "03" or "03_templates" into the folder name "03_templates"."""
    for step in STEPS:
        number = step.split("_")[0]
        if name in (step, number) or (name.isdigit() and int(name) == int(number)):
            return step
    raise SystemExit(f"There is no step {name!r}. The steps are: {', '.join(STEPS)}")


def venv_python():
    """The interpreter inside .venv (Scripts\\python.exe on Windows, bin/python elsewhere)."""
    if os.name == "nt":
        return VENV / "Scripts" / "python.exe"
    return VENV / "bin" / "python"


def ensure_venv():
    """Create .venv and install the pinned requirements; reinstall only when they change."""
    wanted = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if venv_python().exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return venv_python()
    if not venv_python().exists():
        print(f"Creating the virtual environment in {VENV} ...", flush=True)
        venv.EnvBuilder(with_pip=True).create(VENV)
    print("Installing the course's requirements (once; again only when requirements.txt changes) ...", flush=True)
    pip = [str(venv_python()), "-m", "pip", "install", "--disable-pip-version-check", "--quiet"]
    subprocess.run(pip + ["-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(wanted)
    return venv_python()


def child_env(**extra):
    """The environment for commands run inside .venv: no bytecode files written beside the steps."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **extra)
    env.pop("PYTHONHOME", None)
    return env


def command_test(args):
    """Run the suites with pytest; returns pytest's exit code."""
    python = ensure_venv()
    if args.app_dir and not args.step:
        raise SystemExit("--app-dir needs a step: python tutorial.py test 03 --app-dir PATH")
    targets = [f"tests/{resolve_step(args.step)}"] if args.step else []
    options = []
    if args.app_dir:
        app_dir = Path(args.app_dir).resolve()
        if not app_dir.is_dir():
            raise SystemExit(f"--app-dir {args.app_dir}: there is no such folder.")
        options = ["--app-dir", str(app_dir)]
    command = [str(python), "-m", "pytest", *targets, *options, *args.pytest_args]
    return subprocess.run(command, cwd=ROOT, env=child_env()).returncode


def command_run(args):
    """Start one step's development server on 127.0.0.1 until Ctrl+C."""
    python = ensure_venv()
    step = resolve_step(args.step)
    print(f"Starting {step} on http://127.0.0.1:{args.port}/  (Ctrl+C stops it)", flush=True)
    command = [str(python), "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(args.port)]
    try:
        # Steps from 05 on keep their database in their own instance/ folder, which git ignores.
        return subprocess.run(command, cwd=ROOT / "steps" / step, env=child_env()).returncode
    except KeyboardInterrupt:
        return 0


def command_serve(args):
    """Serve the course site on http://127.0.0.1:PORT/, rebuilt whenever a page or a step changes."""
    python = ensure_venv()
    address = f"127.0.0.1:{args.port}"
    print(f"Serving the course on http://{address}/ (English: http://{address}/en/)  Ctrl+C stops it",
          flush=True)
    command = [str(python), "-m", "mkdocs", "serve", "--dev-addr", address]
    try:
        return subprocess.run(command, cwd=ROOT, env=child_env(NO_MKDOCS_2_WARNING="1")).returncode
    except KeyboardInterrupt:
        return 0


def build_parser():
    """The command line: one sub-command per thing a student or instructor does."""
    parser = argparse.ArgumentParser(
        prog="python tutorial.py", description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    commands = parser.add_subparsers(dest="command", required=True)

    test = commands.add_parser("test", help="run the test suites (all steps, or one)")
    test.add_argument("step", nargs="?", help="a step: 3, 03 or 03_templates (default: every step)")
    test.add_argument("--app-dir", metavar="PATH", help="check your own folder against the step's suite")
    test.set_defaults(handler=command_test)

    run = commands.add_parser("run", help="start a step's app on http://127.0.0.1:PORT/")
    run.add_argument("step", help="a step: 6, 06 or 06_taskman")
    run.add_argument("--port", type=int, default=5000, help="the port to listen on (default 5000)")
    run.set_defaults(handler=command_run)

    serve = commands.add_parser("serve", help="serve the course site, rebuilt when a page or a step changes")
    serve.add_argument("--port", type=int, default=8000, help="the port to listen on (default 8000)")
    serve.set_defaults(handler=command_serve)
    return parser


def main(argv=None):
    argv = sys.argv[1:] if argv is None else list(argv)
    # Whatever follows "--" goes to pytest untouched: python tutorial.py test 03 -- -x -k signup
    extra = argv[argv.index("--") + 1:] if "--" in argv else []
    args = build_parser().parse_args(argv[:len(argv) - len(extra) - (1 if "--" in argv else 0)])
    args.pytest_args = extra
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
