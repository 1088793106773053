"""What the instructor notebooks use to show a step live, in a few calls.

    from tools.demo import Demo
    demo = Demo("05_sqlite")
    demo.code("app.py", "get_db")            # the code being taught, read from steps/ now
    demo.get("/tasks")                        # a request through Flask's test client, shown as a browser would
    demo.post("/tasks", summary="Buy milk")   # a form sent with the CSRF token the last page carried
    demo.rows("SELECT * FROM tasks")          # the rows of the step's (temporary) database
    server = demo.serve()                     # the real development server, on 127.0.0.1
    server.stop()

The database lives in a temporary folder, so a demo never touches the repository.
"""
import html
import json
import os
import re
import sqlite3

from tools.servers import python, start, stop
from tools.site import css_rule, html_element, jinja_block, lexer_for, python_definition, text_range
from tools.steps import ROOT, StepApp, flask_app_option, resolve_step


class Exchange:
    """One request and its response, shown as the status line and the page (or JSON) in a notebook."""

    def __init__(self, method, url, response, stylesheet):
        self.method, self.url, self.response, self.stylesheet = method, url, response, stylesheet
        self.status = response.status_code
        self.text = response.get_data(as_text=True)

    def headline(self):
        location = self.response.headers.get("Location")
        moved = f" → {location}" if location else ""
        return f"{self.method} {self.url} → {self.response.status}{moved} ({self.response.mimetype})"

    def __repr__(self):
        body = json.dumps(self.response.get_json(), indent=2, ensure_ascii=False) if self.response.is_json else ""
        return f"{self.headline()}\n{body}".rstrip()

    def _repr_html_(self):
        """The page rendered in a frame with its own stylesheet, so it looks as it does in a browser.

        A picture of the page: the frame is sandboxed, so its scripts neither run nor load (the step's
        <script src="/static/confirm.js"> would ask the course site, or Jupyter, for a file it does not have)."""
        headline = f"<p><code>{html.escape(self.headline())}</code></p>"
        if self.response.is_json:
            body = json.dumps(self.response.get_json(), indent=2, ensure_ascii=False)
            return f"{headline}<pre>{html.escape(body)}</pre>"
        if self.response.mimetype != "text/html" or not self.text:
            return headline
        page = re.sub(r'<link rel="stylesheet"[^>]*>', f"<style>{self.stylesheet}</style>", self.text)
        return (f'{headline}<iframe title="{html.escape(self.url)}" srcdoc="{html.escape(page)}" sandbox="" '
                'style="width: 100%; height: 420px; border: 1px solid #d0d7de;"></iframe>')


class Code:
    """A piece of a step's file, shown with syntax highlighting in a notebook."""

    def __init__(self, source, lexer, title):
        self.source, self.lexer, self.title = source, lexer, title

    def __repr__(self):
        return f"# {self.title}\n{self.source}"

    def _repr_markdown_(self):
        return f"`{self.title}`\n\n```{self.lexer.split('+')[-1]}\n{self.source}\n```"


class Rows(list):
    """Database rows, shown as a table."""

    def __init__(self, columns, rows):
        super().__init__(rows)
        self.columns = columns

    def _repr_html_(self):
        head = "".join(f"<th>{html.escape(name)}</th>" for name in self.columns)
        body = "".join("<tr>" + "".join(f"<td>{html.escape(str(value))}</td>" for value in row) + "</tr>" for row in self)
        return f"<table><thead><tr>{head}</tr></thead><tbody>{body}</tbody></table><p>{len(self)} rows</p>"


class Server:
    """The step's real development server (flask run) on 127.0.0.1, until stop()."""

    def __init__(self, folder, database, port):
        self.url = f"http://127.0.0.1:{port}/"
        env = dict(os.environ, PYTHONDONTWRITEBYTECODE="1", FLASK_DATABASE=database, APP_DATABASE=database,
                   APP_ENV="development")
        command = [python(), "-m", "flask", *flask_app_option(folder), "run", "--host", "127.0.0.1", "--port", str(port)]
        self.process = start(command, self.url, cwd=folder, env=env)

    def stop(self):
        """Stop the server; returns what it printed (its request log)."""
        stop(self.process)
        return self.process.output

    def __repr__(self):
        return f"Serving on {self.url} until .stop()"


class Demo:
    """One step of the course, loaded for a live demonstration."""

    def __init__(self, step):
        self.step = resolve_step(step)
        self.folder = ROOT / "steps" / self.step
        self.app_under_demo = StepApp(ROOT / "steps", self.step)
        self.app = self.app_under_demo.app
        self.client = self.app_under_demo.client
        self.token = None

    def code(self, path, name=None):
        """A function, block=..., tag=..., css=... or from="..." to="..." of a file in the step; or all of it."""
        text = (self.folder / path).read_text(encoding="utf-8")
        if name is None:
            return Code(text.rstrip("\n"), lexer_for(path), f"{self.step}/{path}")
        lines = text.splitlines()
        key, _, value = name.partition("=")
        if key == "from":
            start_text, _, stop_text = value.partition(" to=")
            span = text_range(lines, start_text.strip('"'), stop_text.strip('"'))
        else:
            finders = {"block": jinja_block, "tag": html_element, "css": css_rule}
            span = finders[key](lines, value) if key in finders else python_definition(text, name)
        if span is None:
            raise LookupError(f"{self.step}/{path} has no {name!r}")
        return Code("\n".join(lines[span[0] - 1:span[1]]), lexer_for(path), f"{self.step}/{path}: {name}")

    def request(self, method, url, form=None):
        """Send a request through Flask's test client; POSTs carry the CSRF token of the last page."""
        form = dict(form or {})
        if method == "POST" and self.token:
            form.setdefault("csrf_token", self.token)
        response = self.client.open(url, method=method, data=form or None)
        found = re.search(r'name="csrf_token" value="([^"]+)"', response.get_data(as_text=True))
        if found:
            self.token = found.group(1)
        stylesheet = self.folder / "static" / "style.css"
        css = stylesheet.read_text(encoding="utf-8") if stylesheet.is_file() else ""
        return Exchange(method, url, response, css)

    def get(self, url):
        """GET url, as a browser's address bar does."""
        return self.request("GET", url)

    def post(self, url, **form):
        """POST a form to url, as a browser does when a form is sent."""
        return self.request("POST", url, form)

    def rows(self, sql, *parameters):
        """Run a query on the step's database and show the rows."""
        with sqlite3.connect(self.app_under_demo.database) as db:
            cursor = db.execute(sql, parameters)
            return Rows([column[0] for column in cursor.description], cursor.fetchall())

    def serve(self, port=None):
        """Start the real development server for this step, on a free port unless one is given."""
        if port is None:
            from tools.servers import free_port

            port = free_port()
        return Server(self.folder, self.app_under_demo.database, port)

    def close(self):
        """Delete the demo's temporary database."""
        self.app_under_demo.close()

