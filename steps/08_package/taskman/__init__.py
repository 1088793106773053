"""Step 08: the task manager as a package, made by an application factory."""
import logging
import os
import sys

from flask import Flask, abort, render_template, request
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

# The extension is made once, without an app;
# create_app() attaches it to each app it makes.
csrf = CSRFProtect()


def create_app(test_config=None):
    """Make and configure a new app: from the
    environment, or from test_config in a test."""
    app = Flask(__name__)
    # Configuration comes from the environment, never from the
    # code: the same code runs on your laptop (APP_ENV=development)
    # and on a server (production, the default).
    app_env = os.environ.get("APP_ENV", "production")
    # The secret key signs the session cookie that carries flashed messages.
    # Every worker and every restart must share it, so it comes from APP_SECRET.
    secret = os.environ.get("APP_SECRET", "")
    if app_env == "development" and not secret:
        secret = "dev"
    app.config["SECRET_KEY"] = secret
    # The site's names, from APP_HOSTS
    # (tasks.example.com,www.tasks.example.com): a request for another Host
    # is refused with 400, so a forged Host never reaches a redirect.
    # Unset, any name is accepted and nginx's server_name is the one check.
    if os.environ.get("APP_HOSTS"):
        app.config["TRUSTED_HOSTS"] = [
            name.strip() for name in os.environ["APP_HOSTS"].split(",")
        ]
    # The database lives in the instance folder, which
    # git does not track, unless APP_DATABASE says where.
    app.config["DATABASE"] = os.environ.get(
        "APP_DATABASE", os.path.join(app.instance_path, "tasks.db")
    )
    # The session cookie travels only over https (Secure),
    # is hidden from JavaScript (HttpOnly) and is not sent
    # with requests that other sites start (SameSite=Lax).
    # On your laptop the site is plain http, so development leaves out Secure.
    app.config["SESSION_COOKIE_SECURE"] = app_env != "development"
    app.config["SESSION_COOKIE_HTTPONLY"] = True
    app.config["SESSION_COOKIE_SAMESITE"] = "Lax"
    # A request body larger than 1 MiB is refused with 413 Content Too Large.
    app.config["MAX_CONTENT_LENGTH"] = 1024 * 1024
    # A test passes its own configuration (a temporary
    # database, TESTING=True): it wins over the environment.
    if test_config is not None:
        app.config.from_mapping(test_config)
    if app_env != "development" and len(app.config["SECRET_KEY"]) < 32:
        # A missing, "dev" or short secret lets anyone
        # forge a session: stop with one clear line.
        raise SystemExit(
            "Refusing to start: set APP_SECRET to a random string"
            " of 32 characters or more,"
            " e.g. python -c \"import secrets; print(secrets.token_hex())\""
        )
    if app_env != "development" and app.debug:
        # FLASK_DEBUG=1 shows a traceback, and with
        # `flask run` a debugger, to whoever meets an error.
        raise SystemExit(
            "Refusing to start: FLASK_DEBUG is on in production;"
            " unset it, or set APP_ENV=development"
        )
    csrf.init_app(app)
    # nginx is the one proxy in front of the app: trust one hop of
    # the X-Forwarded-For, -Proto and -Host headers it sets (the
    # visitor's address, https, the site's name), and no more.
    app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, x_proto=1, x_host=1)
    # Log to standard output: gunicorn, systemd's journal
    # and Docker all collect what a process prints.
    logging.basicConfig(
        stream=sys.stdout,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )

    from . import auth, db, pages, tasks

    # The database's teardown and commands, and
    # its tables, made now (see db.init_app).
    db.init_app(app)
    app.before_request(refuse_bodies_of_unknown_length)
    app.after_request(add_security_headers)
    app.register_error_handler(HTTPException, show_error)
    # Each blueprint brings its routes; its name goes
    # before each endpoint: url_for("tasks.add_task").
    app.register_blueprint(pages.bp)
    app.register_blueprint(tasks.bp)
    app.register_blueprint(auth.bp)
    return app


def refuse_bodies_of_unknown_length():
    """Refuse a body sent in chunks, without a
    Content-Length, with 411 Length Required.

    Flask holds MAX_CONTENT_LENGTH against the Content-Length header.
    A chunked body has none, and Werkzeug would read its first MiB
    and quietly drop the rest. Browsers and nginx send the length.
    """
    if (
        request.content_length is None
        and "chunked" in request.headers.get("Transfer-Encoding", "").lower()
    ):
        abort(411, "Send the body with a Content-Length header.")


def add_security_headers(response):
    """Tell browsers to sniff no types, allow no
    framing and load nothing from other sites."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["X-Frame-Options"] = "DENY"
    response.headers["Referrer-Policy"] = "same-origin"
    response.headers["Content-Security-Policy"] = (
        "default-src 'self'; frame-ancestors 'none';"
        " form-action 'self'; base-uri 'self'"
    )
    return response


def show_error(error):
    """Show an HTTP error (404, 405, ...) in the site's layout, with its reason."""
    if isinstance(error, SecurityError):
        # A Host that is not one of APP_HOSTS: no link
        # can be built for it, so Werkzeug's plain page.
        return error
    # get_headers() keeps what the error needs, such as the Allow header of a 405.
    return (
        render_template("error.html", error=error),
        error.code,
        error.get_headers(),
    )
