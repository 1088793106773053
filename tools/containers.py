"""Docker for the tests of step 07's Dockerfile and step 10's compose.yaml, with no registry of images.

No registry of images can be reached from CI, so the images the steps' files name are made here from Debian's
packages, in two parts:

- `prepare` (as root, with the network: Debian's mirror and PyPI) makes a root file system with debootstrap
  (Python 3.11 with a venv in /usr/local, PostgreSQL, nginx) and downloads the steps' pinned wheels into a folder:
      sudo python3 -m tools.containers prepare FOLDER
  .ci/run does it before the suite and names the folder in COURSE_CONTAINERS.
- `Docker` (offline, for the tests) starts a Docker daemon of its own (its data in a temporary folder; no
  masquerading, so no container reaches past this machine), imports that file system as three images (the
  stand-in for python:3.11-slim, postgres:16 and nginx:1.27) and serves the wheels to `docker build` from the
  daemon's bridge address. Everything it made (containers, volumes, the daemon, its data) is gone when it ends.
A step's Dockerfile takes the base image and pip's index as build arguments: `build_args` are those values.
"""
import contextlib
import functools
import glob
import http.server
import io
import json
import os
import shutil
import signal
import subprocess
import sys
import tarfile
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEBIAN = "bookworm"
MIRROR = "http://deb.debian.org/debian"
# The images the steps' files name, and the stand-in for Python's (the Dockerfile's PYTHON_IMAGE).
PYTHON_IMAGE = "course/python:3.11-slim"
BASE_IMAGE = "course/debian:bookworm"
POSTGRES_IMAGE = "postgres:16"
NGINX_IMAGE = "nginx:1.27"
# The steps whose Dockerfile installs requirements.txt: their wheels are downloaded once, for Python 3.11.
STEPS_WITH_IMAGES = ("07_deploy", "08_package", "09_accounts", "10_postgres")

# The postgres image's entrypoint, as far as compose.yaml uses it: POSTGRES_USER, POSTGRES_PASSWORD and
# POSTGRES_DB make the cluster on the first start, in PGDATA on the volume; then the server, as postgres.
POSTGRES_ENTRYPOINT = """\
#!/bin/sh
set -eu
PGDATA="${PGDATA:-/var/lib/postgresql/data}"
user="${POSTGRES_USER:-postgres}"
as_postgres() { setpriv --reuid=postgres --regid=postgres --init-groups "$@"; }
mkdir -p "$PGDATA" /run/postgresql
chown postgres:postgres "$PGDATA" /run/postgresql
chmod 700 "$PGDATA"
if [ ! -s "$PGDATA/PG_VERSION" ]; then
    printf '%s\\n' "$POSTGRES_PASSWORD" > /tmp/password
    chown postgres /tmp/password
    as_postgres initdb -D "$PGDATA" -U "$user" --pwfile=/tmp/password --encoding=UTF8 --locale=C.UTF-8 \\
        --auth-local=trust --auth-host=scram-sha-256
    rm /tmp/password
    echo "host all all all scram-sha-256" >> "$PGDATA/pg_hba.conf"
    # Not on the usual socket while the database is made, so that pg_isready says "ready" only after it.
    as_postgres pg_ctl -D "$PGDATA" -w -o "-c listen_addresses= -c unix_socket_directories=/tmp" start
    if [ "${POSTGRES_DB:-$user}" != postgres ]; then
        as_postgres createdb -h /tmp -U "$user" "${POSTGRES_DB:-$user}"
    fi
    as_postgres pg_ctl -D "$PGDATA" -w -m fast stop
fi
exec setpriv --reuid=postgres --regid=postgres --init-groups postgres -D "$PGDATA" -c listen_addresses='*'
"""


def run(command, **options):
    """Run a command, failing with what it printed."""
    result = subprocess.run(command, capture_output=True, text=True, **options)
    if result.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, command))} failed ({result.returncode}):\n"
                           f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return result.stdout


def prepare(folder):
    """Make FOLDER/rootfs.tar (Debian with Python 3.11, PostgreSQL and nginx) and FOLDER/wheels."""
    folder = Path(folder).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    for step in STEPS_WITH_IMAGES:
        # The wheels for the images' Python (CPython 3.11 on Linux), whatever Python runs this; pip here has
        # this machine's settings (its index, its certificates), which the images' pip would not.
        run([sys.executable, "-m", "pip", "download", "--disable-pip-version-check", "--quiet",
             "--dest", str(folder / "wheels"), "--only-binary=:all:", "--python-version", "3.11",
             "--implementation", "cp", "--abi", "cp311", "--platform", "manylinux_2_28_x86_64",
             "--platform", "manylinux_2_17_x86_64", "--platform", "any",
             "-r", str(ROOT / "steps" / step / "requirements.txt")])
    rootfs = Path(tempfile.mkdtemp(prefix="course-rootfs-"))
    try:
        run(["debootstrap", "--variant=minbase", "--include=python3,python3-venv", DEBIAN, str(rootfs), MIRROR])
        # No service starts while packages are installed in the folder (policy-rc.d), and apt finds the mirror.
        policy = rootfs / "usr/sbin/policy-rc.d"
        policy.write_text("#!/bin/sh\nexit 101\n")
        policy.chmod(0o755)
        shutil.copy("/etc/resolv.conf", rootfs / "etc/resolv.conf")
        run(["chroot", str(rootfs), "sh", "-c", "apt-get update -qq && DEBIAN_FRONTEND=noninteractive "
             "apt-get install -y -qq --no-install-recommends postgresql nginx-light"])
        run(["chroot", str(rootfs), "python3", "-m", "venv", "/usr/local"])
        # The images' own state: no cluster of the package's (the entrypoint makes one), no default site, logs
        # on the container's output, and no package lists or downloads.
        for path in ["var/lib/postgresql", "etc/postgresql", "etc/nginx/sites-enabled/default",
                     "var/lib/apt/lists", "var/cache/apt", "etc/resolv.conf",
                     "usr/share/doc", "usr/share/man", "usr/share/info", "usr/share/locale"]:
            target = rootfs / path
            if target.is_dir() and not target.is_symlink():
                shutil.rmtree(target)
            else:
                target.unlink(missing_ok=True)
        (rootfs / "var/lib/postgresql").mkdir()
        run(["chroot", str(rootfs), "chown", "postgres:postgres", "/var/lib/postgresql"])
        for name, stream in (("access.log", "stdout"), ("error.log", "stderr")):
            log = rootfs / "var/log/nginx" / name
            log.unlink(missing_ok=True)
            log.symlink_to(f"/dev/{stream}")
        postgres_bin = sorted(glob.glob(str(rootfs / "usr/lib/postgresql/*/bin")))[-1]
        (folder / "postgres-bin").write_text("/" + str(Path(postgres_bin).relative_to(rootfs)))
        run(["tar", "-C", str(rootfs), "-cf", str(folder / "rootfs.tar"), "."])
    finally:
        shutil.rmtree(rootfs, ignore_errors=True)
    return folder


class Docker:
    """A Docker daemon of the tests' own, with the stand-in images and the wheels; use it in a with-block."""

    def __init__(self, prepared):
        self.prepared = Path(prepared)
        self.folder = None
        self.daemon = None
        self.server = None
        self.build_args = {}

    @property
    def env(self):
        """The environment for docker and docker compose: this daemon, and the build arguments (compose.yaml
        passes them on to its builds)."""
        return {**os.environ, "DOCKER_HOST": f"unix://{self.folder}/docker.sock", **self.build_args}

    def __call__(self, *arguments, timeout=600, check=True, cwd=None):
        """Run `docker ARGUMENTS` against this daemon; its CompletedProcess (output as text)."""
        result = subprocess.run(["docker", *arguments], capture_output=True, text=True, env=self.env,
                                timeout=timeout, cwd=cwd)
        if check and result.returncode != 0:
            raise RuntimeError(f"docker {' '.join(arguments)} failed ({result.returncode}):\n"
                               f"{result.stdout[-3000:]}{result.stderr[-3000:]}")
        return result

    def __enter__(self):
        # In the prepared folder (CI removes it at the end, whatever happened), with a short name: the daemon's
        # sockets live under it, and a socket's path has a length limit.
        self.folder = Path(tempfile.mkdtemp(prefix="docker-", dir=self.prepared))
        try:
            self.start_daemon()
            self.import_images()
            self.serve_wheels()
        except BaseException:
            self.__exit__(None, None, None)
            raise
        return self

    def start_daemon(self):
        """dockerd on overlay2 (layers shared, so a build takes seconds); where the kernel or the file system
        refuses overlay2, on vfs (every layer a full copy: minutes)."""
        for driver in ("overlay2", "vfs"):
            log = open(self.folder / "dockerd.log", "ab")
            self.daemon = subprocess.Popen(
                ["dockerd", f"--storage-driver={driver}", f"--data-root={self.folder}/data",
                 f"--exec-root={self.folder}/exec", f"--pidfile={self.folder}/dockerd.pid",
                 f"--host=unix://{self.folder}/docker.sock", "--ip-masq=false"],
                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
            log.close()
            deadline = time.monotonic() + 60
            while self("info", check=False, timeout=30).returncode != 0:
                if self.daemon.poll() is not None or time.monotonic() > deadline:
                    break
                time.sleep(0.5)
            else:
                return
            self.stop_daemon()
        raise RuntimeError("dockerd did not start:\n" + self.daemon_log())

    def stop_daemon(self):
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.daemon.pid, signal.SIGTERM)
        try:
            self.daemon.wait(timeout=60)
        except subprocess.TimeoutExpired:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.daemon.pid, signal.SIGKILL)
            self.daemon.wait()

    def daemon_log(self):
        return (self.folder / "dockerd.log").read_text(errors="replace")[-5000:]

    def import_images(self):
        rootfs = str(self.prepared / "rootfs.tar")
        postgres_bin = (self.prepared / "postgres-bin").read_text().strip()
        path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin"
        images = {
            PYTHON_IMAGE: [f"ENV PATH={path}", "ENV LANG=C.UTF-8", 'CMD ["python3"]'],
            POSTGRES_IMAGE: [f"ENV PATH={postgres_bin}:{path}", "ENV PGDATA=/var/lib/postgresql/data",
                             "COPY postgres-entrypoint /usr/local/bin/",
                             'ENTRYPOINT ["/usr/local/bin/postgres-entrypoint"]', "STOPSIGNAL SIGINT"],
            NGINX_IMAGE: [f"ENV PATH={path}", 'CMD ["nginx", "-g", "daemon off;"]', "STOPSIGNAL SIGQUIT"],
        }
        # One import (the slow part), then each image is that file system with its own settings.
        self("import", rootfs, BASE_IMAGE)
        for tag, settings in images.items():
            dockerfile = "\n".join([f"FROM {BASE_IMAGE}", *settings]) + "\n"
            self.build_from_files(tag, {"Dockerfile": dockerfile, "postgres-entrypoint": POSTGRES_ENTRYPOINT})

    def build_from_files(self, tag, files):
        """docker build with a context of these files ({name: text}), sent as a tar on standard input."""
        context = io.BytesIO()
        with tarfile.open(fileobj=context, mode="w") as archive:
            for name, text in files.items():
                data = text.encode()
                member = tarfile.TarInfo(name)
                member.size = len(data)
                member.mode = 0o755
                archive.addfile(member, io.BytesIO(data))
        result = subprocess.run(["docker", "build", "--quiet", "--tag", tag, "-"], input=context.getvalue(),
                                capture_output=True, env=self.env, timeout=300)
        if result.returncode != 0:
            raise RuntimeError(f"Building {tag} failed:\n{result.stdout.decode(errors='replace')[-3000:]}"
                               f"{result.stderr.decode(errors='replace')[-3000:]}")

    def serve_wheels(self):
        """The wheels, as a page of links for pip (--find-links), on the address the builds reach this
        machine at: the gateway of the daemon's bridge."""
        gateway = json.loads(self("network", "inspect", "bridge").stdout)[0]["IPAM"]["Config"][0]["Gateway"]
        handler = functools.partial(Quiet, directory=str(self.prepared / "wheels"))
        self.server = http.server.ThreadingHTTPServer((gateway, 0), handler)
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        port = self.server.server_address[1]
        self.build_args = {
            "PYTHON_IMAGE": PYTHON_IMAGE,
            "PIP_INDEX_URL": f"http://{gateway}:{port}/",
            "PIP_OPTIONS": f"--no-index --find-links http://{gateway}:{port}/ --trusted-host {gateway}",
        }

    def build_options(self):
        """--build-arg NAME=VALUE for each build argument, as `docker build` takes them."""
        return [option for name, value in self.build_args.items() for option in ("--build-arg", f"{name}={value}")]

    def __exit__(self, *exc):
        if self.server is not None:
            self.server.shutdown()
            self.server.server_close()
        if self.daemon is not None:
            with contextlib.suppress(Exception):
                containers = self("ps", "--all", "--quiet", timeout=60).stdout.split()
                if containers:
                    self("rm", "--force", "--volumes", *containers, timeout=300, check=False)
            self.stop_daemon()
        if self.folder is not None:
            # The daemon's mounts (volumes, shm), if it left any, before its folder goes.
            for line in reversed(Path("/proc/mounts").read_text().splitlines()):
                mount_point = line.split()[1]
                if mount_point.startswith(str(self.folder)):
                    subprocess.run(["umount", "--lazy", mount_point], capture_output=True)
            shutil.rmtree(self.folder, ignore_errors=True)


class Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


def main(argv=None):
    import argparse

    parser = argparse.ArgumentParser(prog="python -m tools.containers", description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    made = commands.add_parser("prepare", help="make the root file system and download the wheels (root, network)")
    made.add_argument("folder", type=Path)
    args = parser.parse_args(argv)
    folder = prepare(args.folder)
    print(f"Prepared {folder}: set COURSE_CONTAINERS={folder} for the container tests.")


if __name__ == "__main__":
    main()
