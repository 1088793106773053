"""Spy on sqlite3.connect (steps 05 on): how many connections a request opens, and whether it closes them."""
import sqlite3


def record_connections(monkeypatch):
    """Replace sqlite3.connect, for this test, with a spy; return the list it fills with every connection opened."""
    opened = []
    real_connect = sqlite3.connect

    def spy(*args, **kwargs):
        connection = real_connect(*args, **kwargs)
        opened.append(connection)
        return connection

    monkeypatch.setattr(sqlite3, "connect", spy)
    return opened


def is_closed(connection):
    """A closed connection refuses to run anything."""
    try:
        connection.execute("SELECT 1")
    except sqlite3.ProgrammingError:
        return True
    return False
