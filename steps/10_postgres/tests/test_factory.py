"""The factory makes a new app each time, configured
from the environment or from the test."""

import pytest
from flask import request

from taskman import create_app


def test_the_test_config_is_used(app, tmp_path):
    assert app.testing
    assert app.config["DATABASE"] == str(tmp_path / "tasks.db")


def test_each_call_makes_a_new_app(tmp_path):
    config = {"SECRET_KEY": "x" * 32, "DATABASE": str(tmp_path / "tasks.db")}
    assert create_app(config) is not create_app(config)


def test_without_a_test_config_the_environment_decides(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_SECRET", "s" * 40)
    monkeypatch.setenv("APP_DATABASE", str(tmp_path / "env.db"))
    monkeypatch.setenv("APP_HOSTS", "tasks.example.com")
    app = create_app()
    assert app.secret_key == "s" * 40
    assert app.config["DATABASE"] == str(tmp_path / "env.db")
    assert app.config["TRUSTED_HOSTS"] == ["tasks.example.com"]
    assert not app.testing


def test_a_short_secret_stops_the_app(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("APP_SECRET", "short")
    with pytest.raises(SystemExit, match="APP_SECRET"):
        create_app({"DATABASE": str(tmp_path / "tasks.db")})


def test_development_needs_no_secret(monkeypatch, tmp_path):
    monkeypatch.setenv("APP_ENV", "development")
    monkeypatch.delenv("APP_SECRET", raising=False)
    app = create_app({"DATABASE": str(tmp_path / "tasks.db")})
    assert app.secret_key == "dev"
    assert not app.config["SESSION_COOKIE_SECURE"]


def test_debug_in_production_stops_the_app(monkeypatch, tmp_path):
    monkeypatch.delenv("APP_ENV", raising=False)
    monkeypatch.setenv("FLASK_DEBUG", "1")
    with pytest.raises(SystemExit, match="FLASK_DEBUG"):
        create_app(
            {"SECRET_KEY": "x" * 32, "DATABASE": str(tmp_path / "tasks.db")}
        )


def test_a_database_that_cannot_be_opened_stops_the_app(tmp_path):
    with pytest.raises(SystemExit, match="cannot use the database"):
        create_app({"SECRET_KEY": "x" * 32, "DATABASE": str(tmp_path)})


def test_forwarding_headers_count_only_from_the_proxies(app, client):
    """X-Forwarded-For and -Host from anyone but
    nginx (APP_PROXIES) are dropped, not believed."""
    seen = []
    app.before_request(lambda: seen.append((request.remote_addr, request.host)))
    forged = {"X-Forwarded-For": "203.0.113.9", "X-Forwarded-Host": "evil.example"}
    client.get("/", headers=forged, environ_base={"REMOTE_ADDR": "192.0.2.20"})
    client.get("/", headers=forged, environ_base={"REMOTE_ADDR": "127.0.0.1"})
    assert seen == [("192.0.2.20", "localhost"), ("203.0.113.9", "evil.example")]
