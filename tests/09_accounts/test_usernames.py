"""One name, one account: a name is kept in its NFKC form and compared by its key, NFKC and case folded, so its
look-alikes (full-width, mathematical bold, another case) are the same name; a name does not mix the alphabets whose
letters look alike, nor hold a letter that draws nothing; and every length rule holds for the name as stored."""
import unicodedata

import pytest

from support import Forms, expects, parse
from support.accounts import PASSWORD, register, sign_in
from support.messages import expect
from support.signup import stored_users

pytestmark = pytest.mark.concept("one name, one account: names normalised", "usernames",
                                 zh="一个名字，一个账户：规范化的用户名")

TAKEN = expects.text("That username is already taken.")
MIXED = expects.text("A username does not mix Latin, Greek and Cyrillic letters.")
INVISIBLE = expects.text("A username has no invisible letters.")
CONTROL = expects.text("A username has no tabs, line breaks or other control characters.")
LENGTH = expects.text("A username has 3 to 30 characters.")

# Names that look like "alice" on a page, and what the sign-up answers once "alice" has an account.
LOOK_ALIKES = [
    ("ａｌｉｃｅ", TAKEN),         # full-width letters, as a Chinese or Japanese input method types them
    ("𝐚𝐥𝐢𝐜𝐞", TAKEN),             # mathematical bold
    ("ALICE", TAKEN),             # another case
    ("Ａｌｉｃｅ", TAKEN),         # both
    ("аlice", MIXED),             # a Cyrillic "а" first
    ("alicе", MIXED),             # a Cyrillic "е" last
    ("αlice", MIXED),             # a Greek alpha
    ("alice\u3164", INVISIBLE),   # the Hangul filler
    ("alice\u2800", INVISIBLE),   # the blank Braille pattern
    ("\u115falice", INVISIBLE),   # the Hangul choseong filler
    ("ali\u1160ce", INVISIBLE),   # the Hangul jungseong filler
    ("alice\uffa0", INVISIBLE),   # the half-width Hangul filler
    ("ali\u200bce", CONTROL),     # a zero-width space
    ("alice\u200d", CONTROL),     # a zero-width joiner
    ("\u2060alice", CONTROL),     # a word joiner
    ("al\u00adice", CONTROL),     # a soft hyphen
]


def sign_up(app, username, email="someone@example.com"):
    """A sign-up in a browser of its own: the response, not followed."""
    return register(Forms(app.test_client()), username, email=email)


def username_error(response):
    """The message the sign-up form shows beside the username, or None."""
    error = parse(response.get_data(as_text=True)).select_one(expects.element("#username-error"))
    return error.get_text(strip=True) if error else None


def stored_names(app_module):
    return [user["username"] for user in stored_users(app_module)]


def test_a_name_that_looks_like_a_taken_one_is_refused(app, app_module):
    """Pitfall 29: compared as typed, `ａｌｉｃｅ`, `𝐚𝐥𝐢𝐜𝐞`, "аlice" with a Cyrillic "а", or "alice" followed by a letter
    that draws nothing are new names, and accounts that pass for alice's on every page. Each is refused, with the
    reason: the same name as alice, two alphabets mixed, an invisible letter, an invisible format character.

    陷阱 29：按输入的原样比较，`ａｌｉｃｅ`、`𝐚𝐥𝐢𝐜𝐞`、首字母是西里尔字母“а”的“аlice”，或者后面跟着一个看不见的字母的“alice”，都是新名字，也就是在每个页面上都能冒充 alice 的账号。它们都会被拒绝，并说明原因：和 alice 是同一个名字、混用了两种字母、有看不见的字母、有看不见的格式字符。
    """
    assert sign_up(app, "alice").status_code == 302
    for look_alike, message in LOOK_ALIKES:
        response = sign_up(app, look_alike)
        expect(response.status_code == 400, "look-alike-name", taken="alice", look_alike=look_alike)
        assert username_error(response) == message, (look_alike, username_error(response))
    assert stored_names(app_module) == ["alice"]


@pytest.mark.parametrize("username", ["алиса", "αλίκη", "李ada", "josé_2", "ｊｏｓé"],
                         ids=["Cyrillic", "Greek", "Chinese and Latin", "Latin", "full-width Latin"])
def test_a_name_in_one_look_alike_alphabet_is_accepted(app, app_module, username):
    """Cyrillic or Greek alone, Chinese with Latin: nothing to mistake for another name."""
    response = sign_up(app, username)
    assert response.status_code == 302, username_error(response)
    assert stored_names(app_module) == [unicodedata.normalize("NFKC", username)]


def test_a_name_is_stored_in_its_plain_form_and_found_by_its_key(app, app_module):
    """ａｄａ is kept as "ada"; Straße signs in as STRASSE too (ß folds to "ss"), and "strasse" is taken."""
    assert sign_up(app, "ａｄａ").status_code == 302
    assert sign_up(app, "Straße").status_code == 302
    assert stored_names(app_module) == ["ada", "Straße"]
    for typed in ("ADA", "𝐚𝐝𝐚", "STRASSE", "ＳＴＲＡＳＳＥ", "straße"):
        assert sign_in(Forms(app.test_client()), typed, PASSWORD).status_code == 302, typed
    assert username_error(sign_up(app, "strasse")) == TAKEN


@pytest.mark.parametrize("username, why", [
    ("ﷺ" * 3, "3 characters typed, 54 once normalised"),
    ("ﬃ" * 11, "11 characters typed, 33 once normalised"),
    ("ß" * 30, "30 characters, a key of 60 once folded"),
    ("İ" + "a" * 29, "30 characters, a key of 31 once folded"),
    ("e\u0301" * 2, "4 characters typed, 2 once normalised"),
], ids=["Arabic ligature", "ffi ligature", "sharp s", "dotted capital I", "combining accent"])
def test_a_name_too_long_or_too_short_once_normalised_is_refused(app, app_module, username, why):
    """Pitfall 30: a length rule checked on the name as typed lets it grow past 30 characters once normalised or
    folded (ﷺ is one character and 18 in NFKC form, ß folds to "ss"): the rule holds for the stored name and for
    its key.

    陷阱 30：按输入的原样检查长度，名字在规范化或大小写折叠之后就可能超过 30 个字符（ﷺ 是一个字符，NFKC 之后是 18 个；ß 折叠成“ss”）：规则要对存下来的名字和它的键都成立。
    """
    response = sign_up(app, username)
    assert response.status_code == 400, f"{username!r} ({why}) answered {response.status_code}"
    assert username_error(response) == LENGTH, why
    assert stored_names(app_module) == []


@pytest.mark.parametrize("username, stored", [
    ("ß" * 15, "ß" * 15),             # its key, "ss" * 15, has 30 characters
    ("ﬃ" * 10, "ffi" * 10),           # 30 characters once normalised
    ("e\u0301" * 20, "\u00e9" * 20),  # 40 characters typed, 20 once normalised
], ids=["sharp s", "ffi ligature", "combining accent"])
def test_a_name_whose_stored_form_fits_is_accepted(app, app_module, username, stored):
    response = sign_up(app, username)
    assert response.status_code == 302, username_error(response)
    assert stored_names(app_module) == [stored]
