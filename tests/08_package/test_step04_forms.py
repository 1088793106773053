"""What step 04 built still works in the package: sign-in, sign-up with its checks, flashes, health check."""
import pytest

from support.step04_forms import *  # noqa: F401,F403  (the tests of step 04's forms, run in this suite)

pytestmark = [pytest.mark.concept("the task manager from step 07, unchanged", "features-from-step-07",
                                  zh="第 07 步的任务管理器，保持不变"), pytest.mark.later]
