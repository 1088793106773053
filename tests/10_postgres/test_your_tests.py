"""Step 10: the step's own tests (tests/ beside the package) pass, reach the package's lines, and notice bugs: step
08's and 09's seeded bugs that still apply, and mistakes with the models and the migrations (tools/grade.py,
BUGS["10_postgres"]). They run on SQLite here; test_own_tests.py runs them on PostgreSQL too."""
from support.reuse import reused

globals().update(reused("08_package", "test_your_tests", keep_concepts=True))
