"""Statements: count the SQL statements a step's app sends to its database (step 10 on, Flask-SQLAlchemy).

    sent = Statements.of(app)                 listens to the app's engine (SQLAlchemy's before_cursor_execute)
    sent.during(lambda: client.get("/tasks")) the statements, as sent, while the action runs

The course suite of step 10 counts them per request (no N+1); the exercises of step 10 look at what they ask.
"""
import sqlalchemy


class Statements:
    """Every SQL statement the app's engine sends while counting (SQLAlchemy's before_cursor_execute)."""

    def __init__(self, engine):
        self.sent = []
        sqlalchemy.event.listen(engine, "before_cursor_execute", self.record)

    @classmethod
    def of(cls, app):
        """Count the statements of this app's Flask-SQLAlchemy engine."""
        assert "sqlalchemy" in app.extensions, "Attach Flask-SQLAlchemy to the app, so that its statements can be counted."
        with app.app_context():
            return cls(app.extensions["sqlalchemy"].engine)

    def record(self, connection, cursor, statement, parameters, context, executemany):
        self.sent.append(statement)

    def during(self, action):
        """The statements sent while action() runs."""
        self.sent = []
        action()
        return list(self.sent)
