"""Screenshots of each step's main page for the course site, taken in Debian's Chromium by Playwright.

    python -m tools.screenshots          every step (run from the repository root, inside .venv)
    python -m tools.screenshots 06 07    only these steps

Writes docs/assets/screenshots/<step>.png (desktop, 1280x800) and, for the task manager
(step 06 on), <step>-phone.png (375x667); a step with accounts (09 on) also <step>-login.png, its
sign-in page, and its dashboard is taken signed in as the sample user. Each step is served in this
process on 127.0.0.1, with a few sample tasks in a temporary database from step 05 on; nothing else is written.
A file whose picture has not changed is left alone, so a re-run changes nothing.

The browser tests (tests/browser/) use the same StepServer and Chromium settings.
"""
import argparse
import contextlib
import functools
import shutil
import sqlite3
import sys
import tempfile
import threading
from pathlib import Path

from werkzeug.serving import WSGIRequestHandler, make_server

from tools.steps import ROOT, STEPS, app_source, environment, load_app_module, resolve_step
from tutorial import SAMPLE_TASKS

SCREENSHOTS = ROOT / "docs" / "assets" / "screenshots"
DESKTOP = {"width": 1280, "height": 800}
PHONE = {"width": 375, "height": 667}

# Debian's Chromium under its usual names. Playwright's own browser download does not work offline.
CHROMIUM_NAMES = ("chromium", "chromium-browser", "google-chrome")
# Headless, as root in a container, with no network: without the last four, Chromium keeps
# trying to reach Google's services and floods the log with refused connections.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]

# Step 07 reads its configuration from the environment when it is imported.
SECRET = "course-browser-checks-" + "x" * 32


def find_chromium():
    """The path of an installed Chromium or Chrome, or None."""
    for name in CHROMIUM_NAMES:
        found = shutil.which(name)
        if found:
            return found
    return None


def number(step):
    """6 for "06_taskman"."""
    return int(step.split("_")[0])


def has_stylesheet(step):
    """Whether the step has a stylesheet of its own (from step 03 on)."""
    return any((app_source(ROOT / "steps" / step).parent / "static").glob("*.css"))


def tables_file(step):
    """The file that describes the step's tables: schema.sql (steps 05-09), or models.py (Flask-SQLAlchemy, step 10 on)."""
    folder = app_source(ROOT / "steps" / step).parent
    return next((path for path in (folder / "schema.sql", folder / "models.py") if path.is_file()), None)


def has_database(step):
    """Whether the step keeps its tasks in a database (SQLite from step 05 on; SQLite or PostgreSQL from step 10)."""
    return tables_file(step) is not None


def has_accounts(step):
    """Whether the step keeps user accounts with password hashes (step 09 on): its tasks have an owner."""
    tables = tables_file(step)
    return tables is not None and "password_hash" in tables.read_text(encoding="utf-8")


def has_due_dates(step):
    """Whether the step's tasks may have a due date (step 10 on: its dashboard's form has a date field)."""
    tasks = app_source(ROOT / "steps" / step).parent / "templates" / "tasks.html"
    return tasks.is_file() and 'name="due"' in tasks.read_text(encoding="utf-8")


def is_task_manager(step):
    """Whether the step is the complete task manager: toggle, delete, purge (step 06 and every later one)."""
    return number(step) >= 6


STYLED_STEPS = [step for step in STEPS if has_stylesheet(step)]
TASK_MANAGER_STEPS = [step for step in STEPS if is_task_manager(step)]
ACCOUNT_STEPS = [step for step in STEPS if has_accounts(step)]
DUE_DATE_STEPS = [step for step in STEPS if has_due_dates(step)]

# The account that owns the sample tasks where tasks have an owner; the browser signs in with it.
SAMPLE_USER = {"username": "student", "email": "student@example.com", "password": "a sample password"}
# Where tasks have a due date (step 10 on), the sample task that has one: (summary, date).
SAMPLE_DUE = ("Add a task of your own", "2026-12-31")
# The sample user's session id (see put_samples).
SAMPLE_SESSION_ID = "sample-user-session"


@functools.cache
def sample_password_hash():
    """The sample user's password hash, made once (a slow hash, on purpose), the same in every database:
    a browser signed in on one database stays signed in when a test switches to another."""
    from werkzeug.security import generate_password_hash

    return generate_password_hash(SAMPLE_USER["password"])


def put_samples(app, step, database, tasks=()):
    """Keep the app's data in the SQLite file `database`, with these (summary, done) tasks in it (a step
    without a database, 01-04, is left alone).

    Where tasks have an owner (step 09 on), the database starts with the sample user, who owns them, and
    their counts row; where tasks have a due date (step 10 on), SAMPLE_DUE's task has one.
    """
    if "DATABASE" not in app.config:
        return
    app.config["DATABASE"] = str(database)
    accounts = has_accounts(step)
    if accounts:
        # The app makes its tables itself (and numbers their version), as `flask init-db` does.
        made = app.test_cli_runner().invoke(args=["init-db"])
        if made.exit_code:
            raise RuntimeError(f"init-db failed on {database}: {made.output}")
    if tasks or accounts:
        with contextlib.closing(sqlite3.connect(database)) as db:
            if accounts:
                key = SAMPLE_USER["username"].lower()
                db.execute("INSERT OR IGNORE INTO users (username, username_key, email, password_hash)"
                           " VALUES (?, ?, ?, ?)",
                           (SAMPLE_USER["username"], key, SAMPLE_USER["email"], sample_password_hash()))
                # The session id a signed-in browser's cookie names (steps 09 and 10, since sign-out revokes it):
                # the same in every sample database, as the user's id is, so that a browser signed in on one
                # stays signed in when a test moves the server to a fresh one. (The cookie is signed: the id
                # alone signs nobody in.)
                if db.execute("SELECT 1 FROM pragma_table_info('users') WHERE name = 'session_id'").fetchone():
                    db.execute("UPDATE users SET session_id = ? WHERE username_key = ? AND session_id IS NULL",
                               (SAMPLE_SESSION_ID, key))
                owner = db.execute("SELECT id FROM users WHERE username_key = ?", (key,)).fetchone()[0]
                db.executemany("INSERT INTO tasks (summary, done, user_id) VALUES (?, ?, ?)",
                               [(summary, done, owner) for summary, done in tasks])
                # Step 09's triggers keep the counts row; from step 10 on the app does, so it is set here.
                db.execute("INSERT OR REPLACE INTO task_counts (user_id, total, done)"
                           " SELECT ?, count(*), coalesce(sum(done), 0) FROM tasks WHERE user_id = ?", (owner, owner))
                if db.execute("SELECT 1 FROM pragma_table_info('tasks') WHERE name = 'due'").fetchone():
                    db.execute("UPDATE tasks SET due = ? WHERE summary = ?", SAMPLE_DUE[::-1])
            else:
                schema = app_source(ROOT / "steps" / step).parent / "schema.sql"
                db.executescript(schema.read_text(encoding="utf-8"))
                db.executemany("INSERT INTO tasks (summary, done) VALUES (?, ?)", tasks)
            db.commit()


def sample_database(step, database):
    """Make the SQLite file `database` as the step's app makes it, with the sample tasks (and user): for `tutorial.py demo`."""
    with environment(APP_SECRET=SECRET, APP_DATABASE=str(database), DATABASE_URL=""):
        app = load_app_module(ROOT / "steps" / step).app
    put_samples(app, step, Path(database), SAMPLE_TASKS if has_database(step) else ())


class QuietHandler(WSGIRequestHandler):
    """Werkzeug's request handler without a log line for every request (errors are still logged).

    It also sends each write at once (TCP_NODELAY): otherwise headers and body sent apart wait
    for a delayed acknowledgement, some 40 ms a request on loopback.
    """

    disable_nagle_algorithm = True

    def log_request(self, code="-", size="-"):
        pass


class StepServer:
    """One step's app.py, loaded in this process and served on 127.0.0.1 on a free port, in a thread.

    The database (step 05 on) is a file in `folder`; use_database() switches to another one.
    """

    def __init__(self, step, folder):
        self.step = step
        self.folder = Path(folder)
        self.app_dir = ROOT / "steps" / step
        database = self.folder / "tasks.db"
        with environment(APP_SECRET=SECRET, APP_DATABASE=str(database)):
            self.app = load_app_module(self.app_dir).app
        self.use_database(database)
        # The server calls self (below), which calls the app of the moment: use_database() may make another.
        self.server = make_server("127.0.0.1", 0, self, threaded=True, request_handler=QuietHandler)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, name=f"serve-{step}", daemon=True)
        self.thread.start()

    def use_database(self, path, tasks=()):
        """Keep the tasks in the SQLite file at path from now on, with these (summary, done) tasks in it.

        Where tasks have an owner (step 09 on), every database starts with the sample user, who owns them, and
        their counts row; where tasks have a due date (step 10 on), SAMPLE_DUE's task has one.
        """
        self.database = Path(path)
        if "SQLALCHEMY_DATABASE_URI" in self.app.config and self.app.config["DATABASE"] != str(self.database):
            # Flask-SQLAlchemy (step 10 on) opens the database the app was made with: a new database, a new app.
            with environment(APP_SECRET=SECRET, APP_DATABASE=str(self.database)):
                self.app = load_app_module(self.app_dir).app
        put_samples(self.app, self.step, self.database, tasks)

    def __call__(self, environ, start_response):
        """Serve a request with the step's app (WSGI)."""
        return self.app(environ, start_response)

    def main_page(self):
        """The page a student looks at most: the task dashboard where there is one, else the home page."""
        return "/tasks" if "/tasks" in {rule.rule for rule in self.app.url_map.iter_rules()} else "/"

    def stop(self):
        """Stop serving and wait for the thread."""
        self.server.shutdown()
        self.server.server_close()
        self.thread.join(timeout=10)


@contextlib.contextmanager
def serving(step, folder, tasks=()):
    """Serve a step until the with-block ends; yields the StepServer."""
    server = StepServer(step, folder)
    try:
        server.use_database(server.database, tasks)
        yield server
    finally:
        server.stop()


def sign_in(page, base="", username=SAMPLE_USER["username"], password=SAMPLE_USER["password"]):
    """Sign in through the step's own form, as a person does: /login, the two fields, the button.

    base is the server's address (http://127.0.0.1:PORT), or "" in a browser context that has it as base_url.
    """
    page.goto(base + "/login")
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    with page.expect_navigation():
        page.get_by_role("button", name="Sign in", exact=True).click()
    if "/login" in page.url:
        raise RuntimeError(f"Signing in as {username} failed: still on {page.url}")


def launch(playwright, executable):
    """Start headless Chromium through Playwright with the settings this machine needs."""
    return playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS, headless=True)


# The extent of what a page shows, in page coordinates: its text (a paragraph's box spans the whole width, its
# words may not), its controls and images, and any box with a border or a background of its own.
CONTENT_BOX = """() => {
  let left = Infinity, right = 0, bottom = 0;
  const add = (box) => {
    if (!box.width || !box.height) return;
    left = Math.min(left, box.left + scrollX);
    right = Math.max(right, box.right + scrollX);
    bottom = Math.max(bottom, box.bottom + scrollY);
  };
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  while (walker.nextNode()) {
    if (!walker.currentNode.textContent.trim()) continue;
    const range = document.createRange();
    range.selectNodeContents(walker.currentNode);
    add(range.getBoundingClientRect());
  }
  for (const element of document.body.querySelectorAll("*")) {
    const style = getComputedStyle(element);
    if (style.visibility === "hidden") continue;
    const drawn = /^(IMG|INPUT|BUTTON|SELECT|TEXTAREA|SVG|HR)$/i.test(element.tagName)
      || style.borderStyle !== "none" && parseFloat(style.borderWidth) > 0
      || style.backgroundColor !== "rgba(0, 0, 0, 0)";
    if (drawn) add(element.getBoundingClientRect());
  }
  return {left, right, bottom};
}"""
MARGIN = 16  # CSS pixels kept around the content


def shoot(browser, url, viewport, target, signed_in_at=None):
    """Save a PNG of url at this viewport size, at device scale 2 (sharp where the site shows it), cropped to the
    page's content: all of it, down to the last button, and no empty margin; return True if the file changed.

    signed_in_at, a server's address, signs the sample user in there first."""
    context = browser.new_context(viewport=viewport, device_scale_factor=2, locale="en-US",
                                  timezone_id="UTC", color_scheme="light", reduced_motion="reduce")
    try:
        page = context.new_page()
        if signed_in_at:
            sign_in(page, signed_in_at)
        response = page.goto(url, wait_until="networkidle")
        if response is None or response.status != 200:
            raise SystemExit(f"{url} answered {response and response.status}; no screenshot taken.")
        box = page.evaluate(CONTENT_BOX)
        left = max(0, int(box["left"]) - MARGIN)
        clip = {"x": left, "y": 0, "width": min(viewport["width"], int(box["right"]) + MARGIN) - left,
                "height": int(box["bottom"]) + MARGIN}
        png = page.screenshot(full_page=True, clip=clip, animations="disabled", caret="hide")
    finally:
        context.close()
    if target.exists() and target.read_bytes() == png:
        return False
    target.write_bytes(png)
    return True


def take(browser, step, out):
    """Take the screenshots of one step; yield (file, changed) for each."""
    tasks = SAMPLE_TASKS if has_database(step) else ()
    with tempfile.TemporaryDirectory(prefix=f"screenshots-{step}-") as folder, \
            serving(step, folder, tasks) as server:
        url = server.url + server.main_page()
        accounts = has_accounts(step)
        shots = [(out / f"{step}.png", DESKTOP, url, accounts)]
        if is_task_manager(step):
            shots.append((out / f"{step}-phone.png", PHONE, url, accounts))
        if accounts:
            shots.append((out / f"{step}-login.png", DESKTOP, server.url + "/login", False))
        for target, viewport, address, signed_in in shots:
            yield target, shoot(browser, address, viewport, target, server.url if signed_in else None)


def main(argv=None):
    parser = argparse.ArgumentParser(prog="python -m tools.screenshots", description=__doc__.split("\n\n")[0])
    parser.add_argument("steps", nargs="*", help="steps to photograph (default: every step)")
    parser.add_argument("--out", type=Path, default=SCREENSHOTS, help=f"where to write (default: {SCREENSHOTS})")
    parser.add_argument("--sample-database", type=Path, metavar="PATH",
                        help="only write the one step's sample database to PATH (for tutorial.py demo), and print"
                             " the sample user's name and password where the step has accounts")
    args = parser.parse_args(argv)
    steps = [resolve_step(name) for name in args.steps] or STEPS
    # Loading a step's app.py must not leave __pycache__ beside it.
    sys.dont_write_bytecode = True
    if args.sample_database:
        if len(args.steps) != 1:
            raise SystemExit("--sample-database needs one step: python -m tools.screenshots 09 --sample-database PATH")
        sample_database(steps[0], args.sample_database)
        if has_accounts(steps[0]):
            print(SAMPLE_USER["username"], SAMPLE_USER["password"], sep="\t")
        return 0
    executable = find_chromium()
    if executable is None:
        raise SystemExit(f"No Chromium found ({', '.join(CHROMIUM_NAMES)}): install Debian's chromium package.")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        raise SystemExit("Playwright is not installed: python tutorial.py setup browser") from None
    args.out.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = launch(playwright, executable)
        try:
            for step in steps:
                for target, changed in take(browser, step, args.out):
                    size = target.stat().st_size // 1024
                    print(f"{'wrote    ' if changed else 'unchanged'} {target} ({size} KiB)")
        finally:
            browser.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
