"""Target descriptions, English and Chinese, parsed into text, kind, ordinal and relation."""

from __future__ import annotations

import pytest

from vision.target import Relation, Target, parse_target


@pytest.mark.parametrize("desc, text, kind, ordinal", [
    # the examples of SCENARIO_FORMAT.md
    ('the second "Add to cart" button', "Add to cart", "button", 2),
    ('"Email" field', "Email", "input", None),
    ('"用户管理" 菜单', "用户管理", "menu", None),
    ('第二个 "删除" 按钮', "删除", "button", 2),
    # kind words before or after, with and without quotes
    ("the Sign in button", "Sign in", "button", None),
    ("Sign in button", "Sign in", "button", None),
    ("Sign in 按钮", "Sign in", "button", None),
    ('"登录"按钮', "登录", "button", None),
    ("登录按钮", "登录", "button", None),
    ('link "Home"', "Home", "link", None),
    ('单选框 "男"', "男", "radio", None),
    ("button labelled Save", "Save", "button", None),
    ('the "Settings" tab', "Settings", "tab", None),
    ('"设置" 标签页', "设置", "tab", None),
    ('"设置" 选项卡', "设置", "tab", None),
    ('"A" menu item', "A", "menuitem", None),
    ('"导出" 菜单项', "导出", "menuitem", None),
    ('"OK" radio button', "OK", "radio", None),
    ('"男" 单选按钮', "男", "radio", None),
    ('"Remember me" 复选框', "Remember me", "checkbox", None),
    ('"Remember me" 勾选框', "Remember me", "checkbox", None),
    ("Remember me checkbox", "Remember me", "checkbox", None),
    ("Country dropdown", "Country", "select", None),
    ('"Country" select', "Country", "select", None),
    ('"国家" 下拉框', "国家", "select", None),
    ('"国家" 选择框', "国家", "select", None),
    ('"Name" text field', "Name", "input", None),
    ('"Name" textbox', "Name", "input", None),
    ('"Name" input', "Name", "input", None),
    ('"用户名" 输入框', "用户名", "input", None),
    ('"用户名" 文本框', "用户名", "input", None),
    ('"首页" 链接', "首页", "link", None),
    ('"搜索" 图标', "搜索", "icon", None),
    ('"Logo" 图片', "Logo", "image", None),
    ('"Search" icon', "Search", "icon", None),
    ('"Banner" image', "Banner", "image", None),
    ('"欢迎" 文本', "欢迎", "text", None),
    ('"欢迎" 文字', "欢迎", "text", None),
    ('"Welcome" text', "Welcome", "text", None),
    # the kind word inside quotes is text
    ('"Sign in button"', "Sign in button", None, None),
    # ordinals, English and Chinese
    ('the last "Delete" button', "Delete", "button", -1),
    ('the first "Sign in"', "Sign in", None, 1),
    ('the third "Buy" link', "Buy", "link", 3),
    ('4th "Buy" button', "Buy", "button", 4),
    ('the 2nd "Buy" button', "Buy", "button", 2),
    ('the 11th "Row" text', "Row", "text", 11),
    ('the second to last "Delete" button', "Delete", "button", -2),
    ("the second Add to cart button", "Add to cart", "button", 2),
    ('最后一个 "删除" 按钮', "删除", "button", -1),
    ('第一个 "删除" 按钮', "删除", "button", 1),
    ('第三个 "删除" 按钮', "删除", "button", 3),
    ('第十个 "删除" 按钮', "删除", "button", 10),
    ('第十二个 "删除" 按钮', "删除", "button", 12),
    ('第2个"删除"按钮', "删除", "button", 2),
    ('倒数第二个 "删除" 按钮', "删除", "button", -2),
    ("第二个删除按钮", "删除", "button", 2),
    # plain text stays whole
    ("Sign in", "Sign in", None, None),
    ("Don't save", "Don't save", None, None),
    ("中国", "中国", None, None),
    ("在线帮助中心", "在线帮助中心", None, None),
    ("主菜单", "主菜单", None, None),
    ("Log in", "Log in", None, None),
])
def test_parse_simple(desc, text, kind, ordinal):
    t = parse_target(desc)
    assert (t.text, t.kind, t.ordinal, t.relation) == (text, kind, ordinal, None)
    assert t.source == desc


@pytest.mark.parametrize("desc", ['"Sign in"', "'Sign in'", "“Sign in”", "‘Sign in’", "「Sign in」",
                                  "『Sign in』",
                                  "＂Sign in＂", '"Sign in”'])
def test_quote_styles(desc):
    assert parse_target(desc) == Target("Sign in")


def test_text_outside_quotes_is_structure():
    t = parse_target('click the "Save" button at the top')
    assert (t.text, t.kind) == ("Save", "button")


@pytest.mark.parametrize("desc, subject, rel, anchor", [
    ('X below "Password"', Target("X"), "below", Target("Password")),
    ('checkbox left of "Remember me"', Target("", "checkbox"), "left_of", Target("Remember me")),
    ('"Email" field above "Password"', Target("Email", "input"), "above", Target("Password")),
    ('button near "Total"', Target("", "button"), "near", Target("Total")),
    ('"Delete" button inside "Row 2"', Target("Delete", "button"), "inside", Target("Row 2")),
    ('"Delete" button in "Row 2"', Target("Delete", "button"), "inside", Target("Row 2")),
    ('"Save" button right of "Cancel"', Target("Save", "button"), "right_of", Target("Cancel")),
    ('"Save" button to the right of "Cancel"', Target("Save", "button"), "right_of", Target("Cancel")),
    ('the field below the "Password" text', Target("", "input"), "below", Target("Password", "text")),
    ('the field that is below "Password"', Target("", "input"), "below", Target("Password")),
    ('button next to "Total"', Target("", "button"), "near", Target("Total")),
    ("button under Total", Target("", "button"), "below", Target("Total")),
    ('Log in button below "Email"', Target("Log in", "button"), "below", Target("Email")),
    ('the second "Delete" button below "Users"', Target("Delete", "button", 2), "below", Target("Users")),
    ('"密码" 下方的 输入框', Target("", "input"), "below", Target("密码")),
    ('"密码"下方的输入框', Target("", "input"), "below", Target("密码")),
    ("密码下方的输入框", Target("", "input"), "below", Target("密码")),
    ('"密码" 下面的 输入框', Target("", "input"), "below", Target("密码")),
    ('"密码" 上方的 按钮', Target("", "button"), "above", Target("密码")),
    ('"密码" 右边的 按钮', Target("", "button"), "right_of", Target("密码")),
    ('"密码" 右侧的 按钮', Target("", "button"), "right_of", Target("密码")),
    ('"记住我" 左边的 复选框', Target("", "checkbox"), "left_of", Target("记住我")),
    ('"Total" 旁边的 按钮', Target("", "button"), "near", Target("Total")),
    ('"Total" 附近的 按钮', Target("", "button"), "near", Target("Total")),
    ('在"用户列表"中的"删除"按钮', Target("删除", "button"), "inside", Target("用户列表")),
    ('在"用户列表"中的删除按钮', Target("删除", "button"), "inside", Target("用户列表")),
    ('"用户列表"里的"删除"按钮', Target("删除", "button"), "inside", Target("用户列表")),
    ('"第 2 行" 内的 "删除" 按钮', Target("删除", "button"), "inside", Target("第 2 行")),
    ('输入框在"密码"下方', Target("", "input"), "below", Target("密码")),
    ('"密码" 下方的 第二个 按钮', Target("", "button", 2), "below", Target("密码")),
])
def test_parse_relations(desc, subject, rel, anchor):
    t = parse_target(desc)
    assert (t.text, t.kind, t.ordinal) == (subject.text, subject.kind, subject.ordinal)
    assert t.relation == Relation(rel, anchor)


def test_relation_words_inside_labels_are_text():
    # "in" / "over" / "by" are relations only before a quoted anchor
    assert parse_target("Sign in").relation is None
    assert parse_target("Take over").relation is None
    assert parse_target("Sort by date").relation is None
    # "in" inside the unquoted subject of a quoted relation stays in the subject
    assert parse_target('Log in button below "Email"').text == "Log in"


def test_anchor_may_have_its_own_relation():
    t = parse_target('button near "Total" 旁边的 "Pay"')
    assert t.relation is not None and t.relation.kind == "near"
    assert t.relation.anchor.relation is not None


def test_ambiguous_unquoted_descriptions_keep_other_readings():
    upload = parse_target("Upload image")
    assert (upload.text, upload.kind) == ("Upload", "image")
    assert Target("Upload image") in upload.alternatives

    last = parse_target("Last name field")
    assert (last.text, last.kind, last.ordinal) == ("name", "input", -1)
    assert Target("Last name", "input") in last.alternatives

    menu = parse_target("Menu")
    assert menu == Target("Menu") and Target("", "menu") in menu.alternatives
    # quoted descriptions are not ambiguous
    assert parse_target('"Upload" image').alternatives == ()


def test_bare_kind_words():
    assert parse_target("the button") == Target("", "button")
    assert parse_target("the last checkbox") == Target("", "checkbox", -1)
    assert parse_target("最后一个") == Target("", None, -1)


@pytest.mark.parametrize("desc", ["", "   ", '""', "「」"])
def test_empty_descriptions_are_rejected(desc):
    with pytest.raises(ValueError):
        parse_target(desc)


def test_relation_without_anchor_is_rejected():
    with pytest.raises(ValueError):
        parse_target('button below ""')


def test_describe_is_readable():
    assert parse_target('第二个 "删除" 按钮').describe() == '#2 "删除" button'
    assert parse_target('checkbox left of "Remember me"').describe() == 'checkbox left of "Remember me"'
