"""Forms for the suites: tools.forms.Forms, plus the cause in the student's terms when the CSRF check refuses a form."""
import re

from tools.forms import Forms as BrowserForms

from .messages import Mistake

# Flask-WTF's reasons for refusing a POST ("The CSRF token is missing.", "The CSRF tokens do not match.", ...).
CSRF_REASON = re.compile(r"The CSRF [^.<]*\.")


class Forms(BrowserForms):
    """Fill in and send a page's forms; a form the CSRF check refuses fails the test with the reason."""

    def submit(self, page, action, data=None, **kwargs):
        response = super().submit(page, action, data, **kwargs)
        if response.status_code == 400:
            reason = CSRF_REASON.search(response.get_data(as_text=True))
            if reason and "token is missing" in reason.group(0) and "session" not in reason.group(0):
                raise Mistake("csrf-missing", page=page, action=action)
            if reason:
                raise Mistake("csrf-invalid", page=page, action=action, reason=reason.group(0))
        return response
