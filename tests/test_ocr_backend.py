"""The `ocr` backend on real Chromium screenshots of the demo site: real OCR, no mocks.

Each screenshot is taken and parsed once per module (module-scoped fixtures) to keep the suite fast.
"""

from __future__ import annotations

import pytest

from agent.errors import BackendError, UnsupportedQuestion
from vision.backend import load_backend
from vision.ocr import OcrBackend
from vision.types import KINDS, image_hash


@pytest.fixture(scope="module")
def backend() -> OcrBackend:
    return OcrBackend()


@pytest.fixture(scope="module")
def login(shoot):
    return shoot("login.html")


@pytest.fixture(scope="module")
def login_parse(backend, login):
    return backend.parse(login)


def _find(parse, kind, text):
    """Elements of `kind` whose text or label contains `text` (case-insensitive)."""
    return [e for e in parse.elements if e.kind == kind and (text.lower() in e.text.lower()
                                                             or text.lower() in e.label.lower())]


def _one(parse, kind, text):
    found = _find(parse, kind, text)
    assert len(found) == 1, [(e.kind, e.name) for e in parse.elements]
    return found[0]


# -- login ---------------------------------------------------------------------------------------------

def test_login_sign_in_button(login_parse):
    button = _one(login_parse, "button", "sign in")
    assert button.disabled is False
    x1, y1, x2, y2 = button.box
    assert x2 - x1 > 200 and 30 < y2 - y1 < 60  # the full-width button, not just its caption


def test_login_fields_have_their_labels(login_parse):
    email = _one(login_parse, "input", "Email address")
    assert email.label == "Email address" and email.text == ""  # the placeholder is not a value
    password = _one(login_parse, "input", "Password")
    assert password.box[1] > email.box[3]


def test_login_remember_me_unchecked_then_checked(login_parse, shoot, backend):
    box = _one(login_parse, "checkbox", "Remember me")
    assert box.checked is False
    checked = backend.parse(shoot("login.html", setup=lambda page: page.click("#remember")))
    assert _one(checked, "checkbox", "Remember me").checked is True


def test_login_parse_is_well_formed(login_parse, login):
    assert (login_parse.width, login_parse.height) == login.size
    assert [e.id for e in login_parse.elements] == list(range(1, len(login_parse.elements) + 1))
    assert all(e.kind in KINDS for e in login_parse.elements)
    assert _find(login_parse, "link", "Forgot password")
    assert _find(login_parse, "text", "Sign in to Acme")
    # Reading order: top to bottom.
    tops = [e.box[1] for e in login_parse.elements]
    assert tops.index(min(tops)) < 3


# -- the Chinese admin page ----------------------------------------------------------------------------

@pytest.fixture(scope="module")
def admin_parse(backend, shoot):
    return backend.parse(shoot("admin.html"))


def test_admin_login_button_and_fields(admin_parse):
    _one(admin_parse, "button", "登录")
    assert _one(admin_parse, "input", "用户名").label == "用户名"
    assert _one(admin_parse, "input", "密码").label == "密码"
    assert _one(admin_parse, "checkbox", "记住我").checked is False


# -- settings: radios, checkboxes, select, disabled ---------------------------------------------------

@pytest.fixture(scope="module")
def settings_parse(backend, shoot):
    return backend.parse(shoot("settings.html"))


def test_settings_radios(settings_parse):
    assert _one(settings_parse, "radio", "Light").checked is True
    assert _one(settings_parse, "radio", "Dark").checked is False


def test_settings_disabled_button_and_enabled_one(settings_parse):
    assert _one(settings_parse, "button", "Delete account").disabled is True
    assert _one(settings_parse, "button", "Save settings").disabled is False


def test_settings_language_is_a_select(settings_parse):
    select = _one(settings_parse, "select", "Language")
    assert select.text == "English"


def test_settings_checkboxes_and_textarea(settings_parse):
    assert _one(settings_parse, "checkbox", "Email notifications").checked is True
    assert _one(settings_parse, "checkbox", "SMS notifications").checked is False
    assert _one(settings_parse, "textarea", "Bio").text == ""


# -- DPR 2 ---------------------------------------------------------------------------------------------

def test_dpr2_boxes_are_twice_dpr1(backend, shoot, login_parse):
    hi = backend.parse(shoot("login.html", scale=2))
    assert (hi.width, hi.height) == (2 * login_parse.width, 2 * login_parse.height)
    for kind, text in (("button", "sign in"), ("input", "Email address"), ("checkbox", "Remember me")):
        lo_box, hi_box = _one(login_parse, kind, text).box, _one(hi, kind, text).box
        for a, b in zip(lo_box, hi_box, strict=True):
            assert abs(2 * a - b) <= 6, (kind, lo_box, hi_box)


# -- cache, locate, ask, options -----------------------------------------------------------------------

def test_cache_returns_the_same_parse(backend, login, login_parse):
    assert backend.parse(login) is login_parse
    assert backend.parse(login.copy()) is login_parse  # keyed by pixels, not by object
    fresh = OcrBackend(max_cache=1)
    first = fresh.parse(login)
    fresh.parse(login.crop((0, 0, 640, 400)))  # evicts the first (LRU of one)
    assert fresh.parse(login) is not first
    assert image_hash(login)


def test_locate_grounds_on_the_cached_parse(backend, login, login_parse):
    loc = backend.locate(login, '"Sign in" button')
    assert loc.found and loc.element is not None and loc.element.kind == "button"
    x1, y1, x2, y2 = _one(login_parse, "button", "sign in").box
    assert x1 <= loc.point[0] <= x2 and y1 <= loc.point[1] <= y2
    field = backend.locate(login, '"Email address" field')
    assert field.found and field.element.kind == "input"
    assert not backend.locate(login, '"Create project" button').found


def test_ask_reads_the_screen(backend, login):
    assert "sign in" in backend.ask(login, "what buttons are there?").text.lower()
    assert "sign in" in backend.ask(login, "有哪些按钮").text.lower()
    assert backend.ask(login, "what does the heading say?").text == "Sign in to Acme"
    assert backend.ask(login, 'is "Forgot password?" visible?').text == "yes"
    assert backend.ask(login, 'is "Create project" visible?').text == "no"
    assert backend.ask(login, 'is "Remember me" checked?').text == "no"
    answer = backend.ask(login, "how many buttons are there?")
    assert answer.text == "1" and answer.elements[0].kind == "button"


def test_ask_reads_a_typed_value(backend, shoot):
    filled = shoot("login.html", setup=lambda page: page.fill("#email", "alice@example.com"))
    assert backend.ask(filled, 'what is in the "Email address" field?').text == "alice@example.com"
    assert backend.ask(filled, '"Password" 中填的是什么').text == ""


def test_unanswerable_question_names_the_model_backends(backend, login):
    with pytest.raises(UnsupportedQuestion, match="--backend glm"):
        backend.ask(login, "what colour scheme would suit this page better?")


def test_options_are_checked():
    assert OcrBackend(max_cache=2, det_limit_side_len=960).max_cache == 2
    with pytest.raises(BackendError, match="unknown option"):
        OcrBackend(colour="red")
    assert isinstance(load_backend("ocr"), OcrBackend)


def test_parse_regions_rereads_only_what_changed(backend, shoot):
    before_img = shoot("settings.html")
    before = backend.parse(before_img)
    sms = _one(before, "checkbox", "SMS notifications")
    after_img = shoot("settings.html", setup=lambda page: page.click("text=SMS notifications"))
    x1, y1, x2, y2 = sms.box
    after = backend.parse_regions(after_img, before, [(x1 - 4, y1 - 4, x2 + 4, y2 + 4)])
    assert _one(after, "checkbox", "SMS notifications").checked is True
    # Everything else is as a full parse of the new screenshot sees it.
    full = OcrBackend().parse(after_img)
    assert sorted((e.kind, e.name, e.checked) for e in after.elements) == \
        sorted((e.kind, e.name, e.checked) for e in full.elements)
