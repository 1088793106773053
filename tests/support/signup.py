"""The sign-up form of steps 04 on: a form that passes every check, and filling it in with some fields changed."""

# A sign-up that every check accepts.
VALID = {"username": "ada", "email": "ada@example.com", "password": "correct horse"}


def sign_up(forms, **fields):
    """Fill in the sign-up form with valid values, except for `fields`, and send it."""
    return forms.submit("/signup", "/signup", {**VALID, **fields})


def email_of_length(length):
    """A well-formed e-mail address of exactly `length` characters (254 is the most allowed)."""
    domain = "@example.com"
    return "a" * (length - len(domain)) + domain
