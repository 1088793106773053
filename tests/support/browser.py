"""TaskManager: the task manager's dashboard as a person sees it in Chromium (tests/browser/); and a person's
account there (step 09 on): sign_up, sign_out, submit.

The browser checks of every task manager step use it: the whole session of test_task_manager.py, two
people with accounts of their own in test_accounts.py, and the due dates of test_due_dates.py (step 10 on).
"""
import re

# The password of the people who sign up in the browser checks.
PASSWORD = "correct horse battery"


def submit(page, button):
    """Click a button and wait for the page it leads to; return that page's response."""
    with page.expect_navigation() as sent:
        page.get_by_role("button", name=button, exact=True).click()
    return sent.value


def sign_up(page, username, email):
    """Fill in the sign-up form, reached from the sign-in page, and send it."""
    page.goto("/login")
    with page.expect_navigation():
        page.get_by_role("main").get_by_role("link", name="Sign up", exact=True).click()
    page.get_by_label("Username", exact=True).fill(username)
    page.get_by_label("E-mail", exact=True).fill(email)
    page.get_by_label("Password", exact=True).fill(PASSWORD)
    return submit(page, "Sign up")


def sign_out(page):
    """Press the navigation's sign-out button (it names the user signed in)."""
    with page.expect_navigation() as sent:
        page.get_by_role("navigation").get_by_role("button", name="Sign out").click()
    return sent.value


class TaskManager:
    """The dashboard as a person sees it: what it lists, counts and says (the helpers read, tests act)."""

    def __init__(self, page):
        self.page = page

    def open(self):
        response = self.page.goto("/tasks")
        assert response.status == 200, f"/tasks answered {response.status}"
        assert self.page.url.split("?")[0].endswith("/tasks"), f"/tasks led to {self.page.url} (not signed in?)"

    def summaries(self):
        """The tasks' summaries as shown, newest first."""
        return self.page.locator(".tasks .summary").all_inner_texts()

    def counts(self):
        """{"total": n, "pending": n, "done": n} as the page shows them."""
        text = self.page.locator(".counts").inner_text()
        counts = {name: int(value) for value, name in re.findall(r"(\d+)\s*(total|pending|done)", text)}
        assert set(counts) == {"total", "pending", "done"}, f"The counts read {text!r}"
        return counts

    def flashes(self):
        """The one-time messages (role=status) on the page."""
        return self.page.get_by_role("status").all_inner_texts()

    def row(self, summary):
        """The list item of the task with this summary."""
        return self.page.locator(".tasks li").filter(has=self.page.get_by_role("link", name=summary, exact=True))

    def button(self, name):
        return self.page.get_by_role("button", name=name, exact=True)

    def field(self):
        return self.page.get_by_label("New task", exact=True)

    def submit(self, locator):
        """Click a button and wait for the page it leads to."""
        with self.page.expect_navigation():
            locator.click()

    def add(self, summary, due=None):
        """Add a task through the form; with due (2026-12-31), its due date too (step 10 on)."""
        self.field().fill(summary)
        if due is not None:
            self.page.get_by_label("Due date (optional)", exact=True).fill(due)
        self.submit(self.button("Add"))

    def due_date(self, summary):
        """The due date a task's row shows (its <time datetime>), or None when it shows none."""
        shown = self.row(summary).locator(".due time")
        return shown.get_attribute("datetime") if shown.count() else None

    def state(self):
        """What the page shows now, for comparisons."""
        return {"tasks": self.summaries(), "counts": self.counts()}
