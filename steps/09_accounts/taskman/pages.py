"""The pages about the site: home, docs and the health check."""
import sqlite3

from flask import Blueprint, current_app, render_template

from .db import get_db

bp = Blueprint("pages", __name__)


@bp.route("/")
def index():
    """Show the home page."""
    return render_template("index.html")


@bp.route("/healthz")
def health():
    """Report, as JSON, whether the service can use
    its database: 200 if it can, 503 if not."""
    try:
        get_db().execute("SELECT 1")
    except (sqlite3.Error, OSError) as error:
        current_app.logger.error("Health check failed: %s", error)
        return {
            "status": "unavailable",
            "error": "the database cannot be used",
        }, 503
    return {"status": "ok"}


@bp.route("/docs")
def docs():
    """Explain the pages this service offers."""
    return render_template("docs.html")
