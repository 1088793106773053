"""What step 04 built still works in the package: sign-in, sign-up with its checks, flashes, health check."""
import pytest

from support import expects
from support.step04_forms import *  # noqa: F401,F403  (the tests of step 04's forms, run in this suite)
from support.step04_forms import EMAIL_SHAPE, PASSWORD_LENGTH, USERNAME_LENGTH, USERNAME_TAKEN

pytestmark = [pytest.mark.concept("the task manager from step 07, unchanged", "features-from-step-07",
                                  zh="第 07 步的任务管理器，保持不变"), pytest.mark.later]

# What those tests compare, named here for this step's box "What the checks expect".
expects.route("GET /login", "GET /signup", "GET /healthz")
expects.form("POST /login", "username", "password", "csrf_token")
expects.form("POST /signup", "username", "email", "password", "csrf_token")
expects.element('[role="alert"]', "#username-error", "#email-error", "#password-error", ".error[id]")
expects.text("Wrong username or password.", USERNAME_LENGTH, USERNAME_TAKEN, EMAIL_SHAPE, PASSWORD_LENGTH)
# (From step 09 on there is no demo account, and a new account lands on its dashboard: those tests are left out.)
expects.text("Welcome back, student!", "Account created for ada.", steps=["08_package"])
expects.json({"status": "ok"})
