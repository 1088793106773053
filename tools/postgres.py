"""A throwaway PostgreSQL server: initdb and pg_ctl in a temporary folder (the tests' and the bench's).

It listens on 127.0.0.1 only, on a free port, and on a Unix socket in its own folder; fsync is off (the data
is thrown away anyway), and max_connections is set here, not left to the default. PostgreSQL refuses to
run as root: where this runs as root, initdb and the server run as the `postgres` system user (or `nobody`),
who owns the folder. tests/support/postgres.py makes it a pytest fixture.
"""
import contextlib
import glob
import itertools
import os
import secrets
import shutil
import subprocess
import tempfile
from pathlib import Path

from tools.servers import free_port

# Two app servers x 4 workers x a pool of 5 (and its overflow) stay well under it; see step 10's config.
MAX_CONNECTIONS = 100
USER = "taskman"
# Where the Debian and Ubuntu packages put the programs (not on PATH), newest version first.
CANDIDATES = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"), reverse=True)
_names = itertools.count(1)


def find_initdb():
    """initdb's path, on PATH or where Debian puts it; None when PostgreSQL is not installed."""
    for candidate in ("initdb", *CANDIDATES):
        found = shutil.which(candidate)
        if found:
            return found
    return None


def server_user():
    """The unprivileged user to run PostgreSQL as, when this runs as root (None otherwise)."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        return None
    import pwd

    for name in ("postgres", "nobody"):
        with contextlib.suppress(KeyError):
            return pwd.getpwnam(name)
    raise RuntimeError("This runs as root and there is neither a postgres nor a nobody user to run PostgreSQL as.")


class Cluster:
    """One PostgreSQL server with its data in `folder`, run by the programs beside `initdb`."""

    def __init__(self, initdb, folder, durable=False):
        # durable: fsync and full-page writes on, as in production (the bench); the tests' data need neither.
        self.durable = durable
        self.bin = Path(initdb).resolve().parent
        self.folder = Path(folder)
        self.data = self.folder / "data"
        self.port = free_port()
        self.password = secrets.token_hex(16)
        self.user = server_user()

    def run(self, *command):
        """Run one of PostgreSQL's programs, as the unprivileged user if we are root; fail with its output."""
        options = {"user": self.user.pw_uid, "group": self.user.pw_gid, "extra_groups": []} if self.user else {}
        result = subprocess.run([str(self.bin / command[0]), *command[1:]], capture_output=True, text=True,
                                timeout=120, cwd=self.folder, **options)
        if result.returncode != 0:
            log = self.folder / "server.log"
            server = log.read_text(errors="replace")[-3000:] if log.is_file() else ""
            raise RuntimeError(f"{command[0]} failed:\n{result.stdout}{result.stderr}{server}")
        return result.stdout

    def start(self):
        """initdb, the settings, then pg_ctl start (which waits until the server accepts connections)."""
        if self.user:
            os.chown(self.folder, self.user.pw_uid, self.user.pw_gid)
        password_file = self.folder / "password"
        password_file.write_text(self.password, encoding="utf-8")
        if self.user:
            os.chown(password_file, self.user.pw_uid, self.user.pw_gid)
        # Over TCP a password is needed (scram-sha-256); the Unix socket is in a folder only its owner can enter.
        self.run("initdb", "--pgdata", str(self.data), "--username", USER, "--pwfile", str(password_file),
                 "--auth-host", "scram-sha-256", "--auth-local", "trust", "--encoding", "UTF8", "--locale", "C",
                 "--no-sync")
        password_file.unlink()
        settings = {"listen_addresses": "'127.0.0.1'", "port": self.port,
                    "unix_socket_directories": f"'{self.folder.as_posix()}'", "max_connections": MAX_CONNECTIONS,
                    "fsync": "off", "full_page_writes": "off", "shared_buffers": "'32MB'",
                    "log_min_messages": "warning",
                    # A commit returns before its log record is on disk: a crash may lose the last few
                    # transactions, never corrupt the others; SQLite's WAL with synchronous=NORMAL (step 07) alike.
                    "synchronous_commit": "off"}
        if self.durable:
            del settings["fsync"], settings["full_page_writes"]
        with open(self.data / "postgresql.conf", "a", encoding="utf-8") as conf:
            conf.write("\n# The tests' throwaway server (tests/support/postgres.py)\n")
            conf.writelines(f"{name} = {value}\n" for name, value in settings.items())
        self.run("pg_ctl", "start", "--pgdata", str(self.data), "--log", str(self.folder / "server.log"),
                 "--wait", "--timeout", "60")
        return self

    def stop(self):
        """Stop the server at once (its data is thrown away), then remove its folder."""
        if (self.data / "postmaster.pid").is_file():
            with contextlib.suppress(RuntimeError, subprocess.TimeoutExpired):
                self.run("pg_ctl", "stop", "--pgdata", str(self.data), "--mode", "immediate", "--wait")
        shutil.rmtree(self.folder, ignore_errors=True)

    def url(self, database="postgres", driver="postgresql+psycopg"):
        """The database's URL over TCP, with the password (SQLAlchemy's form; driver="postgresql" for psycopg)."""
        return f"{driver}://{USER}:{self.password}@127.0.0.1:{self.port}/{database}"

    def sql(self, statement, database="postgres"):
        """Run one SQL statement with psql over the Unix socket; return what it printed (rows as a|b lines)."""
        return self.run("psql", "--host", str(self.folder), "--port", str(self.port), "--username", USER,
                        "--dbname", database, "--no-psqlrc", "--tuples-only", "--no-align",
                        "--set", "ON_ERROR_STOP=1", "--command", statement)

    def create_database(self, name=None):
        """A new, empty database (from template0: nothing another test left in template1); returns its name."""
        name = name or f"test_{next(_names)}"
        self.sql(f'CREATE DATABASE "{name}" TEMPLATE template0')
        return name


@contextlib.contextmanager
def throwaway_cluster(initdb, durable=False):
    """A PostgreSQL server for the with-block, in a new temporary folder; stopped and removed after it."""
    # Not under pytest's temporary folder: as root, that one is closed to the postgres user.
    cluster = Cluster(initdb, tempfile.mkdtemp(prefix="postgres-"), durable)
    try:
        yield cluster.start()
    finally:
        cluster.stop()
