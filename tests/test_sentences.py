"""Step sentences (English and Chinese) mean exactly their dict form; unreadable ones are errors, never guesses."""

from __future__ import annotations

import pytest

from agent.errors import ScenarioError
from agent.language.sentences import parse_sentence, parse_step, step_from_sentence
from agent.language.step_dicts import step_from_dict
from agent.language.steps import (
    Ask,
    AssertCount,
    AssertNotVisible,
    AssertState,
    AssertVisible,
    Back,
    Check,
    Clear,
    Click,
    Do,
    Fill,
    Goto,
    Hover,
    Press,
    Scroll,
    Select,
    TakeScreenshot,
    Type,
    Wait,
)

# Every sentence in SCENARIO_FORMAT.md's table, next to the dict form it means.
FORMAT_TABLE = [
    ('Click "Sign in"', {"click": '"Sign in"'}),
    ('Double-click "Row 1"', {"click": {"target": '"Row 1"', "count": 2}}),
    ('Right-click "File"', {"click": {"target": '"File"', "button": "right"}}),
    ('Hover over "Menu"', {"hover": '"Menu"'}),
    ('Type "alice" into "Username"', {"fill": {"target": '"Username"', "text": "alice"}}),
    ('Fill "Username" with "alice"', {"fill": {"target": '"Username"', "text": "alice"}}),
    ("Press Enter", {"press": "Enter"}),
    ('Check "Remember me"', {"check": '"Remember me"'}),
    ('Uncheck "Remember me"', {"uncheck": '"Remember me"'}),
    ('Select "China" in "Country"', {"select": {"target": '"Country"', "option": "China"}}),
    ("Scroll down", {"scroll": "down"}),
    ("Scroll down 3 times", {"scroll": {"direction": "down", "times": 3}}),
    ('Scroll to "Footer"', {"scroll": {"to": '"Footer"'}}),
    ("Go to /settings", {"goto": "/settings"}),
    ("Go back", {"back": True}),
    ("Reload", {"reload": True}),
    ('Wait for "Saved"', {"wait": '"Saved"'}),
    ("Wait 2 seconds", {"wait": {"seconds": 2}}),
    ('Assert "Welcome" is visible', {"assert": {"visible": '"Welcome"'}}),
    ('Assert the page shows "Welcome"', {"assert": {"visible": '"Welcome"'}}),
    ('Assert "Error" is not visible', {"assert": {"not_visible": '"Error"'}}),
    ('Assert there are 3 "Delete" buttons', {"assert": {"count": '"Delete" buttons', "equals": 3}}),
    ('Assert "Remember me" is checked', {"assert": {"state": '"Remember me"', "is": "checked"}}),
    ('Ask "How many items are left?" expect "2"', {"ask": {"question": "How many items are left?", "expect": "2"}}),
    ('点击 "登录"', {"click": '"登录"'}),
    ('双击 "第一行"', {"click": {"target": '"第一行"', "count": 2}}),
    ('右键点击 "文件"', {"click": {"target": '"文件"', "button": "right"}}),
    ('悬停在 "设置" 上', {"hover": '"设置"'}),
    ('在 "用户名" 中输入 "alice"', {"fill": {"target": '"用户名"', "text": "alice"}}),
    ('在"用户名"输入"alice"', {"fill": {"target": '"用户名"', "text": "alice"}}),
    ("按下 Enter", {"press": "Enter"}),
    ("按回车", {"press": "Enter"}),
    ('勾选 "记住我"', {"check": '"记住我"'}),
    ('取消勾选 "记住我"', {"uncheck": '"记住我"'}),
    ('在 "国家" 中选择 "中国"', {"select": {"target": '"国家"', "option": "中国"}}),
    ("向下滚动", {"scroll": "down"}),
    ("向下滚动 3 次", {"scroll": {"direction": "down", "times": 3}}),
    ('滚动到 "页脚"', {"scroll": {"to": '"页脚"'}}),
    ("打开 /settings", {"goto": "/settings"}),
    ("返回", {"back": True}),
    ("刷新", {"reload": True}),
    ('等待 "已保存" 出现', {"wait": '"已保存"'}),
    ("等待 2 秒", {"wait": {"seconds": 2}}),
    ('断言 "欢迎" 可见', {"assert": {"visible": '"欢迎"'}}),
    ('断言页面显示 "欢迎"', {"assert": {"visible": '"欢迎"'}}),
    ('断言 "错误" 不可见', {"assert": {"not_visible": '"错误"'}}),
    ('断言有 3 个 "删除" 按钮', {"assert": {"count": '"删除" 按钮', "equals": 3}}),
    ('断言 "记住我" 已勾选', {"assert": {"state": '"记住我"', "is": "checked"}}),
    ('询问 "还剩几项？" 期望 "2"', {"ask": {"question": "还剩几项？", "expect": "2"}}),
]


@pytest.mark.parametrize(("sentence", "d"), FORMAT_TABLE, ids=[s for s, _ in FORMAT_TABLE])
def test_format_table_sentence_means_its_dict_form(sentence, d):
    step = parse_sentence(sentence, line=4, file="s.yaml")
    expected = step_from_dict(d)
    assert step == expected and type(step) is type(expected)
    assert step.line == 4 and step.source == sentence


VARIANTS = [
    # click
    ('Click the "Sign in" button', Click('the "Sign in" button')),
    ('Click on "Sign in"', Click('"Sign in"')),
    ('click on the "Log in" link', Click('the "Log in" link')),
    ('Click the second "Delete" button', Click('the second "Delete" button')),
    ('Tap "OK"', Click('"OK"')),
    ('Double click "Row 1"', Click('"Row 1"', count=2)),
    ('Right click on "File"', Click('"File"', "right")),
    ('Click "Like" twice', Click('"Like"', count=2)),
    ("Click Sign in", Click("Sign in")),
    ('Then click "OK".', Click('"OK"')),
    ('When I click "Sign in"', Click('"Sign in"')),
    ('Click "Save and continue"', Click('"Save and continue"')),
    ('点击"登录"按钮', Click('"登录"按钮')),
    ("点击 “登录”", Click("“登录”")),
    ("点击 「登录」", Click("「登录」")),
    ("点击 『登录』", Click("『登录』")),
    ("Click ‘Sign in’", Click("‘Sign in’")),
    ("Click 'Sign in'", Click("'Sign in'")),
    ('点击第二个 "删除" 按钮', Click('第二个 "删除" 按钮')),
    ('点击 "密码" 下方的 "显示" 按钮', Click('"密码" 下方的 "显示" 按钮')),
    ('单击 "登录"', Click('"登录"')),
    ("点击登录", Click("登录")),
    ('然后点击 "确定"', Click('"确定"')),
    ('右击 "文件"', Click('"文件"', "right")),
    # hover
    ('Hover "Menu"', Hover('"Menu"')),
    ('Mouse over "Menu"', Hover('"Menu"')),
    ('鼠标悬停在 "设置" 上', Hover('"设置"')),
    ('将鼠标移到 "设置" 上', Hover('"设置"')),
    # fill / type
    ('Type "alice" in the "Username" field', Fill('the "Username" field', "alice")),
    ('Enter "alice" in "Username"', Fill('"Username"', "alice")),
    ('Input "alice" into "Username"', Fill('"Username"', "alice")),
    ("Type 'alice' into 'Username'", Fill("'Username'", "alice")),
    ('Type "o\'brien" into "Last name"', Fill('"Last name"', "o'brien")),
    ('Fill in the "Username" field with "alice"', Fill('the "Username" field', "alice")),
    ("Fill Username with alice", Fill("Username", "alice")),
    ('Type "  two  spaces "', Type("  two  spaces ")),
    ('Clear the "Search" field', Clear('the "Search" field')),
    ("Type hello world", Type("hello world")),
    ('在“用户名”输入框中输入“admin”', Fill("“用户名”输入框", "admin")),
    ("在用户名输入框中输入admin", Fill("用户名输入框", "admin")),
    ('输入 "admin" 到 "用户名"', Fill('"用户名"', "admin")),
    ('输入 "admin" 到 "用户名" 中', Fill('"用户名"', "admin")),
    ('将 "admin" 输入到 "用户名"', Fill('"用户名"', "admin")),
    ('把 "admin" 填入 "用户名"', Fill('"用户名"', "admin")),
    ('将 "用户名" 填写为 "admin"', Fill('"用户名"', "admin")),
    ('往 "用户名" 里输入 "admin"', Fill('"用户名"', "admin")),
    ('在 "例如：zhaoliu" 中输入 "zhaoliu"', Fill('"例如：zhaoliu"', "zhaoliu")),
    ("输入“admin”", Type("admin")),
    ('清空 "搜索" 输入框', Clear('"搜索" 输入框')),
    # press
    ("Press the Enter key", Press("Enter")),
    ("Hit Return", Press("Enter")),
    ("press ctrl+a", Press("Control+a")),
    ("Press Escape", Press("Escape")),
    ("按 Enter 键", Press("Enter")),
    ("按下回车", Press("Enter")),
    ("按回车键", Press("Enter")),
    ("按下 Ctrl+A", Press("Control+A")),
    ("按空格", Press("Space")),
    # check
    ('Tick "I agree"', Check('"I agree"')),
    ('Untick "Newsletter"', Check('"Newsletter"', False)),
    ('Check the "Remember me" checkbox', Check('the "Remember me" checkbox')),
    ('选中 "记住我"', Check('"记住我"')),
    ('取消选中 "记住我"', Check('"记住我"', False)),
    # select
    ('Select "China" from the "Country" dropdown', Select('the "Country" dropdown', "China")),
    ('Choose "Large" from "Size"', Select('"Size"', "Large")),
    ('In "Country", select "China"', Select('"Country"', "China")),
    ('从 "国家" 下拉框中选择 "中国"', Select('"国家" 下拉框', "中国")),
    ('在"国家"下拉框选择"中国"', Select('"国家"下拉框', "中国")),
    ('在 "国家" 选择 "中国"', Select('"国家"', "中国")),
    ('选择 "国家" 为 "中国"', Select('"国家"', "中国")),
    ('将 "国家" 选为 "中国"', Select('"国家"', "中国")),
    ('选择 "中国" 在 "国家" 中', Select('"国家"', "中国")),
    # scroll
    ("Scroll up twice", Scroll("up", 2)),
    ("Scroll down three times", Scroll("down", 3)),
    ("Scroll the page down", Scroll("down", 1)),
    ('Scroll until "Footer" is visible', Scroll(to='"Footer"')),
    ('Scroll "Footer" into view', Scroll(to='"Footer"')),
    ("向上滚动 2 次", Scroll("up", 2)),
    ("往下滚动两次", Scroll("down", 2)),
    ("页面向下滚动", Scroll("down", 1)),
    ('滚动至 "页脚"', Scroll(to='"页脚"')),
    # navigation
    ("Navigate to https://example.com/login", Goto("https://example.com/login")),
    ("Open /settings", Goto("/settings")),
    ("Go to settings.html", Goto("settings.html")),
    ('Go to "/settings?tab=2"', Goto("/settings?tab=2")),
    ("Navigate back", Back()),
    ("Refresh the page", step_from_dict({"reload": True})),
    ("访问 /login.html", Goto("/login.html")),
    ("返回上一页", Back()),
    ("刷新页面", step_from_dict({"reload": True})),
    # wait
    ("Wait 1.5 seconds", Wait(None, 1.5)),
    ("Wait 500 ms", Wait(None, 0.5)),
    ("Wait for 3 seconds", Wait(None, 3.0)),
    ("Wait 2s", Wait(None, 2.0)),
    ('Wait until "Saved" appears', Wait('"Saved"')),
    ('Wait for "Saved" to appear', Wait('"Saved"')),
    ('Wait for "Saved" up to 5 seconds', Wait('"Saved"', None, 5.0)),
    ('Wait up to 10 seconds for "Saved"', Wait('"Saved"', None, 10.0)),
    ('Wait for "Loading" to disappear', AssertNotVisible('"Loading"')),
    ("等 2 秒", Wait(None, 2.0)),
    ("等待两秒", Wait(None, 2.0)),
    ("等待 500 毫秒", Wait(None, 0.5)),
    ("等待 3 秒", Wait(None, 3.0)),
    ('等待 "已保存"', Wait('"已保存"')),
    ('等待 "已保存" 出现，最多 5 秒', Wait('"已保存"', None, 5.0)),
    ('等待 "加载中" 消失', AssertNotVisible('"加载中"')),
    # assertions
    ('Verify that the page contains "Welcome"', AssertVisible('"Welcome"')),
    ('Expect "Welcome" to be visible', AssertVisible('"Welcome"')),
    ('Check that "Welcome" is visible', AssertVisible('"Welcome"')),
    ('Assert "Welcome" is visible within 5 seconds', AssertVisible('"Welcome"', 5.0)),
    ('I should see "Welcome"', AssertVisible('"Welcome"')),
    ('Assert "Total: $5" is visible', AssertVisible('"Total: $5"')),
    ('Assert there is a "Delete" button', AssertVisible('"Delete" button')),
    ('Ensure "Error" is not shown', AssertNotVisible('"Error"')),
    ('Assert "Error" isn\'t visible', AssertNotVisible('"Error"')),
    ('Assert the page does not contain "Error"', AssertNotVisible('"Error"')),
    ('Assert there is no "Error"', AssertNotVisible('"Error"')),
    ('I should not see "Error"', AssertNotVisible('"Error"')),
    ('Assert there are exactly 2 "Delete" buttons', AssertCount('"Delete" button', 2)),
    ('Assert 2 "Delete" links are visible', AssertCount('"Delete" link', 2)),
    ('Assert the number of "Delete" buttons is 2', AssertCount('"Delete" button', 2)),
    ('Assert "Remember me" is not checked', AssertState('"Remember me"', "unchecked")),
    ('Check if "Remember me" is checked', AssertState('"Remember me"', "checked")),
    ('Assert "Save" is disabled', AssertState('"Save"', "disabled")),
    ('Assert "Save" is not enabled', AssertState('"Save"', "disabled")),
    ('Assert "Save" isn\'t disabled', AssertState('"Save"', "enabled")),
    ('Assert "Email" field has focus', AssertState('"Email" field', "focused")),
    ('断言页面包含 "欢迎"', AssertVisible('"欢迎"')),
    ('断言：页面显示 "欢迎"', AssertVisible('"欢迎"')),
    ('验证 "欢迎" 可见', AssertVisible('"欢迎"')),
    ('检查 "欢迎" 显示在页面上', AssertVisible('"欢迎"')),
    ('应该看到 "欢迎"', AssertVisible('"欢迎"')),
    ('断言 "错误" 不存在', AssertNotVisible('"错误"')),
    ('断言页面上没有 "错误"', AssertNotVisible('"错误"')),
    ('不应该看到 "错误"', AssertNotVisible('"错误"')),
    ('断言有两个 "删除" 按钮', AssertCount('"删除" 按钮', 2)),
    ('断言 "删除" 按钮的数量为 3', AssertCount('"删除" 按钮', 3)),
    ('断言 "记住我" 未勾选', AssertState('"记住我"', "unchecked")),
    ('断言 "提交" 按钮不可用', AssertState('"提交" 按钮', "disabled")),
    ('断言 "提交" 按钮未禁用', AssertState('"提交" 按钮', "enabled")),
    ('断言 "提交" 按钮可用', AssertState('"提交" 按钮', "enabled")),
    ('断言 "用户名" 输入框获得焦点', AssertState('"用户名" 输入框', "focused")),
    # ask, do, screenshot
    ('Ask "What is the total?"', Ask("What is the total?")),
    ('Ask "What is the total?", expect "42"', Ask("What is the total?", "42")),
    ('询问 "总价是多少？"，期望 "42"', Ask("总价是多少？", "42")),
    ('Do "log in as admin"', Do("log in as admin")),
    ('Take a screenshot "after login"', TakeScreenshot("after login")),
    ("Take a screenshot", TakeScreenshot("screenshot")),
    ('截图 "首页"', TakeScreenshot("首页")),
]


@pytest.mark.parametrize(("sentence", "expected"), VARIANTS, ids=[s for s, _ in VARIANTS])
def test_natural_variants(sentence, expected):
    step = parse_sentence(sentence)
    assert step == expected and type(step) is type(expected)


UNREADABLE = [
    ('Smash the "Sign in" button', "write one of"),
    ('Clik "Sign in"', "did you mean 'click'"),
    ('Assert "Welcome"', 'Assert "…" is visible'),
    ('Select "China"', "write one of"),
    ('选择 "中国"', '在 "…" 中选择 "…"'),
    ('Click "Sign in" and wait', "more than one step"),
    ('Type "alice" and press Enter', "more than one step"),
    ('在 "搜索" 中输入 "abc" 并按回车', "more than one step"),
    ('Type the word "alice" into "Name"', "mixes quoted and plain words"),
    ("Type log in to account", "ambiguous without quotes"),
    ('Open the "Settings" menu', "is not a URL or path"),
    ("Go to example.com", "http://example.com"),
    ('进入 "设置" 页面', "is not a URL or path"),
    ("Wait for 2", "ambiguous"),
    ("Wait 2", "write one of"),
    ("Scroll to the bottom", "Press End"),
    ("滚动到页面底部", "Press End"),
    ('Press "Sign in"', "unknown key"),
    ('Assert "X" is not focused', "no 'not focused' state"),
    ('Check "Remember me" is checked', 'Check that "…"'),
    ("Wait for the page to load", "already waits for the page"),
    ("等待页面加载完成", "already waits for the page"),
    ('I click the "Sign in" button and see "Welcome"', "more than one step"),
    ('Click "Item', "is not closed"),
    ("", "empty step"),
]


@pytest.mark.parametrize(("sentence", "needle"), UNREADABLE, ids=[s or "<empty>" for s, _ in UNREADABLE])
def test_unreadable_sentence_is_an_error_that_quotes_it(sentence, needle):
    with pytest.raises(ScenarioError) as info:
        parse_sentence(sentence, line=9, file="scenarios/checkout.yaml")
    message = str(info.value)
    assert message.startswith("scenarios/checkout.yaml:9: ")
    assert needle in message
    if sentence:
        assert repr(sentence) in message


def test_the_error_lists_the_forms_in_the_sentences_language():
    with pytest.raises(ScenarioError) as en:
        parse_sentence('Smash "OK"')
    assert 'Type "…" into "…"' in str(en.value) and "dict form" in str(en.value)
    with pytest.raises(ScenarioError) as zh:
        parse_sentence('砸 "确定"')
    assert '在 "…" 中输入 "…"' in str(zh.value)


def test_an_assert_sentence_is_never_handed_to_a_model():
    # Free sentences are for the dict form `assert: "…"`; the sentence form only reads fixed shapes.
    with pytest.raises(ScenarioError, match='assert: "a sentence"'):
        parse_sentence("Assert that the cart looks right")


def test_parse_step_accepts_sentences_dicts_and_steps():
    assert parse_step('Click "OK"') == Click('"OK"')
    assert parse_step({"click": '"OK"'}) == Click('"OK"')
    step = Click('"OK"', line=3)
    assert parse_step(step) is step
    assert step_from_sentence is parse_sentence
    with pytest.raises(ScenarioError, match="a step is a sentence or a mapping"):
        parse_step(42)
