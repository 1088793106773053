"""The pages about the site: home, docs and the health check."""
from flask import Blueprint, current_app, render_template
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from .models import db

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
        db.session.execute(text("SELECT 1"))
    except (SQLAlchemyError, OSError) as error:
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
