"""Exercise 1 of step 04: an optional display name on the sign-up form, at most 50 characters."""
from support import assert_valid_page, parse
from support.exercises import exercise_concept
from support.messages import say
from support.signup import sign_up, stored_users

pytestmark = exercise_concept(__file__)


def test_the_form_has_a_labelled_name_field(client):
    html = client.get("/signup").get_data(as_text=True)
    assert_valid_page(html, "/signup")
    field = parse(html).find("input", attrs={"name": "name"})
    assert field is not None, say("注册表单里没有 name=\"name\" 的输入框。", "The sign-up form has no input named \"name\".")


def test_a_name_of_51_characters_is_refused_beside_its_field_and_kept(forms, app_module):
    response = sign_up(forms, name="n" * 51)
    assert response.status_code == 400, say("51 个字符的显示名称应该被拒绝（400），得到了 {got}。",
                                            "A display name of 51 characters should be refused with 400, got {got}.",
                                            got=response.status_code)
    soup = parse(response.get_data(as_text=True))
    field = soup.find("input", attrs={"name": "name"})
    assert field.get("value") == "n" * 51, say("被拒绝的表单应该保留填过的显示名称。", "The refused form should keep the name typed.")
    described = soup.find(id=field.get("aria-describedby") or "-")
    assert field.get("aria-invalid") == "true" and described is not None and "50" in described.get_text(), say(
        "显示名称旁边应该有一条错误（aria-invalid、aria-describedby），说明最多 50 个字符。",
        "The name field should carry an error beside it (aria-invalid, aria-describedby) that says 50 characters at most.")
    assert stored_users(app_module) == [] and not getattr(app_module, "DISPLAY_NAMES", {})


def test_a_name_of_50_is_stored_and_an_empty_one_is_the_username(forms, app_module):
    assert sign_up(forms, name="A" * 50).status_code == 302
    assert sign_up(forms, username="grace", email="grace@example.com", name="").status_code == 302
    names = getattr(app_module, "DISPLAY_NAMES", None)
    assert names == {"ada": "A" * 50, "grace": "grace"}, say(
        "DISPLAY_NAMES 是 {names}，应该是 {{'ada': 'AAA…', 'grace': 'grace'}}。",
        "DISPLAY_NAMES is {names}, expected {{'ada': 'AAA…', 'grace': 'grace'}}.", names=names)


def test_a_sign_up_without_the_field_still_works(forms):
    assert sign_up(forms).status_code == 302
