"""Step 10: the task manager on Flask-SQLAlchemy, SQLite
on a laptop and PostgreSQL behind several app servers."""

import logging
import os
import sys

from flask import Flask, abort, flash, redirect, render_template, request
from flask_login import LoginManager, login_url
from flask_wtf.csrf import CSRFProtect
from werkzeug.exceptions import HTTPException, SecurityError
from werkzeug.middleware.proxy_fix import ProxyFix

# The extension is made once, without an app;
# create_app() attaches it to each app it makes.
csrf = CSRFProtect()
# Flask-Login keeps who is signed in: the user's id in the signed
# session cookie, the user reloaded from the database on each
# request (auth.load_user), current_user in every view and template.
login_manager = LoginManager()
# Where @login_required sends a visitor who is not
# signed in, with ?next= the page they asked for.
login_manager.login_view = "auth.login"
login_manager.login_message = "Please sign in to see that page."
login_manager.login_message_category = "info"
# "strong": the session remembers a digest of the visitor's address and
# browser (User-Agent); a request that brings the cookie from another
# address or browser is signed out. A stolen cookie is then of less use
# elsewhere: a hurdle, not a lock, since the thief can copy the User-Agent
# and write the address in X-Forwarded-For (whose first address Flask-Login
# reads). The price: a phone that changes networks must sign in again.
login_manager.session_protection = "strong"


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
    # DATABASE_URL chooses the database (PostgreSQL in production, see
    # db.configure). Without it, a SQLite file in the instance folder,
    # which git does not track, unless APP_DATABASE says where.
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
    # How passwords are hashed: Werkzeug's default,
    # scrypt, salted and slow on purpose (see auth.py).
    # A test configuration may choose a cheaper
    # method so that its many sign-ups run fast.
    app.config["PASSWORD_HASH_METHOD"] = "scrypt"
    # Sign-in attempts: after LOGIN_LIMIT failed attempts for one account
    # from one address, or LOGIN_LIMIT_PER_ACCOUNT from anywhere, or
    # LOGIN_LIMIT_PER_ADDRESS from one address, within LOGIN_WINDOW seconds,
    # the sign-in form answers 429 Too Many Requests (why three: auth.py).
    app.config["LOGIN_LIMIT"] = 5
    app.config["LOGIN_LIMIT_PER_ACCOUNT"] = 50
    app.config["LOGIN_LIMIT_PER_ADDRESS"] = 100
    app.config["LOGIN_WINDOW"] = 900
    # Sign-ups: SIGNUP_LIMIT from one address within
    # SIGNUP_WINDOW seconds, then 429 as well.
    app.config["SIGNUP_LIMIT"] = 10
    app.config["SIGNUP_WINDOW"] = 3600
    # The addresses of the proxies (nginx) whose X-Forwarded-*
    # headers are believed, from APP_PROXIES (10.0.0.5,10.0.0.6);
    # unset, nginx on this machine. See trust_proxies below.
    app.config["PROXIES"] = [
        address.strip()
        for address in os.environ.get("APP_PROXIES", "127.0.0.1,::1").split(",")
    ]
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
    login_manager.init_app(app)
    # nginx is the one proxy in front of the app: trust one hop
    # of the X-Forwarded-For, -Proto and -Host headers it sets
    # (the visitor's address, https, the site's name), and no
    # more, and only when the request comes from nginx itself.
    app.wsgi_app = trust_proxies(app.wsgi_app, app.config["PROXIES"])
    # Log to standard output: gunicorn, systemd's journal
    # and Docker all collect what a process prints.
    logging.basicConfig(
        stream=sys.stdout,
        level=logging.INFO,
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
    )
    # Alembic says which migrations it runs; not
    # which of its plugins it loads, at every start.
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)

    from . import auth, db, pages, tasks

    # The database, its migrations and its commands; a SQLite
    # database is brought up to date now (see db.init_app).
    db.init_app(app)
    app.before_request(refuse_bodies_of_unknown_length)
    app.before_request(refuse_nul_characters)
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


def refuse_nul_characters():
    """Refuse a form or a query string holding
    the character NUL with 400 Bad Request.

    PostgreSQL's text cannot hold NUL (SQLite's can): the database
    would fail, a 500, whatever field it is in. No name, summary or
    search needs it, so it is refused here, before any view reads it.
    (Not in next, which never reaches the database:
    is_safe_path() drops a next that holds it.)
    """
    fields = [
        *request.args.items(multi=True),
        *(
            request.form.items(multi=True)
            if request.mimetype.startswith(
                ("application/x-www-form-urlencoded", "multipart/form-data")
            )
            else []
        ),
    ]
    if any("\0" in value for name, value in fields if name != "next"):
        abort(400, "A form or an address must not hold the character NUL.")


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


def trust_proxies(wsgi_app, proxies):
    """Wrap the app so that X-Forwarded-* headers count
    only on requests that come from one of the proxies.

    The app servers of this step listen on their own machines, for nginx.
    Anyone else who reaches one directly could write X-Forwarded-For (a
    new address for every guess: no per-address limit holds)
    and X-Forwarded-Host (redirects to another site). ProxyFix
    believes whoever sends them; so a request from another
    address has them removed and goes to the app as it came.
    """
    fixed = ProxyFix(wsgi_app, x_for=1, x_proto=1, x_host=1)

    def app(environ, start_response):
        if environ.get("REMOTE_ADDR") in proxies:
            return fixed(environ, start_response)
        for header in [
            name for name in environ if name.startswith("HTTP_X_FORWARDED_")
        ]:
            del environ[header]
        return wsgi_app(environ, start_response)

    return app


@login_manager.unauthorized_handler
def sign_in_first():
    """Answer a visitor who is not signed in: 401
    JSON for the API, the sign-in form for a page."""
    if request.path.startswith("/api/"):
        # A program cannot follow a redirect to a
        # form: it gets the status and a reason.
        return {
            "error": "Sign in first: the API answers only a signed-in user."
        }, 401
    # What Flask-Login does without this handler:
    # flash the message, redirect with ?next=.
    flash(login_manager.login_message, login_manager.login_message_category)
    # Only a page is asked for again after sign-in. A form sent without an
    # account (a session that ended) is not: next would lead a GET to an
    # address that answers POST only (405). Nor is an address too long to send
    # back (auth.MAX_NEXT): nginx would answer 502 for the whole redirect.
    # Here, not at the top: auth.py imports this module
    from .auth import is_safe_path

    wanted = request.full_path.removesuffix("?")
    next_url = wanted if request.method == "GET" and is_safe_path(wanted) else None
    return redirect(login_url(login_manager.login_view, next_url=next_url))


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
