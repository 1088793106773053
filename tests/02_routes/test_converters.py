"""Dynamic URL segments with each converter, and what each converter refuses."""
import pytest

from support import expect_page, expects, parse, visible_text

pytestmark = pytest.mark.concept("dynamic segments and converters", "converters", zh="动态路径段与转换器")

expects.route("GET /hello/<name>", "GET /ticket/<int:ticket_id>", "GET /price/<float:amount>",
              "GET /temperature/<float(signed=True):celsius>", "GET /files/<path:filename>")


@pytest.mark.parametrize("name", ["Ada", "Grace Hopper", "café ✓ 任务"])
def test_string_converter_passes_the_segment_as_text(client, name):
    assert visible_text(expect_page(client, f"/hello/{name}")) == expects.text(f"Home Hello, {name}!")


def test_int_converter_passes_a_number(client):
    """The view gets an int, so it can do arithmetic: the next ticket after 42 is 43."""
    assert visible_text(expect_page(client, "/ticket/42")) == expects.text("Home Ticket #42 The next ticket is #43.")


@pytest.mark.parametrize("amount, shown, with_tax", [("9.99", "9.99", "11.99"), ("10.0", "10.00", "12.00"),
                                                    ("0.5", "0.50", "0.60")])
def test_float_converter_passes_a_number(client, amount, shown, with_tax):
    text = visible_text(expect_page(client, f"/price/{amount}"))
    assert text == expects.text(f"Home Price {shown} plus 20% tax is {with_tax}.")


@pytest.mark.parametrize("celsius, shown, fahrenheit", [("-4.5", "-4.5", "23.9"), ("-40.0", "-40.0", "-40.0"),
                                                        ("100.0", "100.0", "212.0"), ("36.6", "36.6", "97.9")])
def test_signed_float_converter_accepts_negative_numbers(client, celsius, shown, fahrenheit):
    text = visible_text(expect_page(client, f"/temperature/{celsius}"))
    assert text == expects.text(f"Home Temperature {shown} °C is {fahrenheit} °F.")


@pytest.mark.parametrize("filename", ["a/b/c.txt", "notes/today.txt", "readme"])
def test_path_converter_accepts_slashes(client, filename):
    response = expect_page(client, f"/files/{filename}")
    assert parse(response.get_data(as_text=True)).code.get_text() == filename
    assert visible_text(response) == expects.text(f"Home File You asked for {filename}.")


@pytest.mark.parametrize("url, reason", [
    ("/hello/a/b", "string stops at a slash"),
    ("/ticket/abc", "int needs digits"),
    ("/ticket/-1", "int is not signed"),
    ("/ticket/4.2", "int has no dot"),
    ("/price/100", "float needs a dot"),
    ("/price/abc", "float needs digits"),
    ("/price/-1.5", "float is not signed unless signed=True"),
    ("/temperature/20", "a signed float still needs a dot"),
    ("/temperature/abc", "a signed float needs digits"),
    ("/files/", "path needs at least one character"),
])
def test_converter_refuses_a_segment_with_404(client, url, reason):
    assert client.get(url).status_code == 404, reason
