"""Step 09's tests of this, run against step 10's app on SQLite (DATABASE_URL unset): the behaviour is the same."""
import pytest

from support.reuse import reused

globals().update(reused("09_accounts", "test_usernames"))

pytestmark = pytest.mark.concept("the task manager from step 09, unchanged", "features-from-step-09",
                                 zh="第 09 步的任务管理器，保持不变")
