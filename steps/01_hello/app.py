"""Step 01: a first web service."""
from flask import Flask

app = Flask(__name__)


@app.route("/")
def index():
    """Return the home page as a small HTML document."""
    return (
        '<!doctype html><html lang="en"><meta charset="utf-8">'
        '<link rel="icon" href="data:,">'
        "<title>Hello</title><h1>Hello, World!</h1></html>"
    )


if __name__ == "__main__":
    app.run()
