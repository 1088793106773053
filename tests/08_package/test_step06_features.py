"""Step 07's tests of this, run against step 08's package: the behaviour is the same."""
import pytest

from support.reuse import reused

globals().update(reused("07_deploy", "test_step06_features"))

pytestmark = [pytest.mark.concept("the task manager from step 07, unchanged", "features-from-step-07",
                                  zh="第 07 步的任务管理器，保持不变"), pytest.mark.later]
