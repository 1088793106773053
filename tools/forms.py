"""Submit a page's forms the way a browser does, hidden fields (the CSRF token) included."""
from urllib.parse import urlsplit

from bs4 import BeautifulSoup


def parse(html):
    """Parse HTML into a BeautifulSoup tree."""
    return BeautifulSoup(html, "html.parser")


class Forms:
    """Fill in and send the forms a page shows, like Flask's tutorial's AuthActions helper."""

    def __init__(self, client):
        self.client = client

    def find(self, page, action):
        """Return the <form> on `page` that posts to `action`, failing clearly if there is none."""
        response = self.client.get(page)
        assert response.status_code == 200, f"GET {page} answered {response.status_code}"
        soup = parse(response.get_data(as_text=True))
        for form in soup.find_all("form"):
            if urlsplit(form.get("action", page)).path == action:
                return form
        actions = [form.get("action") for form in soup.find_all("form")]
        raise AssertionError(f"The page {page} has no form that posts to {action} (forms found: {actions}).")

    def submit(self, page, action, data=None, **kwargs):
        """Load `page`, take the form posting to `action`, add `data` to its hidden fields, send it."""
        form = self.find(page, action)
        fields = {
            field["name"]: field.get("value", "")
            for field in form.find_all("input", type="hidden")
            if field.has_attr("name")
        }
        fields.update(data or {})
        method = form.get("method", "get").lower()
        if method == "post":
            return self.client.post(action, data=fields, **kwargs)
        return self.client.get(action, query_string=fields, **kwargs)
