"""Submit a page's forms the way a browser does, hidden fields (the CSRF token) included."""
from html.parser import HTMLParser
from urllib.parse import urlsplit

from bs4 import BeautifulSoup

# Elements that have no end tag.
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


def parse(html):
    """Parse HTML into a BeautifulSoup tree."""
    return BeautifulSoup(html, "html.parser")


class FormSpans(HTMLParser):
    """Where each <form> of a page starts and ends in its text, with its attributes: (attributes, start, end).

    Read with the standard library's tokenizer alone, which is several times faster than building the page's
    whole tree. `unusual` is set when a form is nested, left open, or holds an end tag that closes something
    was opened outside it: BeautifulSoup would then cut the form elsewhere, so the caller parses the whole page.
    """

    def __init__(self, html):
        super().__init__(convert_charrefs=True)
        self.html, self.spans, self.unusual, self.open = html, [], False, None
        self.lines, newline = [0], html.find("\n")  # where each line starts, as getpos() counts lines
        while newline != -1:
            self.lines.append(newline + 1)
            newline = html.find("\n", newline + 1)
        self.feed(html)
        self.close()
        self.unusual = self.unusual or self.open is not None

    def position(self):
        line, column = self.getpos()
        return self.lines[line - 1] + column

    def handle_starttag(self, tag, attrs):
        if tag == "form":
            if self.open is not None:
                self.unusual = True
            self.open = ({name: "" if value is None else value for name, value in attrs}, self.position(), [])
        elif self.open is not None and tag not in VOID:
            self.open[2].append(tag)

    def handle_endtag(self, tag):
        if self.open is None:
            return
        if tag == "form":
            start = self.position()
            attributes, begin, _ = self.open
            self.spans.append((attributes, begin, self.html.index(">", start) + 1))
            self.open = None
        elif tag in self.open[2]:  # closes what the form opened (and what is still open inside that)
            del self.open[2][len(self.open[2]) - 1 - self.open[2][::-1].index(tag):]
        else:
            self.unusual = True


class Forms:
    """Fill in and send the forms a page shows, like Flask's tutorial's AuthActions helper."""

    def __init__(self, client):
        self.client = client

    def find(self, page, action):
        """Return the <form> on `page` that posts to `action`, failing clearly if there is none."""
        response = self.client.get(page)
        assert response.status_code == 200, f"GET {page} answered {response.status_code}"
        html = response.get_data(as_text=True)
        spans = FormSpans(html)
        if not spans.unusual:  # parse only the form's own text: the same tree, in a fraction of the time
            for attributes, start, end in spans.spans:
                if urlsplit(attributes.get("action", page)).path == action:
                    return parse(html[start:end]).form
        soup = parse(html)
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
