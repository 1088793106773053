"""What step 04 built still works in production: sign-in, sign-up with its checks, flashes, health check."""
import pytest

from support.step04_forms import *  # noqa: F401,F403  (the tests of step 04's forms, run in this suite)

# Step 07's course page explains them with the rest of step 06's features.
pytestmark = [pytest.mark.concept("the task manager from step 06, unchanged", "features-from-step-06",
                                  zh="第 06 步的任务管理器，保持不变"), pytest.mark.later]
