"""Step 02: routes and view functions."""
from flask import Flask, abort, request
from markupsafe import escape
from werkzeug.exceptions import HTTPException

app = Flask(__name__)

# A demo account for the sign-in form. Real passwords never live in the code.
DEMO_USER = "student"
DEMO_PASSWORD = "flask"

TOPICS = ["routes", "converters", "escaping", "forms", "query strings",
          "methods", "templates", "static files", "sqlite", "deployment"]
PER_PAGE = 3


def page(title, body):
    """Wrap a fragment of HTML in a complete page with a link home."""
    return (
        '<!doctype html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<link rel="icon" href="data:,">\n'
        f"<title>{title}</title>\n</head>\n<body>\n"
        f'<p><a href="/">Home</a></p>\n{body}\n</body>\n</html>\n'
    )


@app.errorhandler(HTTPException)
def show_error(error):
    """Answer an HTTP error (404, 405, ...) with a page
    like the others: its reason and the link home."""
    body = (
        f"<h1>{error.code} {escape(error.name)}</h1>\n"
        f"<p>{escape(error.description)}</p>"
    )
    # get_headers() keeps what the error needs, such as the Allow header of a 405.
    return (
        page(f"{error.code} {escape(error.name)}", body),
        error.code,
        error.get_headers(),
    )


@app.route("/")
def index():
    """Show the home page with a link to every other page."""
    return page(
        "Home",
        """<h1>Routes and view functions</h1>
<ul>
  <li><a href="/docs">Docs</a></li>
  <li><a href="/healthz">Health check</a></li>
  <li><a href="/hello/Ada">/hello/Ada</a> (string)</li>
  <li><a href="/ticket/42">/ticket/42</a> (int)</li>
  <li><a href="/price/9.99">/price/9.99</a> (float)</li>
  <li><a href="/temperature/-4.5">/temperature/-4.5</a> (signed float)</li>
  <li><a href="/files/notes/today.txt">/files/notes/today.txt</a> (path)</li>
  <li><a href="/search?q=s&amp;page=2">/search?q=s&amp;page=2</a>
    (query string)</li>
  <li><a href="/login">Sign in</a> (GET and POST)</li>
</ul>""",
    )


@app.route("/healthz")
def health():
    """Report that the service is up, as JSON."""
    return {"status": "ok"}


@app.route("/docs")
def docs():
    """Explain the routes this service offers."""
    return page(
        "Docs",
        """<h1>Docs</h1>
<p>Each URL is matched to a view function by a route.
Parts of a URL in angle brackets are passed to the function as arguments,
converted by a converter: <code>string</code> (the default), <code>int</code>,
<code>float</code> and <code>path</code>.</p>
<p>A URL that no route matches is answered with 404 Not Found.</p>""",
    )


@app.route("/hello/<name>")
def hello(name):
    """Greet a name taken from the URL, escaped so it cannot inject HTML."""
    return page("Hello", f"<h1>Hello, {escape(name)}!</h1>")


@app.route("/ticket/<int:ticket_id>")
def ticket(ticket_id):
    """Show a ticket; the int converter turns "42" into 42 and refuses "abc"."""
    return page(
        "Ticket",
        f"<h1>Ticket #{ticket_id}</h1>\n"
        f"<p>The next ticket is #{ticket_id + 1}.</p>",
    )


@app.route("/price/<float:amount>")
def price(amount):
    """Show a price with tax; the float converter needs a dot: 9.99, not 9."""
    return page(
        "Price",
        f"<h1>Price</h1>\n<p>{amount:.2f} plus 20% tax is {amount * 1.2:.2f}.</p>",
    )


@app.route("/temperature/<float(signed=True):celsius>")
def temperature(celsius):
    """Convert a temperature; signed=True lets the float be negative."""
    return page(
        "Temperature",
        f"<h1>Temperature</h1>\n"
        f"<p>{celsius:.1f} °C is {celsius * 9 / 5 + 32:.1f} °F.</p>",
    )


@app.route("/files/<path:filename>")
def files(filename):
    """Show a file name; the path converter accepts slashes."""
    return page(
        "File",
        f"<h1>File</h1>\n<p>You asked for <code>{escape(filename)}</code>.</p>",
    )


@app.route("/search")
def search():
    """Search the course topics: /search?q=forms&page=1."""
    query = request.args.get("q", "").strip()
    page_number = request.args.get("page", 1, type=int)
    if page_number < 1:
        abort(400, "The page number must be 1 or more.")
    matches = [topic for topic in TOPICS if query.lower() in topic]
    start = (page_number - 1) * PER_PAGE
    shown = matches[start:start + PER_PAGE]
    items = (
        "".join(f"<li>{escape(topic)}</li>" for topic in shown)
        or "<li>No results.</li>"
    )
    return page(
        "Search",
        f"""<h1>Search</h1>
<form action="/search" method="get">
  <label for="q">Topic</label>
  <input id="q" name="q" value="{escape(query)}">
  <button type="submit">Search</button>
</form>
<p>{len(matches)} result{'' if len(matches) == 1 else 's'} for “{escape(query)}”,
  page {page_number}.</p>
<ul>{items}</ul>""",
    )


LOGIN_FORM = """<h1>Sign in</h1>
<p>This is a demo: the only account is <code>student</code>
  with the password <code>flask</code>.</p>
{error}
<form action="/login" method="post">
  <label for="username">Username</label>
  <input id="username" name="username" value="{username}" required>
  <label for="password">Password</label>
  <input id="password" name="password" type="password" required>
  <button type="submit">Sign in</button>
</form>"""


@app.route("/login", methods=["GET", "POST"])
def login():
    """Show the sign-in form on GET; check the submitted form on POST."""
    if request.method == "POST":
        username = request.form.get("username", "")
        password = request.form.get("password", "")
        if username == DEMO_USER and password == DEMO_PASSWORD:
            return page("Signed in", f"<h1>Welcome back, {escape(username)}!</h1>")
        error = '<p role="alert">Wrong username or password.</p>'
        return page(
            "Sign in", LOGIN_FORM.format(error=error, username=escape(username))
        ), 401
    return page("Sign in", LOGIN_FORM.format(error="", username=""))


if __name__ == "__main__":
    app.run()
