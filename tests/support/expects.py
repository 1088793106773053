"""What a student's app must produce, declared where the tests check it: the box "What the checks expect".

    assert flashes(page) == [(["flash", "success"], expects.text("Task added."))]
    TAKEN = expects.text("That username is already taken.")
                                    a text a page shows or a command prints, exactly. The call returns its
                                    argument, so the test compares with the declaration itself.
    expects.text("taken", where="flask create-user ada; flask create-user ADA")
                                    where says where the text shows (a command line or a route), when its words
                                    alone would not
    expects.text(f"There is no task #{task_id}.")
                                    an f-string: the box shows {task_id} where the value varies
    expects.json({"status": "ok"})  a JSON answer, exactly
    expects.route("GET /tasks", "POST /tasks/<int:task_id>/toggle")
                                    routes, as Flask writes them
    expects.form("POST /signup", "username", "email", "password", "csrf_token")
                                    a form: where it posts, and the names of its fields
    expects.element("#username-error", '[role="alert"]')
                                    what the tests find a part of a page by (CSS selectors)
    expects.file("deploy/nginx.conf", comments=["{{UPSTREAM}}"])
                                    a file of the step's folder, and what it (or its comments) must contain
    expects.command("flask create-user NAME")
                                    a command the app answers
    expects.header("X-Frame-Options: DENY")
                                    a response header, and its value
    expects.env("APP_SECRET")       an environment variable the app reads

    steps=("07_deploy",)            (any of them) only in this step's box, not in that of a later step that
                                    reuses the test module (step 08 runs step 07's tests on a package)

tools/expects.py reads these calls from the tests' source with ast, without running anything, so their
arguments are written out: strings, f-strings, or string constants of the module (or of a support module it
imports them from). Every call returns its first argument (or all of them, when there are several).
"""


def _declared(*values, **details):
    """The value(s) declared, unchanged: the test goes on using them."""
    return values[0] if len(values) == 1 else values


text = json = route = form = element = header = file = command = env = _declared
