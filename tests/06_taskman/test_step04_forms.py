"""What step 04 built still works in the complete task manager: sign-in, sign-up with its checks, flashes, health check."""
from support import expects
from support.step04_forms import *  # noqa: F401,F403  (the tests of step 04's forms, run in this suite)
from support.step04_forms import EMAIL_SHAPE, PASSWORD_LENGTH, USERNAME_LENGTH, USERNAME_TAKEN

# What those tests compare, named here for this step's box "What the checks expect".
expects.route("GET /login", "GET /signup", "GET /healthz")
expects.form("POST /login", "username", "password", "csrf_token")
expects.form("POST /signup", "username", "email", "password", "csrf_token")
expects.element('[role="alert"]', "#username-error", "#email-error", "#password-error", ".error[id]")
expects.text("Wrong username or password.", "Welcome back, student!", "Account created for ada.",
             USERNAME_LENGTH, USERNAME_TAKEN, EMAIL_SHAPE, PASSWORD_LENGTH)
expects.json({"status": "ok"})
