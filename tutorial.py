"""The course's one entry point: set up, test, run and read the course.

    python tutorial.py test                       every step's suite (sets up .venv first)
    python tutorial.py test 03                    one step's suite (3, 03 or 03_templates)
    python tutorial.py test 03 --app-dir PATH     grade your own folder against step 03
    python tutorial.py test 03 -- -x -k signup    anything after -- goes to pytest
    python tutorial.py check 03 --app-dir PATH    the coach: your folder against step 03, the cause first
                                                  (--lang zh|en, --verbose, --watch to check on every save)
    python tutorial.py progress --app-dir WORKDIR every step's state in your folder of step folders
    python tutorial.py setup [GROUP ...]          set up .venv now: the core, and site, browser, lab or all
                                                  (each command installs the groups it needs on first use)
    python tutorial.py run 06 [--port N]          start a step on http://127.0.0.1:N/ (--debug to reload)
    python tutorial.py serve                      read the course in your browser
    python tutorial.py diff 04 05                 what changed from one step to the next
    python tutorial.py diff 05 --app-dir PATH     your folder against step 05
    python tutorial.py demo 05 [--port N]         a throwaway copy of a step with sample tasks, started
    python tutorial.py lab                        JupyterLab on the demo notebooks, with the course's Python
    python tutorial.py screenshots                new screenshots of every step for the site (needs Chromium)
    python tutorial.py bench                      the task manager under load, and the course's own speed

Standard library only, so it runs on Windows, macOS and Linux with nothing but Python 3.11 or newer.
It checks the version first: an older Python is told which one to install, in three lines.
"""
# Everything down to the version check runs on any Python 3.6+, and the whole file must still parse there
# (no match, walrus or other newer syntax), so that an older Python gets that message instead of an error.
import contextlib
import os
import sys

MINIMUM_PYTHON = (3, 11)


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


def requested_language(argv):
    """The value of --lang in a command line ("--lang en" or "--lang=en"), or None; pytest's part is not read."""
    for index, word in enumerate(argv):
        if word == "--":
            break
        if word.startswith("--lang="):
            return word.split("=", 1)[1]
        if word == "--lang" and index + 1 < len(argv):
            return argv[index + 1]
    return None


def typed_command(words):
    """A command line as a student would type it again (arguments with spaces in double quotes)."""
    return " ".join('"{}"'.format(word) if not word or " " in word else word for word in words)


def python_too_old(version, language, executable, argv):
    """At most three lines for a student whose Python is older than MINIMUM_PYTHON, or None when it will do.

    version is like sys.version_info; argv is the command line after "python" (tutorial.py and its arguments).
    """
    if tuple(version[:2]) >= MINIMUM_PYTHON:
        return None
    found = ".".join(str(part) for part in version[:3])
    needed = "{}.{}".format(*MINIMUM_PYTHON)
    command = typed_command(argv or ["tutorial.py"])
    if language == "en":
        lines = ["This course needs Python {} or newer, but this is Python {} ({}).".format(needed, found, executable),
                 "Install a newer one from https://www.python.org/downloads/, the Microsoft Store (Windows), "
                 "Homebrew (macOS: brew install python) or your system's package manager (Linux),",
                 "then run the command again with it, by its version: python3.13 {0}, say "
                 "(on Windows: py -3.13 {0}).".format(command)]
    else:
        lines = ["本课程需要 Python {} 或更新的版本，这里找到的是 Python {}（{}）。".format(needed, found, executable),
                 "请安装新版本：python.org（https://www.python.org/downloads/）、Microsoft Store（Windows）、"
                 "Homebrew（macOS：brew install python）或系统的包管理器（Linux）都可以，",
                 "然后用新版本按版本号再运行一次，例如 python3.13 {0}（Windows 上：py -3.13 {0}）。".format(command)]
    return "\n".join(lines)


def exit_if_python_too_old():
    """Stop with python_too_old's three lines (exit code 1) under a Python older than MINIMUM_PYTHON."""
    argv = sys.argv[1:]
    language = student_language(requested_language(argv))
    problem = python_too_old(sys.version_info, language, sys.executable, [sys.argv[0], *argv])
    try:
        (problem or "").encode(sys.stderr.encoding or "ascii")
    except (UnicodeEncodeError, LookupError):  # a console that cannot show Chinese gets the English lines
        problem = python_too_old(sys.version_info, "en", sys.executable, [sys.argv[0], *argv])
    if problem:
        sys.stderr.write(problem + "\n")
        sys.exit(1)


exit_if_python_too_old()

# The rest is imported once the version is known to be good.
import argparse
import difflib
import hashlib
import shutil
import signal
import subprocess
import tempfile
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
# TUTORIAL_VENV puts the course's environment somewhere else (CI sets up a second Python beside .venv);
# TUTORIAL_REQUIREMENTS installs another file instead of requirements.txt (the tests use a tiny one), and the
# groups' files beside it (requirements-site.txt beside requirements.txt; see requirements_file).
VENV = Path(os.environ.get("TUTORIAL_VENV") or ROOT / ".venv").absolute()
REQUIREMENTS = Path(os.environ.get("TUTORIAL_REQUIREMENTS") or ROOT / "requirements.txt").absolute()

# The course's packages in groups, each a file of pins installed by the first command that needs it, and again
# only when that file changes. The core (requirements.txt: the apps, their tests and the coach) is every command's;
# the others go on top of it. For each group: a module that shows it is installed (see missing_group).
GROUPS = {"core": "flask", "database": "flask_sqlalchemy", "site": "mkdocs", "browser": "playwright",
          "lab": "jupyterlab"}
OPTIONAL_GROUPS = ("database", "site", "browser", "lab")


def step_groups(step):
    """The groups a step's app needs beyond the core: "database" for a step whose own requirements.txt lists
    Flask-SQLAlchemy (step 10 on)."""
    listed = ROOT / "steps" / resolve_step(step) / "requirements.txt"
    text = listed.read_text(encoding="utf-8").lower() if listed.is_file() else ""
    return ["database"] if "flask-sqlalchemy" in text else []


def factory_package(folder):
    """The package in folder whose __init__.py defines create_app(), as Flask's tutorial has it (step 08 on:
    taskman/), or None for a step that keeps its app in app.py (steps 01-07)."""
    for init in sorted(Path(folder).glob("*/__init__.py")):
        if "def create_app(" in init.read_text(encoding="utf-8", errors="replace"):
            return init.parent.name
    return None


def flask_app_option(folder):
    """What `flask` needs to find a step's app: nothing for app.py, --app PACKAGE for a factory package."""
    package = factory_package(folder)
    return ["--app", package] if package and not (Path(folder) / "app.py").is_file() else []


def app_source(folder):
    """The file that makes a step's app: app.py, or the factory package's __init__.py (step 08 on)."""
    folder = Path(folder)
    package = None if (folder / "app.py").is_file() else factory_package(folder)
    return folder / package / "__init__.py" if package else folder / "app.py"


def wsgi_target(folder):
    """What gunicorn is told to serve: "app:app", or "taskman:create_app()" for a factory package."""
    source = app_source(folder)
    return "app:app" if source.name == "app.py" else f"{source.parent.name}:create_app()"


def import_line(folder):
    """A line of Python that binds `app` to the step's app, run inside its folder (a subprocess's -c)."""
    source = app_source(folder)
    return "from app import app" if source.name == "app.py" else f"from {source.parent.name} import create_app; app = create_app()"


# A step is a folder with app.py (the Flask object app) or with a package that has create_app().
STEPS = sorted(path.name for path in (ROOT / "steps").iterdir()
               if (path / "app.py").is_file() or (path.is_dir() and factory_package(path)))


def in_language(zh, en):
    """The text for this command line's reader: --lang when given, else the locale (see student_language)."""
    return en if student_language(requested_language(sys.argv[1:])) == "en" else zh


def resolve_step(name):
    """Turn "3", "03" or "03_templates" into the folder name "03_templates"."""
    for step in STEPS:
        number = step.split("_")[0]
        if name in (step, number) or (name.isdigit() and int(name) == int(number)):
            return step
    raise SystemExit(in_language(f"没有第 {name} 步。课程的步骤有：{'、'.join(STEPS)}",
                                 f"There is no step {name!r}. The steps are: {', '.join(STEPS)}"))


# The file in a student's folder that remembers which exercise hints they have seen (tools/exercises.py).
HINTS_FILE = ".tutorial-hints.json"
# What a folder holds that is not part of a step: caches, virtual environments, databases, editor files, hints.
IGNORED_NAMES = {"__pycache__", ".pytest_cache", ".mypy_cache", ".ipynb_checkpoints", ".venv", "venv", "env",
                 ".git", "instance", ".DS_Store", ".idea", ".vscode", "node_modules", HINTS_FILE}
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
            # As editors save text: a byte order mark and Windows' line endings (CRLF) are no difference.
            a_text, b_text = (data.decode("utf-8-sig").replace("\r\n", "\n") for data in (a_bytes, b_bytes))
        except UnicodeDecodeError:
            yield path, status, f"Binary files {old_label}/{path} and {new_label}/{path} differ\n"
            continue
        if status == "changed" and a_text == b_text:
            continue
        a_lines, b_lines = a_text.splitlines(keepends=True), b_text.splitlines(keepends=True)
        # As git and diff -u do: an added file comes from /dev/null, a removed one goes to it.
        lines = difflib.unified_diff(a_lines, b_lines,
                                     "/dev/null" if status == "added" else f"{old_label}/{path}",
                                     "/dev/null" if status == "removed" else f"{new_label}/{path}")
        yield path, status, "".join(line if line.endswith("\n") else line + "\n\\ No newline at end of file\n"
                                    for line in lines)


def venv_python(venv_dir=None):
    """The interpreter inside the course's environment (Scripts\\python.exe on Windows, bin/python elsewhere)."""
    venv_dir = Path(venv_dir or VENV)
    if os.name == "nt":
        return venv_dir / "Scripts" / "python.exe"
    return venv_dir / "bin" / "python"


class SetupError(Exception):
    """A set-up that could not finish; its text, in the student's language, says why and what to do next."""


# What the set-up tells a student, in each language.
SETUP_TEXT = {
    "en": {
        "creating": "Creating the course's virtual environment in {venv} (a few seconds) ...",
        "remaking": "{venv} cannot be used (its Python does not run, is older than {floor} or has no pip): "
                    "making it again.",
        "installing": "Installing the packages for {purposes}, listed in {requirements} (each file once, and again "
                      "only when it changes):",
        "package": "  [{number}] {name} {version}{where}",
        "downloading": " (downloading, {size})", "cached": " (from pip's cache)", "local": " (a local file)",
        "building": "  building {name} from its source ...",
        "unpacking": "Installing {packages} into {venv} (the longest part, a minute or two) ...",
        "done": "Set-up done in {seconds:.0f} s: {packages} installed in {venv}.",
        "nothing_new": "Set-up checked in {seconds:.0f} s: {venv} already had every package listed in {requirements}.",
        "packages": lambda count: f"{count} package" + ("" if count == 1 else "s"),
        "no_connection": " (it could not connect: {reason})",
        "pip_failed": "The set-up did not finish: pip could not install {package}. pip's last error: {error}\n"
                      "The cause is most often the network (no connection, or a proxy or firewall in the way; "
                      "behind a proxy, set HTTPS_PROXY), or a full disk. pip's full output is in {log}.\n"
                      "Once that is fixed, run the same command again; it carries on from here: {command}",
        "venv_failed": "The set-up did not finish: Python could not create the virtual environment in {venv}. "
                       "Its last line: {error}\n"
                       "On Debian and Ubuntu this needs the python3-venv package (sudo apt install python3-venv); "
                       "otherwise the disk may be full or the folder not writable. The full output is in {log}.\n"
                       "Once that is fixed, run the same command again: {command}",
        "os_failed": "The set-up did not finish: {error}\n"
                     "The disk may be full, or {venv} not writable. Once that is fixed, run the same command "
                     "again: {command}",
        "not_a_venv": "The set-up did not start: {venv} exists but is not a virtual environment, so it is left alone.\n"
                      "Move it away or delete it, then run the same command again: {command}",
        "interrupted": "The set-up was stopped (Ctrl+C) before it finished. Run the same command again to finish "
                       "it: {command}",
        "requirements": "the course's packages",
        "purposes": {"core": "the apps and their tests", "database": "step 10's database packages", "site": "the course site (serve)",
                     "browser": "the browser checks", "lab": "JupyterLab and the demo notebooks (lab)"},
        "and": lambda items: ", ".join(items[:-1]) + " and " + items[-1] if len(items) > 1 else "".join(items),
    },
    "zh": {
        "creating": "正在 {venv} 中创建课程的虚拟环境（需要几秒钟）……",
        "remaking": "{venv} 无法使用（其中的 Python 无法运行、版本低于 {floor}，或者没有 pip），正在重新创建。",
        "installing": "正在安装{purposes}所需的包，它们列在 {requirements} 中（每个文件只在第一次和它改变时安装）：",
        "package": "  [{number}] {name} {version}{where}",
        "downloading": "（下载中，{size}）", "cached": "（来自 pip 的缓存）", "local": "（本地文件）",
        "building": "  正在从源代码构建 {name}……",
        "unpacking": "正在把 {packages}装进 {venv}（最耗时的一步，需要一两分钟）……",
        "done": "安装完成，用时 {seconds:.0f} 秒：{venv} 中装好了 {packages}。",
        "nothing_new": "检查完成，用时 {seconds:.0f} 秒：{requirements} 中列出的包在 {venv} 中都已经装好了。",
        "packages": lambda count: f"{count} 个包",
        "no_connection": "（无法连接：{reason}）",
        "pip_failed": "安装没有完成：pip 无法安装 {package}。pip 最后的错误信息：{error}\n"
                      "最常见的原因是网络（没有联网，或者被代理、防火墙挡住；使用代理时请设置 HTTPS_PROXY），"
                      "也可能是磁盘满了。pip 的完整输出在 {log}。\n"
                      "问题解决后，再运行一次同样的命令，它会从这里继续：{command}",
        "venv_failed": "安装没有完成：Python 无法在 {venv} 中创建虚拟环境。最后一行输出：{error}\n"
                       "在 Debian 和 Ubuntu 上需要先安装 python3-venv 包（sudo apt install python3-venv）；"
                       "否则可能是磁盘满了，或者这个文件夹不能写入。完整输出在 {log}。\n"
                       "问题解决后，再运行一次同样的命令：{command}",
        "os_failed": "安装没有完成：{error}\n"
                     "可能是磁盘满了，或者 {venv} 不能写入。问题解决后，再运行一次同样的命令：{command}",
        "not_a_venv": "安装没有开始：{venv} 已经存在，但它不是虚拟环境，所以没有动它。\n"
                      "请把它移走或删除，然后再运行一次同样的命令：{command}",
        "interrupted": "安装在完成之前被停止了（Ctrl+C）。再运行一次同样的命令就能装完：{command}",
        "requirements": "课程所需的包",
        "purposes": {"core": "应用及其测试", "database": "第 10 步的数据库", "site": "课程网站（serve）", "browser": "浏览器检查",
                     "lab": "JupyterLab 和演示笔记本（lab）"},
        "and": "、".join,
    },
}


def shown_path(path):
    """A path as a student reads it: relative to the current folder when it lies inside it."""
    path = Path(path).absolute()
    with contextlib.suppress(ValueError):
        return str(path.relative_to(Path.cwd())) or "."
    return str(path)


def venv_works(python):
    """Whether an environment's Python runs, is recent enough and has pip (one made by an older Python has not)."""
    probe = f"import sys, pip; sys.exit(sys.version_info[:2] < {MINIMUM_PYTHON!r})"
    try:
        return python.exists() and subprocess.run([str(python), "-c", probe], capture_output=True,
                                                  timeout=120).returncode == 0
    except (OSError, subprocess.SubprocessError):
        return False


def make_venv(venv_dir, log_path, say, fields):
    """Create the environment (again, if a half-made one is in the way), writing what went wrong to log_path."""
    if venv_dir.exists():
        if any(venv_dir.iterdir()) and not (venv_dir / "pyvenv.cfg").exists():
            raise SetupError(say["not_a_venv"].format(**fields))
        print(say["remaking"].format(**fields), flush=True)
        shutil.rmtree(venv_dir)
    print(say["creating"].format(**fields), flush=True)
    venv_dir.mkdir(parents=True)
    try:
        venv.EnvBuilder(with_pip=True).create(venv_dir)
    except subprocess.CalledProcessError as error:  # ensurepip failed; its output says why
        output = error.output.decode("utf-8", "replace") if isinstance(error.output, bytes) else error.output or ""
        log_path.write_text(output, encoding="utf-8")
        raise SetupError(say["venv_failed"].format(error=last_error_line(output) or error, **fields)) from None


def last_error_line(output):
    """pip's last "ERROR: ..." line, or else the last line it printed."""
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    errors = [line for line in lines if line.startswith("ERROR:")]
    return (errors or lines or [""])[-1]


def connection_problem(output):
    """Why pip could not reach an index, from its warnings ("[Errno 111] Connection refused"), or ""."""
    import re

    reasons = []
    for line in output.splitlines():
        if "Retrying (" in line or "connection" in line.lower():
            reasons += re.findall(r"\[Errno -?\d+\] [^'\")\]]+|ProxyError|SSLError|Read timed out|timed out", line)
    return reasons[-1].strip() if reasons else ""


def distribution(filename):
    """(name, version) from a wheel or source archive's file name: click-8.5.1-py3-none-any.whl -> click, 8.5.1."""
    name = Path(filename).name
    for suffix in (".whl", ".tar.gz", ".zip", ".tar.bz2"):
        if name.endswith(suffix):
            stem = name[:-len(suffix)]
            parts = stem.split("-") if suffix == ".whl" else stem.rsplit("-", 1)
            return (parts[0], parts[1]) if len(parts) > 1 else (stem, "")
    return name, ""


def pip_install(python, requirements, log_path, say, fields):
    """Install the files of requirements with pip (in one resolution, so that every pin holds), one line per
    package on the screen and all of pip's output in log_path.

    Returns the number of packages installed; raises SetupError with the paragraph for a failure.
    """
    command = [str(python), "-m", "pip", "install", "--disable-pip-version-check", "--no-input",
               "--progress-bar", "off"]
    for path in requirements:
        command += ["-r", str(path)]
    env = dict(os.environ, PYTHONIOENCODING="utf-8", PYTHONUNBUFFERED="1")
    print(say["installing"].format(**fields), flush=True)
    seen, installed, output = set(), 0, []
    package = working_on = say["requirements"]
    with open(log_path, "w", encoding="utf-8", buffering=1) as log, \
            subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, env=env,
                             text=True, encoding="utf-8", errors="replace") as pip:
        try:
            for line in pip.stdout:
                with contextlib.suppress(OSError):  # a full disk: pip's own error says so below
                    log.write(line)
                output.append(line)
                words = line.split()
                if line.startswith("Collecting "):
                    working_on = line.split(" (from ")[0].split(None, 1)[1].strip()
                elif words[:1] in (["Processing"], ["Downloading"]) or words[:2] == ["Using", "cached"]:
                    file = words[2] if words[0] == "Using" else words[1]
                    if file.endswith(".metadata"):
                        continue
                    name, version = distribution(file)
                    working_on = name
                    if name.lower() not in seen:
                        seen.add(name.lower())
                        size = line.rsplit("(", 1)[1].rstrip(")\n ") if line.rstrip().endswith(")") else ""
                        where = (say["downloading"].format(size=size) if words[0] == "Downloading"
                                 else say["local"] if words[0] == "Processing" else say["cached"])
                        print(say["package"].format(number=len(seen), name=name, version=version, where=where),
                              flush=True)
                elif line.startswith("  Building wheel for "):
                    working_on = words[3]
                    print(say["building"].format(name=working_on), flush=True)
                elif line.startswith("Installing collected packages:"):
                    names = [name.strip() for name in line.split(":", 1)[1].split(",")]
                    working_on = ", ".join(names[:3]) + (", ..." if len(names) > 3 else "")
                    print(say["unpacking"].format(packages=say["packages"](len(names)), **fields), flush=True)
                elif line.startswith("Successfully installed "):
                    installed = len(words) - 2
                elif line.startswith("ERROR: No matching distribution found for "):
                    package = line.split(" for ", 1)[1].strip()
            pip.wait()
        except KeyboardInterrupt:
            pip.terminate()
            pip.wait()
            raise SetupError(say["interrupted"].format(**fields)) from None
    if pip.returncode != 0:
        if package == say["requirements"]:
            package = working_on
        output = "".join(output)
        reason = connection_problem(output)
        error = last_error_line(output) + (say["no_connection"].format(reason=reason) if reason else "")
        raise SetupError(say["pip_failed"].format(package=package, error=error, **fields))
    return installed


def requirements_file(group, core=None):
    """The file of a group's pins: the core's (requirements.txt, or TUTORIAL_REQUIREMENTS), or the one beside it
    named for the group (requirements-site.txt)."""
    core = Path(core or REQUIREMENTS)
    return core if group == "core" else core.with_name(f"{core.stem}-{group}{core.suffix}")


def stamp_file(venv_dir, group):
    """Where an environment keeps the hash of the group's file it has installed (requirements-site.sha256)."""
    return Path(venv_dir) / ("requirements.sha256" if group == "core" else f"requirements-{group}.sha256")


def file_hash(path):
    """The SHA-256 of a file's bytes, or None when it cannot be read."""
    try:
        return hashlib.sha256(Path(path).read_bytes()).hexdigest()
    except OSError:
        return None


def installed_as_stamped(venv_dir, group, core=None):
    """Whether the environment has the group installed from its file as that file is now."""
    try:
        stamp = stamp_file(venv_dir, group).read_text().strip()
    except OSError:
        return False
    return stamp == file_hash(requirements_file(group, core))


def missing_group(group, core=None):
    """Why a test or tool that needs a group of packages cannot run in this Python (in English, for its skip
    message), or None when the group is installed."""
    import importlib.util

    if importlib.util.find_spec(GROUPS[group]) is not None:
        return None
    command = "python tutorial.py setup" + ("" if group == "core" else f" {group}")
    return (f"the {group} group of the course's packages is not installed ({GROUPS[group]} is missing): `{command}` "
            f"installs it ({requirements_file(group, core).name}), `python tutorial.py test` every group")


def what_is_installed(groups, core, say):
    """The set-up's messages' fields for the groups it installs: their files, and what they are for."""
    return {"requirements": say["and"]([shown_path(requirements_file(group, core)) for group in groups]),
            "purposes": say["and"]([say["purposes"][group] for group in groups])}


def ensure_venv(venv_dir=None, requirements=None, language=None, groups=()):
    """Create the course's virtual environment, install the core and the given groups of pinned requirements
    into it (GROUPS: "database", "site", "browser", "lab"), and return its Python.

    Each group has its stamp (the hash of its file, written last): nothing happens while the stamps of the groups
    asked for match, so later runs start at once, and a group is installed again only when its own file changes.
    The groups installed before and still current go to pip with the new ones, so that pip keeps all their pins.
    A set-up that stopped half-way (no network, a full disk, Ctrl+C) is finished by the next run, and an
    environment whose Python does not run or has no pip is made again. Raises SetupError, in the student's
    language, when it cannot finish.
    """
    venv_dir = Path(venv_dir or VENV).absolute()
    core = Path(requirements or REQUIREMENTS)
    wanted = ["core", *(group for group in OPTIONAL_GROUPS if group in groups)]
    python = venv_python(venv_dir)
    say = SETUP_TEXT[student_language(language or requested_language(sys.argv[1:]))]
    log_path = venv_dir / "setup.log"
    stale = [group for group in wanted if not installed_as_stamped(venv_dir, group, core)]
    if python.exists() and not stale:
        return python
    fields = {"venv": shown_path(venv_dir), "log": shown_path(log_path),
              "command": typed_command(["python", *sys.argv]), "floor": "{}.{}".format(*MINIMUM_PYTHON)}
    fields.update(what_is_installed(stale or wanted, core, say))
    try:
        hashes = {group: hashlib.sha256(requirements_file(group, core).read_bytes()).hexdigest() for group in wanted}
    except OSError as error:
        raise SetupError(say["os_failed"].format(error=error, **fields)) from None
    began = time.monotonic()
    try:
        if not venv_works(python):
            make_venv(venv_dir, log_path, say, fields)  # a new environment: every group asked for is installed
            stale = wanted
            fields.update(what_is_installed(stale, core, say))
        for group in stale:
            with contextlib.suppress(OSError):
                stamp_file(venv_dir, group).unlink()  # a set-up that stops from here on is finished by the next run
        current = [group for group in GROUPS if group not in stale and installed_as_stamped(venv_dir, group, core)]
        files = [requirements_file(group, core) for group in GROUPS if group in stale or group in current]
        count = pip_install(python, files, log_path, say, fields)
        for group in stale:
            stamp_file(venv_dir, group).write_text(hashes[group])
    except KeyboardInterrupt:
        raise SetupError(say["interrupted"].format(**fields)) from None
    except OSError as error:  # a full disk, a folder that cannot be written or deleted
        raise SetupError(say["os_failed"].format(error=error, **fields)) from None
    print(say["done" if count else "nothing_new"].format(seconds=time.monotonic() - began,
                                                         packages=say["packages"](count), **fields), flush=True)
    return python


def child_env(**extra):
    """The environment for commands run inside .venv: no bytecode files written beside the steps."""
    env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", **extra)
    env.pop("PYTHONHOME", None)
    return env


def command_test(args):
    """Run the suites with pytest; returns pytest's exit code."""
    # One step's suite needs the core; every suite (the site, the browser checks, the notebooks) every group.
    python = ensure_venv(groups=step_groups(args.step) if args.step else OPTIONAL_GROUPS)
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
    python = ensure_venv(groups=step_groups(args.step))
    command = [str(python), "-m", "tools.check", resolve_step(args.step), "--lang", student_language(args.lang)]
    if args.exercise is not None:  # one exercise of the step (tools/exercises.py), or its next hint
        command[2:4] = ["tools.exercises", resolve_step(args.step), str(args.exercise)]
        command += ["--hint"] if args.hint else []
    if args.app_dir:
        command += ["--app-dir", str(Path(args.app_dir).resolve())]
    command += [flag for flag in ("--verbose", "--watch") if getattr(args, flag[2:])]
    try:
        return subprocess.run(command, cwd=ROOT, env=child_env()).returncode
    except KeyboardInterrupt:  # --watch runs until Ctrl+C
        return 0


def command_progress(args):
    """Print every step's state in a folder that holds a student's step folders."""
    python = ensure_venv(groups=["database"])
    command = [str(python), "-m", "tools.check", "progress", "--app-dir", str(Path(args.app_dir).resolve()),
               "--lang", student_language(args.lang)]
    try:
        return subprocess.run(command, cwd=ROOT, env=child_env()).returncode
    except KeyboardInterrupt:
        return 130


def command_setup(args):
    """Set up the course's environment now (the core, and the groups named), and print the path of its Python."""
    print(shown_path(ensure_venv(groups=OPTIONAL_GROUPS if "all" in args.groups else args.groups)))
    return 0


def command_run(args):
    """Start one step's development server on 127.0.0.1 until Ctrl+C."""
    python = ensure_venv(groups=step_groups(args.step))
    step = resolve_step(args.step)
    print(f"Starting {step} on http://127.0.0.1:{args.port}/  (Ctrl+C stops it)", flush=True)
    command = [str(python), "-m", "flask", *flask_app_option(ROOT / "steps" / step), "run",
               "--host", "127.0.0.1", "--port", str(args.port)]
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
            raise SystemExit(in_language("请给出第二个步骤或 --app-dir，不要两个都给。",
                                         "Give either a second step or --app-dir, not both."))
        new, new_label = Path(args.app_dir).resolve(), "yours"
        if not new.is_dir():
            raise SystemExit(in_language(f"--app-dir {args.app_dir}：没有这个文件夹。",
                                         f"--app-dir {args.app_dir}: there is no such folder."))
    elif args.other:
        new_step = resolve_step(args.other)
        new, new_label = ROOT / "steps" / new_step, new_step
    else:
        raise SystemExit(in_language("请给出两个步骤（diff 04 05），或者一个步骤和你的文件夹（diff 05 --app-dir PATH）。",
                                     "Name two steps (diff 04 05) or a step and your folder (diff 05 --app-dir PATH)."))
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
    python = ensure_venv(groups=step_groups(args.step))
    step = resolve_step(args.step)
    # Being told to stop (SIGTERM) cleans up like Ctrl+C does.
    signal.signal(signal.SIGTERM, signal.default_int_handler)
    with tempfile.TemporaryDirectory(prefix=f"flask-course-{step}-", ignore_cleanup_errors=True) as folder:
        copy = Path(folder) / step
        shutil.copytree(ROOT / "steps" / step, copy, ignore=shutil.ignore_patterns(*IGNORED_NAMES, "*.pyc", "*.db"))
        database = Path(folder) / "tasks.db"
        # The step's own app makes its database (its tables, and the sample user where tasks have an owner),
        # in .venv's Python: tools/screenshots.py puts the same samples in the site's screenshots.
        made = subprocess.run([str(python), "-m", "tools.screenshots", step, "--sample-database", str(database)],
                              cwd=ROOT, env=child_env(), capture_output=True, text=True)
        if made.returncode:
            raise SystemExit(in_language("无法为演示准备示例数据库：", "Could not make the demo's sample database: ")
                             + (made.stderr.strip().splitlines() or [""])[-1])
        # Its last line is the sample user's name and password (step 09 on); the app may log lines before it.
        last = (made.stdout.strip().splitlines() or [""])[-1]
        account = last.split("\t") if "\t" in last else []
        url = f"http://127.0.0.1:{args.port}/"
        print(f"Demo of {step}: a throwaway copy in {copy}\n    {url}\nCtrl+C stops it and deletes the copy.",
              flush=True)
        if account:
            print(in_language("登录：用户名 {0}，密码 {1}", "Sign in as {0}, password: {1}").format(
                *account), flush=True)
        # DATABASE_URL empty: step 10 keeps the demo's data in the throwaway SQLite file, whatever the shell says.
        env = child_env(FLASK_DATABASE=str(database), APP_DATABASE=str(database), DATABASE_URL="",
                        APP_ENV="development")
        command = [str(python), "-m", "flask", *flask_app_option(copy), "run", "--host", "127.0.0.1",
                   "--port", str(args.port)]
        try:
            return subprocess.run(command, cwd=copy, env=env).returncode
        except KeyboardInterrupt:
            return 0


def command_lab(args):
    """Open JupyterLab on the demo notebooks; its Python kernel is the course's .venv."""
    python = ensure_venv(groups=["lab"])
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
    # The bench's site part serves the course site (the site group); its other parts need only the core.
    python = ensure_venv(groups=args.groups if getattr(args, "only", None) in (None, "site") else [])
    command = [str(python), "-m", f"tools.{args.tool}", *args.tool_args]
    return subprocess.run(command, cwd=ROOT, env=child_env()).returncode


def command_serve(args):
    """Serve the course site on http://127.0.0.1:PORT/, rebuilt whenever a page or a step changes."""
    python = ensure_venv(groups=["site"])
    address = f"127.0.0.1:{args.port}"
    print(f"Serving the course on http://{address}/ (English: http://{address}/en/)  Ctrl+C stops it",
          flush=True)
    command = [str(python), "-m", "mkdocs", "serve", "--dev-addr", address]
    try:
        return subprocess.run(command, cwd=ROOT, env=child_env(NO_MKDOCS_2_WARNING="1")).returncode
    except KeyboardInterrupt:
        return 0


def group_name(word):
    """A group that `setup` may name (argparse's choices would refuse no name at all before Python 3.12)."""
    if word not in (*OPTIONAL_GROUPS, "all"):
        raise argparse.ArgumentTypeError(f"{word!r} is not a group; the groups: {', '.join(OPTIONAL_GROUPS)}, all")
    return word


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
    check.add_argument("--exercise", metavar="K", type=int, help="check exercise K of the step's page instead")
    check.add_argument("--hint", action="store_true", help="with --exercise: the next hint you have not seen yet")
    check.set_defaults(handler=command_check)

    progress = commands.add_parser("progress", help="every step's state in your folder of step folders")
    progress.add_argument("--app-dir", metavar="WORKDIR", required=True,
                          help="the folder that holds your step folders (03_templates or 03, ...)")
    progress.add_argument("--lang", choices=["zh", "en"], help="the table's language (default: from the locale)")
    progress.set_defaults(handler=command_progress)

    setup = commands.add_parser("setup", help="set up the course's environment now (the commands that need it "
                                              "do this first)")
    setup.add_argument("groups", nargs="*", type=group_name, metavar="GROUP",
                       help="groups to install besides the core (requirements.txt): site (serve), browser (the "
                            "browser checks), lab, or all; each from its requirements-GROUP.txt")
    setup.set_defaults(handler=command_setup)

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
    screenshots.set_defaults(handler=command_tool, tool="screenshots", groups=["browser"])

    bench = commands.add_parser("bench", help="measure steps 06 and 07 under load, and the course's own speed")
    bench.add_argument("--only", choices=["load", "course", "site", "check", "postgres"],
                       help="run one part of the benchmark (site: `serve` rebuilding the site after an edit)")
    bench.add_argument("--seconds", help="how long each load runs (default 5)")
    bench.add_argument("--runs", help="how many times the coach checks each step (default 10)")
    bench.add_argument("--repeats", help="how many rounds of the postgres part, each figure their median (default 3)")
    bench.add_argument("--steps", nargs="+", metavar="NN", help="the steps the coach checks (default: all)")
    bench.add_argument("--output", metavar="PATH", help="write the results there (default bench/results.json)")
    bench.set_defaults(handler=command_tool, tool="bench", groups=["site"])  # --only site serves the site

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
        args.tool_args = [f"--{name}={getattr(args, name)}" for name in ("only", "seconds", "runs", "repeats")
                          if getattr(args, name, None)]
        if getattr(args, "steps", None):
            args.tool_args += ["--steps", *args.steps]
        if getattr(args, "output", None):  # the tool runs in the repository's folder: pass an absolute path
            args.tool_args.append(f"--output={Path(args.output).resolve()}")
    try:
        return args.handler(args)
    except SetupError as error:  # its paragraph says what failed and what to do next: no traceback
        print(error, file=sys.stderr)
        return 1


if __name__ == "__main__":
    sys.exit(main())
