"""TaskManager: the task manager's dashboard as a person sees it in Chromium (tests/browser/).

The browser checks of every task manager step use it: the whole session of test_task_manager.py, and two
people with accounts of their own in test_accounts.py.
"""
import re


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

    def add(self, summary):
        self.field().fill(summary)
        self.submit(self.button("Add"))

    def state(self):
        """What the page shows now, for comparisons."""
        return {"tasks": self.summaries(), "counts": self.counts()}
