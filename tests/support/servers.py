"""Real servers for the tests: the helpers live in tools/servers.py, shared with the instructor notebooks."""
from tools.servers import python, read_output, running, start, stop, wait_for  # noqa: F401
