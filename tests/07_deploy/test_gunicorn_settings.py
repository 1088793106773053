"""gunicorn.conf.py: 4 workers, loopback only, the app loaded once in the master, logs to the output."""
import ipaddress
import runpy

import pytest

from support import expects

pytestmark = pytest.mark.concept("gunicorn's settings", "gunicorn-conf", zh="gunicorn 的配置")

expects.file("gunicorn.conf.py", names=["workers", "bind", "preload_app", "accesslog", "errorlog"])
expects.env("GUNICORN_BIND", "GUNICORN_WORKERS")


@pytest.fixture
def settings(app_dir, monkeypatch):
    """Read gunicorn.conf.py as gunicorn does (it is Python), with these environment variables set."""

    def read(**environment):
        for name in ("GUNICORN_BIND", "GUNICORN_WORKERS"):
            monkeypatch.delenv(name, raising=False)
        for name, value in environment.items():
            monkeypatch.setenv(name, value)
        path = app_dir / "gunicorn.conf.py"
        assert path.is_file(), "Write gunicorn's settings in gunicorn.conf.py beside app.py."
        return runpy.run_path(str(path))

    return read


def test_four_workers_by_default(settings):
    assert settings()["workers"] == 4


def test_gunicorn_workers_changes_how_many(settings):
    assert settings(GUNICORN_WORKERS="2")["workers"] == 2


def test_gunicorn_listens_on_loopback_port_8000_by_default(settings):
    """Pitfall 6: bound to 0.0.0.0, gunicorn would answer anyone on the network, with no nginx in front.

    陷阱 6：绑定在 `0.0.0.0` 上的 gunicorn 会回应网络上的任何人，前面没有 nginx 把关。
    """
    host, _, port = settings()["bind"].rpartition(":")
    assert ipaddress.ip_address(host).is_loopback
    assert port == "8000"


@pytest.mark.parametrize("bind", ["127.0.0.1:9000", "unix:/run/taskman/gunicorn.sock"])
def test_gunicorn_bind_chooses_another_port_or_a_unix_socket(settings, bind):
    assert settings(GUNICORN_BIND=bind)["bind"] == bind


def test_the_app_is_loaded_once_in_the_master(settings):
    """preload_app: a missing secret stops gunicorn at once instead of failing in every worker, forever."""
    assert settings()["preload_app"] is True


def test_access_and_error_logs_go_to_the_output(settings):
    config = settings()
    assert config["accesslog"] == "-"
    assert config["errorlog"] == "-"
