"""Step 09's tests of this, run against step 10's app on SQLite (DATABASE_URL unset): the behaviour is the same.

Left out: counts of tasks written straight into the database with SQL, which step 09's triggers counted; in
step 10 the app keeps the counts, in the transaction of each change (test_servers.py: on two app servers)."""
import pytest

from support.reuse import reused

globals().update(reused("09_accounts", "test_per_user_counts",
                        leave_out={"test_a_person_with_many_tasks_costs_another_nothing"}))

pytestmark = pytest.mark.concept("the task manager from step 09, unchanged", "features-from-step-09",
                                 zh="第 09 步的任务管理器，保持不变")
