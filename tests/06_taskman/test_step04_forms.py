"""What step 04 built still works in the complete task manager: sign-in, sign-up with its checks, flashes, health check."""
from support.step04_forms import *  # noqa: F401,F403  (the tests of step 04's forms, run in this suite)
