"""Signing in with the demo account and signing up."""
import pytest


def test_sign_in(client, tasks):
    response = tasks.post("/login", {"username": "student", "password": "flask"})
    assert response.headers["Location"] == "/"


def test_a_wrong_password_is_refused(tasks):
    response = tasks.post("/login", {"username": "student", "password": "nope"})
    assert response.status_code == 401
    assert "Wrong username or password." in response.get_data(as_text=True)


def test_sign_up_then_the_name_is_taken(client, tasks):
    data = {
        "username": "ada",
        "email": "ada@example.com",
        "password": "long enough",
    }
    response = tasks.post("/signup", data)
    assert response.headers["Location"] == "/"
    assert "Account created for ada." in client.get("/").get_data(as_text=True)
    again = tasks.post("/signup", dict(data, username="ADA"))
    assert again.status_code == 400
    assert "That username is already taken." in again.get_data(as_text=True)


@pytest.mark.parametrize(
    "field, value, message",
    [
        ("username", "ab", "A username has 3 to 30 characters."),
        ("email", "ada", "Enter an e-mail address such as ada@example.com."),
        ("password", "short", "A password has 8 to 128 characters."),
    ],
)
def test_a_bad_sign_up_is_refused(tasks, field, value, message):
    data = dict(
        {"username": "ada", "email": "ada@example.com", "password": "long enough"},
        **{field: value},
    )
    response = tasks.post("/signup", data)
    assert response.status_code == 400
    assert message in response.get_data(as_text=True)
