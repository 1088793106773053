"""Step 09: the step's own tests (tests/ beside the package) pass, reach the package's lines, and notice bugs: step
08's seeded bugs that still apply, and mistakes with accounts (tools/grade.py, BUGS["09_accounts"])."""
from support.reuse import reused

globals().update(reused("08_package", "test_your_tests", keep_concepts=True))
