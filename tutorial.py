"""The course's one entry point: set up, test, run and read the course.

    python tutorial.py test                       every step's suite (sets up .venv first)
    python tutorial.py test 03                    one step's suite (3, 03 or 03_templates)
    python tutorial.py test 03 --app-dir PATH     grade your own folder against step 03
    python tutorial.py test 03 -- -x -k signup    anything after -- goes to pytest
    python tutorial.py check 03 --app-dir PATH    the coach: your folder against step 03, the cause first
                                                  (--lang zh|en, --verbose, --watch to check on every save)
    python tutorial.py progress --app-dir WORKDIR every step's state in your folder of step folders
    python tutorial.py run 06 [--port N]          start a step on http://127.0.0.1:N/ (--debug to reload)
    python tutorial.py serve                      read the course in your browser
    python tutorial.py diff 04 05                 what changed from one step to the next
    python tutorial.py diff 05 --app-dir PATH     your folder against step 05
    python tutorial.py demo 05 [--port N]         a throwaway copy of a step with sample tasks, started
    python tutorial.py lab                        JupyterLab on the demo notebooks, with the course's Python
    python tutorial.py screenshots                new screenshots of every step for the site (needs Chromium)
    python tutorial.py bench                      the task manager under load, and the course's own speed

Standard library only, so it runs on Windows, macOS and Linux with nothing but Python 3.10+.
"""
import argparse
import contextlib
import difflib
import hashlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
REQUIREMENTS = ROOT / "requirements.txt"
STAMP = VENV / "requirements.sha256"
STEPS = sorted(path.name for path in (ROOT / "steps").iterdir() if (path / "app.py").is_file())


def student_language(choice=None):
    """"zh" or "en" for what a student reads: --lang when given, else the locale; Chinese by default, like the site.

    The locale is the first of LC_ALL, LC_MESSAGES, LANG and LANGUAGE that is set (on Windows, the user's
    locale from the locale module); any English one ("en_US.UTF-8", "English_United States") gives "en".
    """
    if choice in ("zh", "en"):
        return choice
    import locale

    names = [os.environ.get(name, "") for name in ("LC_ALL", "LC_MESSAGES", "LANG", "LANGUAGE")]
    if os.name == "nt":
        with contextlib.suppress(ValueError, TypeError):
            names.append(locale.getlocale()[0] or "")
    for name in names:
        if name and name not in ("C", "POSIX") and not name.startswith("C."):
            return "en" if name.lower().startswith(("en", "english")) else "zh"
    return "zh"


def resolve_step(name):
    """Turn "3", "03" or "03_templates" into the folder name "03_templates"."""
    for step in STEPS:
        number = step.split("_")[0]
        if name in (step, number) or (name.isdigit() and int(name) == int(number)):
            return step
    raise SystemExit(f"There is no step {name!r}. The steps are: {', '.join(STEPS)}")


# What a folder holds that is not part of a step: caches, virtual environments, databases, editor files.
IGNORED_NAMES = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ipynb_checkpoints", ".venv", "venv", "env",
                 ".git", "instance", ".DS_Store", ".idea", ".vscode", "node_modules"}
IGNORED_SUFFIXES = {".pyc", ".db", ".sqlite", ".sqlite3", ".db-wal", ".db-shm", ".db-journal"}


def folder_files(folder):
    """The files of a step's folder as sorted relative POSIX paths, without caches, venvs and databases."""
    folder = Path(folder)
    files = []
    for path in folder.rglob("*"):
        relative = path.relative_to(folder)
        if path.is_file() and not IGNORED_NAMES & set(relative.parts) and path.suffix not in IGNORED_SUFFIXES:
            files.append(relative.as_posix())
    return sorted(files)


def folder_diff(old, new, old_label, new_label):
    """Yield (path, status, unified diff) for each file that differs between two folders.

    status is "added", "removed" or "changed"; the diff is difflib's, with three lines of context.
    """
    old, new = Path(old), Path(new)
    old_files, new_files = set(folder_files(old)), set(folder_files(new))
    for path in sorted(old_files | new_files):
        a, b = old / path, new / path
        a_bytes = a.read_bytes() if path in old_files else b""
        b_bytes = b.read_bytes() if path in new_files else b""
        if path in old_files and path in new_files and a_bytes == b_bytes:
            continue
        status = "added" if path not in old_files else "removed" if path not in new_files else "changed"
        try:
            a_lines = a_bytes.decode("utf-8").splitlines(keepends=True)
            b_lines = b_bytes.decode("utf-8").splitlines(keepends=True)
        except UnicodeDecodeError:
            yield path, status, f"Binary files {old_label}/{path} and {new_label}/{path} differ\n"
            continue
        lines = difflib.unified_diff(a_lines, b_lines, f"{old_label}/{path}", f"{new_label}/{path}")
        yield path, status, "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                                    for line in lines)


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


def command_check(args):
    """Grade a folder against one step with the coach (tools/check.py): a short report, the cause first."""
    python = ensure_venv()
    command = [str(python), "-m", "tools.check", resolve_step(args.step), "--lang", student_language(args.lang)]
    if args.app_dir:
        command += ["--app-dir", str(Path(args.app_dir).resolve())]
    command += [flag for flag in ("--verbose", "--watch") if getattr(args, flag[2:])]
    try:
        return subprocess.run(command, cwd=ROOT, env=child_env()).returncode
    except KeyboardInterrupt:  # --watch runs until Ctrl+C
        return 0


def command_progress(args):
    """Print every step's state in a folder that holds a student's step folders."""
    python = ensure_venv()
    command = [str(python), "-m", "tools.check", "progress", "--app-dir", str(Path(args.app_dir).resolve()),
               "--lang", student_language(args.lang)]
    try:
        return subprocess.run(command, cwd=ROOT, env=child_env()).returncode
    except KeyboardInterrupt:
        return 130


def command_run(args):
    """Start one step's development server on 127.0.0.1 until Ctrl+C."""
    python = ensure_venv()
    step = resolve_step(args.step)
    print(f"Starting {step} on http://127.0.0.1:{args.port}/  (Ctrl+C stops it)", flush=True)
    command = [str(python), "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(args.port)]
    if args.debug:
        command.append("--debug")
    try:
        # Steps from 05 on keep their database in their own instance/ folder, which git ignores.
        return subprocess.run(command, cwd=ROOT / "steps" / step, env=child_env(APP_ENV="development")).returncode
    except KeyboardInterrupt:
        return 0


def wants_colour(choice, stream):
    """Colour for "always"; for "auto", only on a terminal that shows it (NO_COLOR turns it off)."""
    if choice != "auto":
        return choice == "always"
    if os.environ.get("NO_COLOR") or not stream.isatty() or os.environ.get("TERM") == "dumb":
        return False
    if os.name == "nt":
        # Windows 10+ consoles show colours once "virtual terminal processing" is switched on.
        try:
            import ctypes

            kernel32 = ctypes.windll.kernel32
            handle = kernel32.GetStdHandle(-11)
            mode = ctypes.c_uint32()
            return bool(kernel32.GetConsoleMode(handle, ctypes.byref(mode))
                        and kernel32.SetConsoleMode(handle, mode.value | 0x0004))
        except (AttributeError, OSError):
            return False
    return True


def coloured(diff, colour):
    """A unified diff with added lines green, removed lines red and hunk headers cyan."""
    if not colour:
        return diff
    lines = []
    for line in diff.splitlines(keepends=True):
        code = ("1" if line.startswith(("---", "+++")) else "32" if line.startswith("+")
                else "31" if line.startswith("-") else "36" if line.startswith("@@") else None)
        lines.append(f"\033[{code}m{line.rstrip(chr(10))}\033[0m\n" if code else line)
    return "".join(lines)


def command_diff(args):
    """Print what differs between two steps, or between a step and a student's folder."""
    old_step = resolve_step(args.step)
    if args.app_dir:
        if args.other:
            raise SystemExit("Give either a second step or --app-dir, not both.")
        new, new_label = Path(args.app_dir).resolve(), "yours"
        if not new.is_dir():
            raise SystemExit(f"--app-dir {args.app_dir}: there is no such folder.")
    elif args.other:
        new_step = resolve_step(args.other)
        new, new_label = ROOT / "steps" / new_step, new_step
    else:
        raise SystemExit("Name two steps (diff 04 05) or a step and your folder (diff 05 --app-dir PATH).")
    colour = wants_colour(args.color, sys.stdout)
    found = False
    for path, status, diff in folder_diff(ROOT / "steps" / old_step, new, old_step, new_label):
        found = True
        print(f"{status}: {path}")
        sys.stdout.write(coloured(diff, colour))
    if not found:
        print("No differences.")
    return 1 if found else 0


# The tasks a demo starts with, so there is something to toggle, delete and purge.
SAMPLE_TASKS = [
    ("Read what changed since the step before", 1),
    ("Add a task of your own", 0),
    ("Mark a task done, then remove the done tasks", 0),
]


def command_demo(args):
    """Start a throwaway copy of a step, with sample tasks, until Ctrl+C; then delete the copy."""
    python = ensure_venv()
    step = resolve_step(args.step)
    # Being told to stop (SIGTERM) cleans up like Ctrl+C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix=f"flask-course-{step}-", ignore_cleanup_errors=True) as folder:
        copy = Path(folder) / step
        shutil.copytree(ROOT / "steps" / step, copy, ignore=shutil.ignore_patterns(*IGNORED_NAMES, "*.pyc", "*.db"))
        database = Path(folder) / "tasks.db"
        if (copy / "schema.sql").is_file():
            with contextlib.closing(sqlite3.connect(database)) as db:
                db.executescript((copy / "schema.sql").read_text(encoding="utf-8"))
                db.executemany("INSERT INTO tasks (summary, done) VALUES (?, ?)", SAMPLE_TASKS)
                db.commit()
        url = f"http://127.0.0.1:{args.port}/"
        print(f"Demo of {step}: a throwaway copy in {copy}\n    {url}\nCtrl+C stops it and deletes the copy.",
              flush=True)
        env = child_env(FLASK_DATABASE=str(database), APP_DATABASE=str(database), APP_ENV="development")
        command = [str(python), "-m", "flask", "run", "--host", "127.0.0.1", "--port", str(args.port)]
        try:
            return subprocess.run(command, cwd=copy, env=env).returncode
        except KeyboardInterrupt:
            return 0


def command_lab(args):
    """Open JupyterLab on the demo notebooks; its Python kernel is the course's .venv."""
    python = ensure_venv()
    command = [str(python), "-m", "jupyter", "lab", "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={args.port}",
               f"--ServerApp.root_dir={ROOT}", "docs/notebooks"]
    if args.no_browser:
        command.append("--no-browser")
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        command.append("--allow-root")  # containers and CI run as root; Jupyter refuses that unless told
    try:
        return subprocess.run(command, cwd=ROOT, env=child_env()).returncode
    except KeyboardInterrupt:
        return 0


def command_tool(args):
    """Run one of the course's tools (tools/NAME.py) inside .venv, passing its options on."""
    python = ensure_venv()
    command = [str(python), "-m", f"tools.{args.tool}", *args.tool_args]
    return subprocess.run(command, cwd=ROOT, env=child_env()).returncode


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

    check = commands.add_parser("check", help="check your own folder against a step: a short report, the cause first")
    check.add_argument("step", help="a step: 3, 03 or 03_templates")
    check.add_argument("--app-dir", metavar="PATH", help="your folder (default: the course's own step)")
    check.add_argument("--lang", choices=["zh", "en"], help="the report's language (default: Chinese, or English "
                                                           "in an English locale)")
    check.add_argument("--verbose", action="store_true", help="print pytest's whole output too")
    check.add_argument("--watch", action="store_true", help="check again on every save, until Ctrl+C")
    check.set_defaults(handler=command_check)

    progress = commands.add_parser("progress", help="every step's state in your folder of step folders")
    progress.add_argument("--app-dir", metavar="WORKDIR", required=True,
                          help="the folder that holds your step folders (03_templates or 03, ...)")
    progress.add_argument("--lang", choices=["zh", "en"], help="the table's language (default: from the locale)")
    progress.set_defaults(handler=command_progress)

    run = commands.add_parser("run", help="start a step's app on http://127.0.0.1:PORT/")
    run.add_argument("step", help="a step: 6, 06 or 06_taskman")
    run.add_argument("--port", type=int, default=5000, help="the port to listen on (default 5000)")
    run.add_argument("--debug", action="store_true",
                     help="debug mode: reload on every save, tracebacks in the browser (never in production)")
    run.set_defaults(handler=command_run)

    diff = commands.add_parser("diff", help="print what differs between two steps, or a step and your folder")
    diff.add_argument("step", help="a step: 4, 04 or 04_forms")
    diff.add_argument("other", nargs="?", help="the step to compare it with")
    diff.add_argument("--app-dir", metavar="PATH", help="compare the step with your own folder instead")
    diff.add_argument("--color", choices=["auto", "always", "never"], default="auto",
                      help="colour the diff (default: when the terminal shows colours)")
    diff.set_defaults(handler=command_diff)

    demo = commands.add_parser("demo", help="start a throwaway copy of a step with sample tasks")
    demo.add_argument("step", help="a step: 5, 05 or 05_sqlite")
    demo.add_argument("--port", type=int, default=5000, help="the port to listen on (default 5000)")
    demo.set_defaults(handler=command_demo)

    lab = commands.add_parser("lab", help="open JupyterLab on the demo notebooks, with the course's Python")
    lab.add_argument("--port", type=int, default=8888, help="the port to listen on (default 8888)")
    lab.add_argument("--no-browser", action="store_true", help="do not open a browser window")
    lab.set_defaults(handler=command_lab)

    screenshots = commands.add_parser("screenshots", help="regenerate the site's screenshots of every step")
    screenshots.set_defaults(handler=command_tool, tool="screenshots")

    bench = commands.add_parser("bench", help="measure steps 06 and 07 under load, and the course's own speed")
    bench.add_argument("--only", choices=["load", "course"], help="run one half of the benchmark")
    bench.add_argument("--seconds", help="how long each load runs (default 5)")
    bench.add_argument("--output", metavar="PATH", help="write the results there (default bench/results.json)")
    bench.set_defaults(handler=command_tool, tool="bench")

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
    if args.handler is command_tool:
        args.tool_args = [f"--{name}={getattr(args, name)}" for name in ("only", "seconds")
                          if getattr(args, name, None)]
        if getattr(args, "output", None):  # the tool runs in the repository's folder: pass an absolute path
            args.tool_args.append(f"--output={Path(args.output).resolve()}")
    return args.handler(args)


if __name__ == "__main__":
    sys.exit(main())
