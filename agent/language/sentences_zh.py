"""Chinese step sentences: the forms users write (点击 "登录", 断言 "已保存" 可见, 在 "邮箱" 中输入 "a@b.c")
as rules, tried by agent.language.sentences.parse_sentence after the English ones.

Within each group the more specific shapes come first (未勾选 before 勾选, 消失 before 出现). The
shared machinery (quoted spans, numbers, `Ctx`, the builders both languages use) is
agent.language.sentence_rules.
"""

from __future__ import annotations

import re
from collections.abc import Callable

from agent.language.sentence_rules import (
    SECS,
    Ctx,
    Rule,
    compile_rule,
    goto,
    press,
    scroll_to,
    to_seconds,
    wait_for,
    wait_gone,
)
from agent.language.sentence_rules import TARGET as _T  # short: the patterns below use it everywhere
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
    Fill,
    Hover,
    Reload,
    Scroll,
    Select,
    Step,
    TakeScreenshot,
    Type,
    Wait,
    singular_kinds,
)

__all__ = ["RULES", "FORMS", "looks_like_assertion"]

RULES: list[Rule] = []


def _rule(pattern: str, build: Callable[[Ctx], Step]) -> None:
    RULES.append(compile_rule(pattern, build))


_ZA = r"^(?:断言|验证|确认|检查|校验|期望|预期|确保|判断|检验)(?:一下)?\s*[:：,，]?\s*"


def looks_like_assertion(skeleton: str) -> bool:
    """Does the sentence open like an assertion (for the hint when no rule reads it)?"""
    return bool(re.match(_ZA, skeleton))


# -- 中文 -----------------------------------------------------------------------------------------
_ZS = r"(?:状态|的)?$"
_rule(_ZA + _T + r"\s*(?:未|没有|没|未被|没有被|不是|不)(?:被)?(?:勾选|选中|打勾)" + _ZS,
      lambda c: AssertState(c.target(), "unchecked", **c.meta))
_rule(_ZA + _T + r"\s*(?:未被|未|没有被|没有|没)禁用" + _ZS, lambda c: AssertState(c.target(), "enabled", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|被|处于)?(?:被)?(?:禁用|不可用|不可点击|置灰|灰显)" + _ZS,
      lambda c: AssertState(c.target(), "disabled", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|处于)?(?:启用|可用|可点击|激活)" + _ZS,
      lambda c: AssertState(c.target(), "enabled", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|被|处于)?(?:被)?(?:勾选|选中|打勾)" + _ZS,
      lambda c: AssertState(c.target(), "checked", **c.meta))
_rule(_ZA + _T + r"\s*(?:是|已|已经|处于)?(?:获得了焦点|获得焦点|获取焦点|有焦点|被聚焦|聚焦|处于焦点)" + _ZS,
      lambda c: AssertState(c.target(), "focused", **c.meta))
_MEASURE = r"\s*(?:个|项|条|处|张|行|份|篇|次)?\s*"
_rule(_ZA + r"(?:页面上?|屏幕上?)?\s*(?:有|存在|共有|显示|出现)(?:了)?\s*(?P<n>CNT)" + _MEASURE + r"(?P<t>.+)$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_rule(_ZA + _T + r"\s*(?:的)?(?:数量|个数|数目)\s*(?:为|是|等于|=)\s*(?P<n>CNT)" + _MEASURE + "$",
      lambda c: AssertCount(singular_kinds(c.target()), c.number("n"), **c.meta))
_NOT_VISIBLE_ZH = [
    _T + r"\s*(?:不可见|不显示|未显示|没有显示|不存在|没有出现|未出现|不出现|已消失|消失了|消失|不在页面上|已隐藏|被隐藏|隐藏)",
    r"(?:页面上?|屏幕上?)\s*(?:不|没有|未|并未|没)(?:显示|包含|出现|含有|展示)?(?:了)?\s*(?P<t>.+)",
    r"(?:没有|不存在|看不到)\s*(?P<t>.+)",
]
for _p in _NOT_VISIBLE_ZH:
    _rule(_ZA + _p + "$", lambda c: AssertNotVisible(c.target(), **c.meta))
_VISIBLE_ZH = [
    _T + r"\s*(?:是)?(?:可见的|可见|已显示|显示在页面上|显示|已出现|出现在页面上|出现|存在|在页面上)(?:了)?",
    r"(?:页面上?|屏幕上?)\s*(?:应该|应当|应)?(?:显示|包含|出现|含有|有|展示|存在)(?:了)?\s*(?P<t>.+)",
    r"(?:存在|出现|显示|能看到|看到|可以看到)(?:了)?\s*(?P<t>.+)",
]
for _p in _VISIBLE_ZH:
    _rule(_ZA + _p + "$", lambda c: AssertVisible(c.target(), **c.meta))
_rule(r"^(?:我)?(?:不应该|不应当|不应|不能|应该看不到|看不到)(?:看到)?\s*(?P<t>.+)$",
      lambda c: AssertNotVisible(c.target(), **c.meta))
_rule(r"^(?:我)?(?:应该|应当|应|能|可以)?(?:能)?看到\s*(?P<t>.+)$", lambda c: AssertVisible(c.target(), **c.meta))
_rule(r"^页面(?:上)?(?:应该|应当|应)?(?:显示|包含|出现)(?:了)?\s*(?P<t>.+)$",
      lambda c: AssertVisible(c.target(), **c.meta))

_ZH_MOD = {"双击": ("left", 2), "三击": ("left", 3), "右键单击": ("right", 1), "右键点击": ("right", 1),
           "右击": ("right", 1), "右键": ("right", 1), "中键点击": ("middle", 1)}
_MOUSE = r"^(?:(?:用|使用)?鼠标)?"
_rule(_MOUSE + r"(?P<mod>双击|三击|右键单击|右键点击|右击|右键|中键点击)\s*(?P<t>.+)$",
      lambda c: Click(c.target(), *_ZH_MOD[c.m.group("mod")], **c.meta))
_rule(_MOUSE + r"(?:左键点击|左键单击|点击|单击|点按|轻触|轻点|点一下)(?:一下)?\s*" + _T + r"(?P<twice>\s*两次)?$",
      lambda c: Click(c.target(), "left", 2 if c.has("twice") else 1, **c.meta))
_rule(r"^(?:(?:将|把)?鼠标(?:指针)?\s*)?(?:悬停|悬浮)(?:在|于|到)?\s*" + _T + r"\s*(?:上面|之上|上)?$",
      lambda c: Hover(c.target(), **c.meta))
_rule(r"^(?:将|把)?鼠标(?:指针)?\s*(?:移到|移动到|移至|放到|放在|停在|停留在)\s*" + _T + r"\s*(?:上面|之上|上)?$",
      lambda c: Hover(c.target(), **c.meta))
_IN_ZH = r"\s*(?:之中|中|里面|里|内)?"
_TYPE_ZH = r"(?:输入|填写|填入|键入|录入|填)(?!框|栏)"
_rule(r"^(?:在|向|往|于|给)\s*" + _T + _IN_ZH + r"\s*" + _TYPE_ZH + r"\s*(?:内容|文字|文本)?\s*[:：]?\s*(?P<v>.+)$",
      lambda c: Fill(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:输入|填写|填入|键入)\s*(?P<v>.+?)\s*(?:到|至|进|进入|在|于)\s*" + _T + _IN_ZH + "$",
      lambda c: Fill(c.target(), c.value("v", r"到|至|进|在|于"), **c.meta))
_rule(r"^(?:将|把)\s*(?P<v>.+?)\s*(?:(?:输入|填写|键入|填)(?:到|至|进|进入|在)|填入|写入|输进)\s*" + _T + _IN_ZH + "$",
      lambda c: Fill(c.target(), c.value("v", r"到|至|进|在"), **c.meta))
_rule(r"^(?:(?:将|把)\s*" + _T + r"\s*(?:填写|填|输入)|填写\s*" + _T.replace("t", "t2") + r"\s*)(?:为|成)\s*(?P<v>.+)$",
      lambda c: Fill(c.target("t" if c.has("t") else "t2"), c.value("v"), **c.meta))
_rule(r"^(?:清空|清除)\s*" + _T + r"(?:\s*(?:的)?(?:内容|文本|文字))?$", lambda c: Clear(c.target(), **c.meta))
_rule(r"^(?:在|从|于)\s*" + _T + _IN_ZH + r"\s*(?:选择|选中|选取|挑选|选)(?:选项)?\s*[:：]?\s*(?P<v>.+)$",
      lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:将|把)\s*" + _T + r"\s*(?:选为|选择为|选成)\s*(?P<v>.+)$",
      lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:选择|选取)\s*(?P<t>Q.*?)\s*(?:中|里)的\s*(?P<v>.+)$", lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:选择|选取)\s*" + _T + r"\s*(?:的值)?为\s*(?P<v>.+)$", lambda c: Select(c.target(), c.value("v"), **c.meta))
_rule(r"^(?:选择|选取)\s*(?P<v>.+?)\s*(?:在|于)\s*" + _T + _IN_ZH + "$",
      lambda c: Select(c.target(), c.value("v", r"在|于"), **c.meta))
_rule(r"^(?:键入|输入|录入)\s*(?P<v>.+)$", lambda c: Type(c.value("v"), **c.meta))
_rule(r"^(?:按下|按|敲击|敲)\s*(?P<k>.+?)\s*(?:键)?$", press)
_rule(r"^(?:取消勾选|取消选中|取消选择|不勾选|去掉勾选|去除勾选)\s*" + _T + "$",
      lambda c: Check(c.target(), False, **c.meta))
_rule(r"^(?:勾选|选中|勾上|打勾)\s*" + _T + "$", lambda c: Check(c.target(), True, **c.meta))
_DIR = {"上": "up", "下": "down", "左": "left", "右": "right"}
_TIMES_ZH = r"(?:\s*(?P<n>NUM)\s*(?:次|下|屏|页))?$"
_rule(r"^(?:将|把)?(?:页面)?\s*(?:向|往|朝)(?P<d>上|下|左|右)(?:方)?\s*(?:滚动|滑动|翻动|滚|滑|翻)(?:页面|屏幕)?"
      + _TIMES_ZH, lambda c: Scroll(_DIR[c.m.group("d")], c.number("n") if c.has("n") else 1, **c.meta))
_rule(r"^(?:滚动|滑动)(?:页面|屏幕)?\s*(?:向|往|朝)?(?P<d>上|下|左|右)(?:方)?" + _TIMES_ZH,
      lambda c: Scroll(_DIR[c.m.group("d")], c.number("n") if c.has("n") else 1, **c.meta))
_rule(r"^(?:滚动|滑动|滚|翻)(?:页面)?\s*(?:到|至|直到)\s*" + _T + r"\s*(?:处|位置|出现|可见|为止)?$", scroll_to)
_rule(r"^(?:返回|后退|回退|回到)(?:到)?(?:上一页|上一个页面|前一页)?$|^浏览器(?:返回|后退)$", lambda c: Back(**c.meta))
_rule(r"^(?:刷新|重新加载|重载)(?:一下)?(?:页面|网页|当前页面?)?$", lambda c: Reload(**c.meta))
_rule(r"^(?:打开|访问|跳转到|跳转至|前往|导航到|转到|进入|浏览)(?:页面|网址|链接|地址)?\s*[:：]?\s*(?P<u>.+?)\s*(?:页面)?$",
      goto)
_rule(r"^(?:等待|等|暂停|停留)\s*(?P<n>NUM)\s*" + SECS + "$",
      lambda c: Wait(None, to_seconds(c.m.group("n"), c.m.group("u")), **c.meta))
_ZUPTO = r"(?:\s*[，,]?\s*(?:最多|至多|超时)\s*(?P<n>NUM)\s*" + SECS + ")?"
_rule(r"^(?:最多|至多)\s*(?:等待|等)\s*(?P<n>NUM)\s*" + SECS + r"\s*(?:直到|等待|等)?\s*" + _T
      + r"\s*(?:出现|显示|可见)?$", wait_for)
_rule(r"^(?:等待|等)(?:到|直到)?\s*" + _T + r"\s*(?:消失|不可见|隐藏|不见)(?:了)?" + _ZUPTO + "$", wait_gone)
_rule(r"^(?:等待|等)(?:到|直到)?\s*" + _T + r"\s*(?:出现|显示|可见)?(?:了)?" + _ZUPTO + "$", wait_for)
_rule(r"^(?:询问|提问|问)\s*(?P<q>.+?)(?:\s*[，,;；]?\s*(?:并)?(?:期望|预期|期待|答案应?(?:包含|是|为))(?:答案)?"
      r"(?:包含|是|为)?\s*[:：]?\s*(?P<e>.+))?$",
      lambda c: Ask(c.value("q"), c.value("e") if c.has("e") else None, **c.meta))
_rule(r"^(?:截图|截屏|截取屏幕|截个图|保存截图)(?:并)?(?:命名为|名为|保存为|为)?\s*[:：]?\s*(?P<n>.+)?$",
      lambda c: TakeScreenshot(c.value("n") if c.has("n") else "screenshot", **c.meta))

# What an unreadable sentence's error lists: one example of each form above.
FORMS = ('点击 "…"', '双击 "…"', '右键点击 "…"', '悬停在 "…" 上', '在 "…" 中输入 "…"', '清空 "…"', '输入 "…"',
         "按下 Enter / 按回车", '勾选 "…"', '取消勾选 "…"', '在 "…" 中选择 "…"', "向下滚动 [3 次]", '滚动到 "…"',
         "打开 /path", "返回", "刷新", '等待 "…" 出现', "等待 2 秒", '断言 "…" 可见', '断言页面显示 "…"',
         '断言 "…" 不可见', '断言有 3 个 "…" 按钮', '断言 "…" 已勾选', '询问 "…" 期望 "…"', '截图 "…"')
