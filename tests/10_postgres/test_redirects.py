"""Step 09's tests of this, run against step 10's app on SQLite (DATABASE_URL unset): the behaviour is the same."""
import pytest

import support.fuzz  # noqa: F401  (Hypothesis keeps its files outside the repository; the reused module uses it)
from support.reuse import reused

globals().update(reused("09_accounts", "test_redirects"))

pytestmark = pytest.mark.concept("the task manager from step 09, unchanged", "features-from-step-09",
                                 zh="第 09 步的任务管理器，保持不变")
