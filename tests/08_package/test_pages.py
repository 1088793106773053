"""Step 08: every page, with two pages of tasks, is valid and links only to routes of the step; debug mode stays
off in every module of the package; `flask run` finds the package (step 07's tests, run against it)."""
from support.reuse import reused

# `python app.py` has no counterpart: the package is started by `flask --app taskman run` or gunicorn.
globals().update(reused("07_deploy", "test_pages", leave_out={"test_python_app_py_serves_on_127_0_0_1_port_5000"},
                        keep_concepts=True))
