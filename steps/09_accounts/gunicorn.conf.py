"""gunicorn's settings for the task manager:
gunicorn -c gunicorn.conf.py "taskman:create_app()"
"""

import os

# Listen on loopback only: nginx, on the same
# machine, is the one client (Pitfall 6).
# Never 0.0.0.0 here: that would let anyone on
# the network reach gunicorn without nginx.
# GUNICORN_BIND may choose another loopback port or
# a unix socket: unix:/run/taskman/gunicorn.sock
bind = os.environ.get("GUNICORN_BIND", "127.0.0.1:8000")
# Worker processes that serve requests side
# by side; GUNICORN_WORKERS changes how many.
workers = int(os.environ.get("GUNICORN_WORKERS", "4"))
# Make the app once, in the master process, before starting the workers: a missing
# secret then stops gunicorn with one line, instead of every worker failing to boot
# over and over, and the database is created once, before any worker can use it.
preload_app = True
# "-" is the process's own output: the access log goes to stdout and
# errors to stderr, where systemd's journal or `docker logs` collect them.
accesslog = "-"
errorlog = "-"
