"""Text matching and grounding on synthetic element lists (what a backend's parse would give)."""

from __future__ import annotations

import pytest

from vision.grounding import count_matches, ground, kind_rank, reading_order
from vision.scripted import ScriptedBackend
from vision.target import parse_target
from vision.textmatch import MATCH_THRESHOLD, SAME_TEXT, levenshtein, normalize, similarity, span, tier
from vision.types import Element

# ---------------------------------------------------------------- textmatch


@pytest.mark.parametrize("raw, norm", [
    ("ＯＫ", "ok"), ("sign  IN", "signin"), ("用户 管理", "用户管理"), ("Email:", "email"),
    ("邮箱：", "邮箱"),
    ("* Password", "password"), ("Password *", "password"), ("“Hi” — there…", '"hi"-there...'),
    ("Ｓｉｇｎ　ｉｎ", "signin"), ("\tA\nB ", "ab"),
])
def test_normalize(raw, norm):
    assert normalize(raw) == norm


@pytest.mark.parametrize("query, text", [
    ("OK", "ＯＫ"), ("sign  IN", "Sign in"), ("用户 管理", "用户管理"), ("Email", "Email:"),
    ("Email", "Email *"),
    ("Ｓｉｇｎ ｉｎ", "sign in"),
])
def test_exact_after_normalisation(query, text):
    assert similarity(query, text) == 1.0


@pytest.mark.parametrize("query, text", [
    ("Sign in", "Sign ln"),  # l for i
    ("Sign in", "SIgn in"),
    ("Password", "Passw0rd"),  # 0 for o
    ("Sign in", "Sign-in"),
    ("Account", "Account ▾"),  # an icon read as a glyph
    ("Close", "× Close"),
    ("Modern", "Modem"),  # rn for m
    ("Add to cart", "Add to cari"),  # a plain one-letter slip in a long enough word
    ("用户管理", "用户管埋"),  # a CJK look-alike
    ("Row 10", "Row lO"),
])
def test_ocr_slips_are_the_same_text(query, text):
    assert tier(similarity(query, text)) == 2, similarity(query, text)


@pytest.mark.parametrize("query, text", [
    ("OK", "On"), ("On", "OK"), ("Yes", "Yet"), ("删除", "删陈"), ("登录", "登陆"),  # short: no fuzz
    ("Row 1", "Row 2"), ("Row 10", "Row 11"), ("Item 2 of 10", "Item 3 of 10"),  # digits matter
    ("Delete", "Deleted"), ("Remember me", "Remember"), ("Sign", "Signup"),  # other words
    ("Email", "Password"), ("Row 1", "Row 10"), ("购物车", "购物卡"),
])
def test_different_texts_do_not_match(query, text):
    assert similarity(query, text) < MATCH_THRESHOLD, similarity(query, text)


def test_containment_is_a_match_but_weaker_than_exact_and_slips():
    exact = similarity("Sign in", "Sign in")
    slip = similarity("Sign in", "Sign ln")
    contained = similarity("Sign in", "Sign in to Acme")
    assert exact > slip > contained >= MATCH_THRESHOLD
    assert tier(contained) == 1
    # a whole word only: "in" as part of "Sign" is no match
    assert similarity("Sign", "Signature required") < MATCH_THRESHOLD
    # CJK has no spaces: characters are words
    assert tier(similarity("用户", "用户管理")) == 1
    # a slip inside a longer text still counts as containing it
    assert tier(similarity("Sign in", "Sign ln to Acme")) == 1
    assert tier(similarity("Welcome", "Welcome, alice")) == 1


def test_shorter_containment_scores_higher():
    assert similarity("Save", "Save draft") > similarity("Save", "Save this draft for later")


def test_symbol_queries():
    assert similarity("+", "+") == 1.0
    assert tier(similarity("+", "+ Add")) == 1
    assert similarity("+", "-") < MATCH_THRESHOLD


def test_empty_texts_never_match():
    assert similarity("", "Sign in") == 0.0
    assert similarity("Sign in", "") == 0.0


def test_levenshtein():
    assert levenshtein("kitten", "sitting") == 3
    assert levenshtein("", "abc") == 3
    assert levenshtein("用户", "用户名") == 1
    assert levenshtein("abcdef", "uvwxyz", limit=2) == 3


def test_span_of_a_phrase_in_a_line():
    assert span("删除", "查看编辑删除") == pytest.approx((2 / 3, 1.0))
    start, end = span("Sign in", "Please Sign In now")
    assert 0.3 < start < end < 0.9
    assert span("Checkout", "Please Sign In now") is None


def test_thresholds_are_ordered():
    assert 0 < MATCH_THRESHOLD < SAME_TEXT < 1


# ---------------------------------------------------------------- reading order

def E(kind, text, box, **kw):
    return Element(kind, text, box, **kw)


def test_reading_order_rows_with_slightly_different_y():
    els = [
        E("text", "c", (300, 104, 340, 124)),  # same row as a and b, 4 px lower
        E("text", "d", (10, 150, 60, 170)),
        E("text", "a", (10, 100, 60, 120)),
        E("button", "b", (100, 96, 180, 128)),  # taller, centre 2 px higher
        E("text", "e", (200, 152, 260, 168)),
    ]
    assert [e.text for e in reading_order(els)] == ["a", "b", "c", "d", "e"]


def test_reading_order_separates_rows_more_than_half_a_height_apart():
    els = [E("text", "lower", (0, 113, 50, 133)), E("text", "upper", (100, 100, 150, 120))]
    assert [e.text for e in reading_order(els)] == ["upper", "lower"]
    close = [E("text", "right", (100, 109, 150, 129)), E("text", "left", (0, 100, 50, 120))]
    assert [e.text for e in reading_order(close)] == ["left", "right"]


# ---------------------------------------------------------------- a login form


@pytest.fixture
def login():
    return [
        E("text", "Sign in", (560, 20, 640, 44)),  # the page heading
        E("text", "Email", (100, 100, 150, 120)),
        E("input", "", (100, 125, 400, 160)),
        E("text", "Password", (100, 180, 170, 200)),
        E("input", "", (100, 205, 400, 240)),
        E("checkbox", "", (100, 260, 116, 276)),
        E("text", "Remember me", (122, 259, 220, 277)),
        E("button", "Sign in", (100, 300, 200, 340)),
        E("link", "Sign in with Google", (220, 300, 400, 340)),
        E("link", "Forgot password?", (100, 360, 230, 380)),
    ]


def test_exact_widget_wins(login):
    loc = ground('"Sign in" button', login)
    assert loc.found and loc.element == login[7]
    assert loc.point == (150, 320)
    assert loc.query == '"Sign in" button'
    assert login[0] in loc.candidates  # the heading is the next best


def test_widget_preferred_over_the_same_text(login):
    assert ground("Sign in", login).element == login[7]
    assert ground('"Sign in" text', login).element == login[0]


def test_same_words_beat_a_containing_widget_of_the_asked_kind():
    els = [E("link", "Sign in with Google", (220, 300, 400, 340)), E("text", "Sign in", (100, 300, 160, 320))]
    loc = ground('"Sign in" button', els)
    assert loc.element == els[1]
    assert "no button matches" in loc.detail


def test_kind_fallback_is_reported(login):
    loc = ground('"Forgot password?" button', login)
    assert loc.found and loc.element.kind == "link"
    assert "no button matches" in loc.detail


def test_field_found_from_a_separate_label(login):
    loc = ground('"Email" field', login)
    assert loc.element == login[2]
    x1, y1, x2, y2 = login[2].box
    assert x1 <= loc.point[0] <= x2 and y1 <= loc.point[1] <= y2
    assert "next to the text 'Email'" in loc.detail
    assert ground("Password field", login).element == login[4]
    assert ground('"Password" 输入框', login).element == login[4]


def test_field_right_of_its_label():
    els = [E("text", "用户名", (40, 100, 100, 120)), E("input", "", (120, 95, 420, 125)),
           E("text", "密码", (40, 150, 80, 170)), E("input", "", (120, 145, 420, 175))]
    assert ground('"用户名" 输入框', els).element == els[1]
    assert ground('"密码" 输入框', els).element == els[3]


def test_field_holding_its_placeholder_or_label():
    els = [E("input", "Search products", (100, 20, 500, 50)),
           E("input", "", (100, 100, 400, 130), label="Full name"),
           E("text", "Full name", (600, 100, 680, 120))]  # same words far away: not its label
    assert ground("Search products field", els).element == els[0]
    assert ground('"Full name" field', els).element == els[1]
    assert ground('"Full name"', els).element == els[1]  # widget over text


def test_label_too_far_from_any_field_is_not_a_field():
    els = [E("text", "Email", (100, 100, 150, 120)), E("input", "", (100, 600, 400, 640))]
    loc = ground('"Email" field', els, image_size=(1280, 800))
    assert loc.element == els[0]  # the text itself, said plainly
    assert "no input matches" in loc.detail


def test_kind_hint_for_fill_targets(login):
    assert ground("Email", login).element == login[1]
    assert ground("Email", login, kind_hint="input").element == login[2]


def test_checkbox_by_caption(login):
    loc = ground('"Remember me" checkbox', login)
    assert loc.element == login[5]
    assert ground("Remember me 复选框", login).element == login[5]
    assert ground('checkbox left of "Remember me"', login).element == login[5]


def test_checkbox_caption_itself_when_no_box_is_seen():
    els = [E("text", "I agree to the terms", (130, 259, 300, 277))]
    loc = ground('"I agree to the terms" checkbox', els)
    assert loc.element == els[0] and "caption" in loc.detail


def test_checkbox_with_its_own_label():
    els = [E("checkbox", "", (100, 100, 116, 116), label="Subscribe"),
           E("checkbox", "", (100, 140, 116, 156), label="Remember me")]
    assert ground('"Remember me" checkbox', els).element == els[1]


def test_ocr_slips_and_widths_still_ground():
    els = [E("button", "Sign ln", (10, 10, 90, 40)), E("button", "ＯＫ", (100, 10, 150, 40)),
           E("menu", "用户 管理", (10, 60, 120, 90))]
    assert ground("Sign in", els).element == els[0]
    assert ground("OK button", els).element == els[1]
    assert ground('"用户管理" 菜单', els).element == els[2]


def test_short_text_does_not_over_match():
    els = [E("button", "On", (10, 10, 60, 40))]
    loc = ground('"OK" button', els)
    assert not loc.found


def test_not_found_lists_nearest_candidates(login):
    loc = ground('"Sign up" button', login)
    assert not loc.found and loc.element is None and loc.point is None
    assert 0 < len(loc.candidates) <= 3
    assert loc.candidates[0].text.startswith("Sign")
    assert loc.to_json()["found"] is False


def test_not_found_with_nothing_similar():
    loc = ground("Checkout", [E("text", "用户中心", (0, 0, 50, 20))])
    assert not loc.found and loc.candidates == ()


def test_not_found_names_elements_of_the_asked_kind():
    els = [E("text", "Sign in to Acme", (0, 0, 200, 30)), E("text", "Remember me", (0, 50, 100, 70)),
           E("button", "sign in", (0, 100, 100, 140))]
    loc = ground('"Log in now" button', els)
    assert not loc.found
    assert loc.candidates[0] == els[2]  # nothing reads alike: the buttons on screen are the best hint
    assert els[1] not in loc.candidates


def test_alternative_reading_of_an_unquoted_label():
    els = [E("button", "Upload image", (10, 10, 120, 40)), E("image", "", (200, 10, 400, 200))]
    assert ground("Upload image", els).element == els[0]
    names = [E("text", "First name", (10, 10, 90, 30)), E("input", "", (100, 5, 300, 35)),
             E("text", "Last name", (10, 60, 90, 80)), E("input", "", (100, 55, 300, 85))]
    assert ground("Last name field", names).element == names[3]
    assert ground("First name field", names).element == names[1]


def test_deterministic(login):
    a = ground('"Sign in"', login)
    b = ground('"Sign in"', list(login))
    assert a == b


# ---------------------------------------------------------------- ordinals


@pytest.fixture
def table():
    els = [E("text", "用户列表", (50, 50, 150, 75))]
    for r in range(3):
        y = 100 + r * 50 + (r % 2) * 3  # rows drift a few pixels, as rendered text does
        els += [E("text", f"Row {r + 1}", (50, y, 120, y + 20)),
                E("button", "删除", (400, y - 5, 460, y + 27)),
                E("button", "编辑", (480, y - 5, 540, y + 27))]
    els += [E("text", "Total", (50, 300, 100, 320)), E("button", "Pay", (130, 297, 200, 325)),
            E("button", "Cancel", (50, 400, 130, 430))]
    return els


def test_ordinal_picks_second_row(table):
    for desc in ('第二个 "删除" 按钮', "the second 删除 button", 'the 2nd "删除" button'):
        loc = ground(desc, table)
        assert loc.element == table[5], desc
        assert len(loc.matches) == 3
        assert [m.box[1] for m in loc.matches] == sorted(m.box[1] for m in loc.matches)


def test_last_and_out_of_range_ordinals(table):
    assert ground('the last "删除" button', table).element == table[8]
    assert ground('最后一个 "删除" 按钮', table).element == table[8]
    assert ground('倒数第二个 "删除" 按钮', table).element == table[5]
    loc = ground('第五个 "删除" 按钮', table)
    assert not loc.found and "only 3 match" in loc.detail
    assert len(loc.candidates) == 3


def test_ordinal_counts_text_and_widgets_when_no_kind_is_asked(login):
    assert ground('the first "Sign in"', login).element == login[0]
    assert ground('the second "Sign in"', login).element == login[7]


def test_ordinal_counts_a_slipped_row_alongside_exact_ones():
    els = [E("button", "Add to cart", (10, 100 * i, 110, 100 * i + 30)) for i in range(1, 4)]
    els[1] = E("button", "Add to cari", els[1].box)
    assert ground('the second "Add to cart" button', els).element == els[1]


def test_count_matches(table, login):
    assert len(count_matches('"删除" buttons', table)) == 3
    assert len(count_matches('第二个 "删除" 按钮', table)) == 3  # the ordinal is ignored
    assert count_matches('"Export" button', table) == []
    # a text lying inside a widget with the same words is that widget's own text, counted once
    dup = [E("button", "Delete", (10, 10, 90, 40)), E("text", "Delete", (20, 15, 80, 35)),
           E("button", "Delete", (10, 60, 90, 90))]
    assert len(count_matches("Delete", dup)) == 2


# ---------------------------------------------------------------- relations


def test_below(table, login):
    assert ground('"删除" button below "Row 1"', table).element == table[5]
    assert ground('button below "Total"', table).element == table[12]
    assert ground('the field below "Password"', login).element == login[4]
    assert ground('"Password" 下方的 输入框', login).element == login[4]


def test_below_a_label_that_the_field_absorbed():
    # the backend joined the label to its field and kept no separate text for it
    els = [E("input", "", (100, 125, 400, 160), label="Email"), E("input", "", (100, 205, 400, 240),
                                                                    label="Password")]
    assert ground('the field below "Password"', els).element == els[1]


def test_above(login):
    loc = ground('"Email" field above "Password"', login)
    assert loc.element == login[2]
    assert ground('"Password" 上方的 输入框', login).element == login[2]


def test_right_of_and_left_of(table):
    assert ground('button right of "Total"', table).element == table[11]
    assert ground('"Total" 右边的 按钮', table).element == table[11]
    assert ground('"删除" button left of "编辑"', table).element == table[2]


def test_near(table):
    assert ground('button near "Total"', table).element == table[11]
    assert ground('"Total" 旁边的 按钮', table).element == table[11]


def test_inside_a_container_and_a_row(table):
    card = E("image", "", (600, 100, 900, 300))
    inside = E("button", "编辑", (700, 250, 760, 280))
    els = table + [card, inside]
    assert ground('"编辑" button inside the image', els).element == inside  # centre within the box
    assert ground('"删除" button in "Row 2"', table).element == table[5]  # the anchor's row
    assert ground('"编辑" 按钮 inside "Row 3"', table).element == table[9]
    # a heading's section: the first Delete below it
    assert ground('在"用户列表"中的"删除"按钮', table).element == table[2]


def test_relation_ordinal_counts_outward_from_the_anchor(table):
    loc = ground('the second "删除" button below "用户列表"', table)
    assert loc.element == table[5]


def test_relation_failures_say_why(table):
    loc = ground('button below "Nowhere"', table)
    assert not loc.found and "anchor" in loc.detail
    loc = ground('"Pay" button above "Row 1"', table)
    assert not loc.found and "none is above" in loc.detail
    assert loc.candidates == (table[11],)


# ---------------------------------------------------------------- kinds and the scripted backend


def test_kind_rank():
    assert kind_rank("button", "button") == 3
    assert kind_rank("input", "textarea") == 2
    assert kind_rank("button", "link") == 1
    assert kind_rank("button", "text") == 0
    assert kind_rank(None, "button") > kind_rank(None, "text")


def test_accepts_a_parsed_target(login):
    t = parse_target('"Sign in" button')
    assert ground(t, login).element == login[7]


def test_scripted_backend_grounds_through_this_module(login):
    from PIL import Image

    backend = ScriptedBackend(login)
    loc = backend.locate(Image.new("RGB", (800, 600)), '"Email" field')
    assert loc.found and loc.element.box == login[2].box


def test_a_field_with_a_longer_label_beats_the_bare_words_elsewhere():
    els = [E("text", "Email", (900, 40, 960, 60)),  # a column header far from any field
           E("input", "", (100, 125, 400, 160), label="Email address")]
    loc = ground('"Email" field', els, image_size=(1280, 800))
    assert loc.element == els[1]


def test_nothing_to_ground_on():
    loc = ground('"Sign in" button', [])
    assert not loc.found and loc.candidates == () and loc.matches == ()


# ---------------------------------------------------------------- shapes seen in real OCR parses


def test_checkbox_seen_as_a_small_icon_left_of_its_caption():
    els = [E("checkbox", "", (344, 599, 360, 615), label="邮件"),  # another option's box, labelled
           E("icon", "", (412, 599, 428, 615)), E("text", "短信", (436, 600, 463, 614)),
           E("icon", "", (480, 599, 496, 615)), E("text", "□ 站内信", (505, 600, 545, 614))]
    loc = ground('"短信" 复选框', els)
    assert loc.element == els[1] and "icon" in loc.detail
    assert ground('"站内信" 复选框', els).element == els[3]  # the □ glyph OCR read is ignored
    assert ground('"邮件" 复选框', els).element == els[0]


def test_a_text_does_not_take_a_field_that_has_its_own_label_nearby():
    els = [E("text", "开始日期", (357, 278, 411, 292)),  # a placeholder of a picker nobody detected
           E("text", "*目标描述：", (266, 328, 335, 342)),
           E("textarea", "", (343, 318, 888, 374), label="*目标描述：")]
    loc = ground('"开始日期" 输入框', els)
    assert loc.element == els[0]
    assert ground('"目标描述" 文本框', els).element == els[2]


def test_relation_geometry_beats_kind_and_text():
    els = [E("text", "王芳", (306, 368, 332, 382)),
           E("checkbox", "", (25, 338, 39, 354), label="订单管理"),  # sidebar, another row
           E("icon", "", (259, 368, 273, 382)),  # the row's own checkbox, seen as an icon
           E("link", "查看编辑删除", (1061, 369, 1178, 383)),  # OCR joined the row's three links
           E("text", "删除", (1151, 410, 1178, 424))]  # the next row's
    assert ground('checkbox left of "王芳"', els).element == els[2]
    loc = ground('"删除" in "王芳"', els)
    assert loc.element == els[3]
    assert 1140 <= loc.point[0] <= 1178  # aimed at the words inside the joined line


def test_point_aims_at_a_phrase_inside_a_long_line():
    line = E("text", "Welcome back. Please enter your details.", (473, 277, 718, 291))
    loc = ground("Welcome", [line])
    assert line.box[0] <= loc.point[0] < line.center[0]
    button = E("button", "Sign in to Acme", (100, 100, 300, 140))
    assert ground("Acme", [button]).point == button.center  # a widget is clicked in its middle


def test_ocr_reading_simplified_as_traditional_still_matches():
    # PP-OCR read the 删除 buttons of the demo admin page as 刪除 (seen in a real run).
    from vision.textmatch import normalize, similarity

    assert normalize("刪除") == normalize("删除")
    assert similarity("删除", "刪除") == 1.0
    els = [Element("button", "刪除", (1063, 234 + 55 * i, 1117, 266 + 55 * i)) for i in range(3)]
    loc = ground('第二个 "删除" 按钮', els)
    assert loc.found and loc.element.box == els[1].box
    assert len(ground('"删除" 按钮', els).matches) == 3


# ---------------------------------------------------------------- issue 9 classes, on element lists


def test_icon_glued_to_a_caption_is_not_part_of_it():
    """ "保密8": a user icon right after the caption, read as a character; "套餐A" stays a different label."""
    els = [E("radio", "", (10, 10, 26, 26), label="男"), E("radio", "", (60, 10, 76, 26), label="女"),
           E("radio", "", (110, 10, 126, 26), label="保密8"), E("text", "套餐A", (10, 60, 60, 76))]
    loc = ground('"保密" radio', els)
    assert loc.found and loc.element == els[2] and "contains" not in loc.detail, loc
    assert ground('"套餐"', els).detail.endswith("contains '套餐'")


def test_ordinal_counts_exact_cjk_labels_only():
    els = [E("button", "大型按钮", (10, 10, 90, 40)), E("button", "小型按钮", (100, 10, 170, 40)),
           E("button", "小型按钮", (180, 10, 250, 40))]
    assert ground('the first "小型按钮" button', els).element == els[1]
    assert ground('the second "小型按钮" button', els).element == els[2]
    assert not ground('the third "小型按钮" button', els).found


def test_heading_is_not_a_link_and_a_row_of_short_texts_is():
    els = [E("menuitem", "Pricing", (900, 10, 950, 24)), E("text", "Pricing", (40, 90, 200, 134)),
           E("text", "Plans for teams of every size.", (40, 150, 300, 166))]
    els += [E("text", w, (40 + 80 * k, 400, 100 + 80 * k, 414)) for k, w in enumerate(["Home", "Pricing", "FAQs"])]
    loc = ground('the second "Pricing" link', els)
    assert loc.found and loc.element == els[4], loc
    assert [m.box for m in loc.matches] == [els[0].box, els[4].box]
    assert ground('"Pricing" heading', els).element == els[1]


def test_checkbox_left_of_its_own_caption():
    els = [E("checkbox", "", (10, 10, 26, 26), label="Remember me"), E("link", "Forgot password?", (200, 10, 320, 26))]
    assert ground('checkbox left of "Remember me"', els).element == els[0]
    assert ground('link right of "Remember me"', els).element == els[1]
    assert not ground('checkbox right of "Remember me"', els).found


def test_pieces_side_by_side_join_only_when_the_name_is_nowhere_whole():
    """A brand and its version tag OCR read apart are one name; a pager's boxed "1" and "3" (its "2" not
    read) are not its "13", which is on screen whole (vision.geometry.wrapped_names)."""
    brand = [Element("text", "ZUI", (118, 23, 138, 35)), Element("text", "1.10.0", (154, 36, 190, 45)),
             Element("text", "Get started", (664, 205, 747, 221))]
    loc = ground('"ZUI 1.10.0" link', brand)
    assert loc.found and loc.element.text == "ZUI 1.10.0" and 118 <= loc.point[0] <= 190, loc
    pager = [Element("button", "1", (97, 39, 131, 73)), Element("button", "3", (163, 39, 197, 73)),
             Element("button", "13", (394, 39, 436, 73))]
    loc = ground('"13" link', pager)
    assert loc.found and loc.element.box == (394, 39, 436, 73), loc
    assert len(count_matches('"13" link', pager)) == 1


def test_a_short_word_with_dots_is_not_a_long_name_cut_off() -> None:
    # "Loading..." is a word of its own, not "Loading data" cut to fit: asserting the latter visible
    # must not pass on it. A long caption cut off by the page still matches the name it starts.
    assert similarity("Loading data", "Loading...") < MATCH_THRESHOLD
    assert similarity("Please wait for the results", "Please wait...") < MATCH_THRESHOLD
    assert similarity("按钮宽度自适应内容，达到最大值后折行", "按钮宽度自适应内容，达...") >= MATCH_THRESHOLD
