"""`pagesight bench grounding`: ground truth from the DOM, target sentences, the hit maths, a whole run.

The pages are written here with absolute positions, so the true boxes are known to the pixel; they are
served over real localhost HTTP and read by a real Chromium through BrowserSession.
"""

from __future__ import annotations

import json
import re
import socket

import pytest

from agent.bench.dom_truth import PageTruth, TruthElement, clean_name, collect_truth, describe_targets
from agent.bench.grounding import (
    PageResult,
    QueryResult,
    folder_pages,
    hit_test,
    percentile,
    run_grounding_bench,
    summarize,
)
from browser.serve import serve_folder
from browser.session import BrowserSession
from vision.scripted import ScriptedBackend
from vision.types import Element, Location

ABS = "position:absolute;"
TRUTH_HTML = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
  * {{ box-sizing: border-box; }} body {{ margin: 0; font: 14px sans-serif; }}
  button {{ font: inherit; }} .box {{ width: 14px; height: 14px; border: 1px solid #333; display: inline-block; }}
</style></head><body>
<button style="{ABS}left:40px;top:40px;width:120px;height:40px">Sign in</button>
<label for="email" style="{ABS}left:40px;top:100px">Email address</label>
<input id="email" style="{ABS}left:40px;top:124px;width:240px;height:30px">
<label style="{ABS}left:40px;top:180px;height:20px;display:flex;align-items:center;gap:6px">
  <input type="checkbox" style="position:absolute;opacity:0;width:0;height:0;margin:0"><span class="box"></span>Remember me</label>
<a href="#forgot" style="{ABS}left:40px;top:220px;display:block;width:130px;height:20px">Forgot password?</a>
<button style="{ABS}left:300px;top:300px;width:80px;height:30px">Delete</button>
<button style="{ABS}left:200px;top:302px;width:80px;height:30px">Delete</button>
<button style="{ABS}left:100px;top:360px;width:80px;height:30px">Delete</button>
<button style="{ABS}left:400px;top:40px;width:100px;height:40px">Covered</button>
<div style="{ABS}left:390px;top:30px;width:140px;height:70px;background:#fff;z-index:5"></div>
<button style="{ABS}left:400px;top:120px;width:40px;height:40px"><svg width="16" height="16"><circle cx="8" cy="8" r="6"/></svg></button>
<button style="{ABS}left:400px;top:200px;visibility:hidden">Ghost</button>
<button style="display:none">Hidden</button>
<button style="{ABS}left:40px;top:2000px">Far below</button>
<input aria-label="Search" style="{ABS}left:600px;top:40px;width:200px;height:30px">
<div class="field" style="{ABS}left:40px;top:430px"><label class="label">Full name</label>
  <div class="control"><input style="width:200px;height:30px"></div></div>
<div style="{ABS}left:40px;top:520px"><select aria-label="Status"><option>Any status</option></select>
  <input type="checkbox" role="switch" id="mine"><label for="mine">Only mine</label></div>
<iframe src="inner.html" style="{ABS}left:600px;top:200px;width:300px;height:150px;border:0"></iframe>
</body></html>"""
INNER_HTML = f"""<!DOCTYPE html><html><body style="margin:0">
<button style="{ABS}left:10px;top:20px;width:100px;height:30px;box-sizing:border-box">Subscribe</button>
</body></html>"""
ZH_HTML = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><style>
  body { margin: 0; padding: 20px; font: 14px "Noto Sans CJK SC", sans-serif; } div { margin: 10px 0; }
</style></head><body>
<div><button>登录</button></div>
<div><label for="u">用户名</label> <input id="u"></div>
<div><label><input type="checkbox"> 启用</label></div>
<div><label><input type="radio" name="r"> 管理员</label></div>
<div><label for="role">角色</label> <select id="role"><option>编辑</option></select></div>
<div role="menu"><a role="menuitem" href="#users">用户管理</a></div>
<div role="tablist"><span role="tab">订单</span></div>
<div><a href="#detail">详情</a></div>
<div><button>删除</button> <button>删除</button></div>
</body></html>"""


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bench_site")
    (folder / "truth.html").write_text(TRUTH_HTML, encoding="utf-8")
    (folder / "inner.html").write_text(INNER_HTML, encoding="utf-8")
    (folder / "zh.html").write_text(ZH_HTML, encoding="utf-8")
    (folder / "index.html").write_text("<a href='truth.html'>truth</a>", encoding="utf-8")
    return folder


@pytest.fixture(scope="module")
def truths(site):
    out = {}
    with serve_folder(site) as base, BrowserSession(viewport=(1280, 800), scale=1) as session:
        for name in ("truth.html", "zh.html"):
            session.goto(f"{base}/{name}")
            session.stable_screenshot()
            out[name] = collect_truth(session.page)
    return out


def _by_name(truth: PageTruth) -> dict[str, list[TruthElement]]:
    found: dict[str, list[TruthElement]] = {}
    for e in truth.elements:
        found.setdefault(e.name, []).append(e)
    return found


# ------------------------------------------------------------------------------- ground truth

def test_truth_finds_the_visible_named_elements_with_their_boxes(truths):
    truth = truths["truth.html"]
    names = _by_name(truth)
    assert sorted((e.kind, e.name) for e in truth.elements) == sorted([
        ("button", "Sign in"), ("input", "Email address"), ("checkbox", "Remember me"),
        ("link", "Forgot password?"), ("button", "Delete"), ("button", "Delete"), ("button", "Delete"),
        ("button", "Subscribe"), ("input", "Full name")])
    assert names["Sign in"][0].box == (40, 40, 160, 80)
    email = names["Email address"][0]
    assert (email.box, email.source) == ((40, 124, 280, 154), "label")
    assert names["Forgot password?"][0].box == (40, 220, 170, 240)
    assert names["Full name"][0].source == "form label"  # a Bulma-style caption without `for`
    # inside the same-origin iframe: offset by the frame's position
    sub = names["Subscribe"][0]
    assert (sub.box, sub.frame) == ((610, 220, 710, 250), True)


def test_hidden_native_checkbox_counts_through_its_visible_label(truths):
    box = _by_name(truths["truth.html"])["Remember me"][0]
    assert box.kind == "checkbox" and len(box.rects) == 1  # the 0x0 input adds nothing; the label is the box
    x1, y1, x2, y2 = box.box
    assert (x1, y1, y2) == (40, 180, 200) and x2 > 40 + 14 + 6  # the custom box, the gap and the text


def test_skips_are_counted_by_reason(truths):
    skipped = truths["truth.html"].skipped
    assert skipped.get("covered by another element") == 1          # "Covered" under the white div
    assert skipped.get("no text (icon-only or unlabelled)") == 1   # the svg-only button
    # the Search field and the select whose neighbouring label belongs to a switch: no visible name
    assert skipped.get("aria-label only (no visible name)") == 2
    assert skipped.get("hidden") == 2                               # visibility:hidden and display:none
    assert skipped.get("outside the viewport") == 1                 # "Far below"


# ------------------------------------------------------------------------------- target sentences

def test_english_targets_with_ordinals_in_reading_order(truths):
    targets = {t.query: t.element.box for t in describe_targets(truths["truth.html"])}
    assert targets['"Sign in" button'] == (40, 40, 160, 80)
    assert '"Email address" field' in targets and '"Remember me" checkbox' in targets
    assert '"Forgot password?" link' in targets
    # DOM order is right, left, below; reading order is left then right in the row, then the next row
    assert targets['the first "Delete" button'] == (200, 302, 280, 332)
    assert targets['the second "Delete" button'] == (300, 300, 380, 330)
    assert targets['the third "Delete" button'] == (100, 360, 180, 390)
    assert '"Delete" button' not in targets


def test_chinese_targets_use_chinese_kind_words(truths):
    truth = truths["zh.html"]
    assert truth.chinese
    queries = sorted(t.query for t in describe_targets(truth))
    assert queries == sorted(['"登录" 按钮', '"用户名" 输入框', '"启用" 复选框', '"管理员" 单选框', '"角色" 下拉框',
                              '"用户管理" 菜单项', '"订单" 标签页', '"详情" 链接',
                              '第一个 "删除" 按钮', '第二个 "删除" 按钮'])


def test_descriptions_without_a_browser():
    def el(kind, name, x, y):
        return TruthElement(kind, name, ((x, y, x + 50, y + 20),))

    truth = PageTruth("u", "en", [el("button", "Save", 0, 0), el("button", "save", 100, 5),
                                  el("link", "Save", 0, 50), el("button", "中文", 0, 100),
                                  el("input", 'Say "hi"', 0, 150), el("textarea", "Notes", 0, 200)])
    assert [t.query for t in describe_targets(truth)] == [
        'the first "Save" button', 'the second "save" button', '"Save" link', '"中文" 按钮',
        '「Say "hi"」 field', '"Notes" field']
    assert clean_name("  Account \n ▾ ") == "Account" and clean_name("提 交") == "提交"
    assert clean_name("+ New  project") == "New project" and clean_name("C++") == "C++"


def test_folder_pages_skip_index_and_iframe_content(tmp_path):
    for name in ("b.html", "a.html", "index.html", "frame-form.html", "inner.html", "notes.txt"):
        (tmp_path / name).write_text("<p>x</p>")
    (tmp_path / "b.html").write_text('<iframe src="inner.html"></iframe>')
    assert folder_pages(tmp_path) == ["a.html", "b.html"]


# ------------------------------------------------------------------------------- maths

def test_hit_test_tolerance_and_parts():
    rects = [(10.0, 10.0, 20.0, 20.0), (40.0, 10.0, 60.0, 20.0)]
    assert hit_test((15, 15), rects) and hit_test((50, 12), rects)
    assert hit_test((22, 15), rects) and hit_test((8, 8), rects)       # within 2 px of the edge
    assert not hit_test((22.5, 15), rects) and not hit_test((15, 22.1), rects)
    assert not hit_test((30, 15), rects)                               # between the parts is not a hit
    assert hit_test((23, 15), rects, tolerance=3)


def test_percentile_and_summary():
    assert percentile(list(range(1, 21)), 95) == 19 and percentile([5.0], 95) == 5.0
    assert percentile([3, 1, 2, 4], 50) == 2

    def q(kind, hit, ms):
        return QueryResult("q", kind, "n", [0, 0, 1, 1], hit, hit, ms)

    pages = [PageResult("en", "u", False, True, 1.0, {"hidden": 2}, [q("button", True, 1), q("link", False, 3)]),
             PageResult("zh", "u", True, True, 3.0, {"hidden": 1}, [q("button", True, 2)])]
    s = summarize(pages)
    assert s["by_kind"] == {"button": {"hits": 2, "total": 2, "rate": 100.0},
                            "link": {"hits": 0, "total": 1, "rate": 0.0}}
    assert s["text_bearing"] == {"hits": 2, "total": 3, "rate": 66.7}
    assert s["english"] == {"pages": 1, "hits": 1, "total": 2, "rate": 50.0}
    assert s["chinese"] == {"pages": 1, "hits": 1, "total": 1, "rate": 100.0}
    assert s["skipped"] == {"hidden": 3} and s["parse_s"] == {"median": 2.0, "max": 3.0}
    assert s["locate_ms"] == {"n": 3, "median": 2.0, "p95": 3.0}


# ------------------------------------------------------------------------------- whole runs

def _scripted() -> ScriptedBackend:
    """Right on two targets, wrong on one, blind to the rest (the empty script finds nothing)."""
    answers = {
        '"Sign in" button': Location('"Sign in" button', True, (100, 60), Element("button", "Sign in", (40, 40, 160, 80))),
        '"Forgot password?" link': Location("", True, (169, 239), Element("link", "Forgot password?", (40, 220, 170, 240))),
        '"Email address" field': Location("", True, (700, 700), Element("button", "Nope", (680, 690, 720, 710))),
        '"Remember me" checkbox': Location("", False, candidates=(Element("text", "Remember", (60, 182, 120, 198)),)),
    }
    return ScriptedBackend(handler=lambda method, image, arg: answers.get(arg) if method == "locate" else None)


def _table(text: str) -> str:
    return re.sub(r"[ \t]+", " ", text)


def test_end_to_end_prints_per_kind_table_and_misses(site, capsys):
    assert run_grounding_bench([str(site)], backend=_scripted()) == 0
    out = _table(capsys.readouterr().out)
    overall = out.split("overall:")[1]
    for line in ("button 1/8 12.5%", "link 1/2 50.0%", "input 0/3 0.0%", "checkbox 0/2 0.0%",
                 "radio 0/1 0.0%", "select 0/1 0.0%", "tab 0/1 0.0%", "menuitem 0/1 0.0%",
                 "all 2/19 10.5% text-bearing targets", "English 2/9 22.2% on 1 English page(s)",
                 "Chinese 0/10 0.0% on 1 Chinese page(s)"):
        assert line in overall, line
    page = out.split("truth.html [English]")[1].split("zh.html")[0]
    assert "2/9 hit" in page and "button 1/5 20.0%" in page and "link 1/1 100.0%" in page
    assert ('MISS "Email address" field — true box [40, 124, 280, 154]: found button \'Nope\' '
            "box [680, 690, 720, 710] at (700, 700)") in page
    assert "MISS \"Remember me\" checkbox — true box [40, 180, " in page
    assert "not found (nearest: text 'Remember' [60, 182, 120, 198])" in page
    assert "MISS \"Sign in\"" not in page and "inner.html" not in out and "index.html" not in out
    assert "1 covered by another element" in page and "1 no text (icon-only or unlabelled)" in page
    assert re.search(r"locate per query \(parse cached\): median [\d.]+ ms, P95 [\d.]+ ms over 19 queries", out)


def test_end_to_end_json(site, capsys):
    assert run_grounding_bench([str(site / "truth.html")], backend=_scripted(), as_json=True) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["backend"] == "scripted" and data["viewport"] == [1280, 800]
    assert data["overall"]["text_bearing"] == {"hits": 2, "total": 9, "rate": 22.2}
    (page,) = data["pages"]
    by_query = {r["query"]: r for r in page["results"]}
    assert by_query['"Sign in" button']["hit"] is True and by_query['"Sign in" button']["point"] == [100, 60]
    assert by_query['"Email address" field']["hit"] is False and by_query['"Email address" field']["found"]
    assert by_query['the second "Delete" button']["truth_box"] == [300, 300, 380, 330]


def test_bad_input_exits_2_with_one_line(tmp_path, capsys):
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert run_grounding_bench([f"http://127.0.0.1:{port}/app"], backend=_scripted()) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("error: could not open") and f"127.0.0.1:{port}/app" in err and "\n" not in err
    assert run_grounding_bench([str(tmp_path / "nope")], backend=_scripted()) == 2
    assert "not a URL" in capsys.readouterr().err
    (tmp_path / "index.html").write_text("<p>x</p>")
    assert run_grounding_bench([str(tmp_path)], backend=_scripted()) == 2
    assert "no pages to measure" in capsys.readouterr().err


def test_http_error_page_is_bad_input(site, capsys):
    with serve_folder(site) as base:
        assert run_grounding_bench([f"{base}/missing.html"], backend=_scripted()) == 2
    assert "HTTP 404" in capsys.readouterr().err


# ------------------------------------------------------------------------------- corpus mode

TALL_HTML = f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
  body {{ margin: 0; font: 16px sans-serif; height: 3200px; position: relative; }}
  header {{ position: fixed; top: 0; left: 0; right: 0; height: 40px; background: #eee; z-index: 3; }}
  button {{ font: inherit; width: 120px; height: 36px; }}
</style></head><body>
<header><a href="#home" style="{ABS}left:20px;top:10px">Home</a></header>
<button style="{ABS}left:40px;top:100px">Alpha</button>
<button style="{ABS}left:40px;top:1000px">Bravo</button>
<button style="{ABS}left:40px;top:1800px">Charlie</button>
<button style="{ABS}left:240px;top:1820px">Charlie</button>
<button style="{ABS}left:40px;top:2700px">Delta</button>
</body></html>"""
# The body never scrolls: a full-height box does (an app shell, a mobile page).
BOXED_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
  html, body { margin: 0; height: 100%; overflow: hidden; font: 16px sans-serif; }
  .page { position: absolute; inset: 0; overflow-y: auto; }
  .inner { height: 1400px; position: relative; }
  button { position: absolute; left: 30px; width: 120px; height: 36px; font: inherit; }
</style></head><body><div class="page"><div class="inner">
  <button style="top:60px">First</button><button style="top:900px">Second</button>
</div></div></body></html>"""
STYLED_HTML = """<!DOCTYPE html><html lang="en"><head><meta charset="utf-8"><style>
  body { margin: 20px; font: 16px sans-serif; } .row { margin: 12px 0; }
  .btn, .my-btn, .x_button { display: inline-block; padding: 6px 12px; border: 1px solid #358; border-radius: 4px; }
  .sr-only { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0,0,0,0); }
</style></head><body>
<div class="row"><div class="btn">Save</div> <span class="my-btn">Go</span> <a class="btn" href="#open">Open</a>
  <a class="x_button">Later</a></div>
<div class="row"><div class="btn-group"><span>Left</span> <span>Right</span></div>
  <span class="btn-text">Not a button</span></div>
<div class="row"><a href="#home">Home <span class="sr-only">(current)</span></a></div>
<div class="row" style="width:200px"><a href="#alice" style="display:block"><div>Alice</div><div>Lunch at noon?</div></a>
  <a href="#wrap" style="display:block">A long link text that wraps onto two lines</a></div>
<div class="row"><button aria-label="Close"><svg width="16" height="16"><path d="M2 2L14 14"/></svg></button>
  <a href="#gear" class="icon"><svg width="16" height="16"><circle cx="8" cy="8" r="6"/></svg></a></div>
</body></html>"""


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    """A small corpus: its pages and a manifest whose root is its own folder."""
    folder = tmp_path_factory.mktemp("corpus")
    for name, html in (("tall.html", TALL_HTML), ("boxed.html", BOXED_HTML), ("styled.html", STYLED_HTML),
                       ("truth.html", TRUTH_HTML), ("inner.html", INNER_HTML)):
        (folder / name).write_text(html, encoding="utf-8")
    return folder


def _manifest(folder, *pages, viewport=None) -> str:
    path = folder / f"manifest-{'-'.join(p.split('.')[0] for p in pages)}.json"
    path.write_text(json.dumps({"root": ".", "pages": [
        {"path": p, "lang": "en", **({"viewport": viewport} if viewport else {})} for p in pages]}))
    return str(path)


def _blind() -> ScriptedBackend:
    return ScriptedBackend(handler=lambda method, image, arg: None)


def test_scrolled_screens_measure_each_element_once(corpus, capsys, tmp_path):
    code = run_grounding_bench([_manifest(corpus, "tall.html")], backend=_blind(), as_json=True,
                               misses_dir=tmp_path / "misses")
    assert code == 0
    (page,) = json.loads(capsys.readouterr().out)["pages"]
    assert page["screens"] == 3
    seen = [(r["query"], r["screen"]) for r in page["results"]]
    # the fixed header link is measured on screen 1 only; Delta is on a fourth screen, never reached
    assert seen == [('"Home" link', 1), ('"Alpha" button', 1), ('"Bravo" button', 2),
                    ('the first "Charlie" button', 3), ('the second "Charlie" button', 3)]
    charlie = [r for r in page["results"] if "Charlie" in r["query"]]
    assert [r["ordinal"] for r in charlie] == [1, 2]
    # re-read after scrolling: boxes are in the scrolled viewport (800 + 800 px scrolled, so 1800 -> 200)
    assert charlie[0]["truth_box"][1] == pytest.approx(1800 - 1600, abs=1)


def test_a_page_that_scrolls_an_inner_box_and_one_that_does_not_scroll(corpus, capsys, tmp_path):
    assert run_grounding_bench([_manifest(corpus, "boxed.html", "styled.html")], backend=_blind(),
                               as_json=True, misses_dir=tmp_path) == 0
    boxed, styled = json.loads(capsys.readouterr().out)["pages"]
    assert [(r["name"], r["screen"]) for r in boxed["results"]] == [("First", 1), ("Second", 2)]
    assert boxed["screens"] == 2                  # the box ends within the second screen: no third
    assert styled["screens"] == 1                 # nothing to scroll


def test_styled_non_semantic_buttons_visible_names_and_icon_only(corpus):
    with serve_folder(corpus) as base, BrowserSession(viewport=(1280, 800), scale=1) as session:
        session.goto(f"{base}/styled.html")
        session.stable_screenshot()
        truth = collect_truth(session.page)
    kinds = sorted((e.kind, e.name) for e in truth.elements)
    assert kinds == sorted([("button", "Save"), ("button", "Go"), ("button", "Open"), ("button", "Later"),
                            ("link", "Home"), ("link", "A long link text that wraps onto two lines"),
                            ("link", "Alice")])
    # "(current)" is for screen readers only; a list row of two texts is named by its first, its title
    assert [e.source for e in truth.elements if e.name == "Alice"] == ["first block"]
    assert "several separate texts (a list row, a card)" not in truth.skipped
    assert sorted(e.kind for e in truth.icon_only) == ["button", "link"]


def test_failure_classes_without_a_browser():
    from agent.bench.misses import classify_miss

    def el(kind, name, box, source="text"):
        return TruthElement(kind, name, (box,), source=source)

    save1, save2 = el("button", "Save", (0, 0, 80, 30)), el("button", "Save", (200, 0, 280, 30))
    email = el("input", "Email", (100, 100, 300, 130), source="label")
    support = el("link", "Support", (0, 200, 80, 220))
    screen = [save1, save2, email, support]

    def answer(point=None, kind="", text="", box=None):
        r = QueryResult("q", "button", "Save", [0, 0, 0, 0], False, point is not None, 1.0)
        r.point, r.found_kind, r.found_text, r.found_box = point, kind, text, box
        return r

    assert classify_miss(answer(), save1, screen) == "not_found"
    assert classify_miss(answer([85, 15], "button", "Save"), save1, screen) == "near_miss"
    assert classify_miss(answer([240, 15], "button", "Save"), save1, screen) == "wrong_ordinal"
    assert classify_miss(answer([40, 115], "text", "Email"), email, screen) == "label_not_field"
    assert classify_miss(answer([40, 500], "text", "Support", [0, 490, 90, 510]), support, screen) == "wrong_kind"
    assert classify_miss(answer([40, 600], "link", "Email support"), support, screen) == "partial_text"
    assert classify_miss(answer([900, 600], "button", "Cancel"), save1, screen) == "other"


def test_misses_are_classified_and_drawn(corpus, capsys, tmp_path):
    from PIL import Image

    answers = {  # one hit, then one miss of each of three classes
        '"Sign in" button': Location("", True, (100, 60), Element("button", "Sign in", (40, 40, 160, 80))),
        'the first "Delete" button': Location("", True, (340, 315), Element("button", "Delete", (300, 300, 380, 330))),
        '"Forgot password?" link': Location("", True, (60, 270), Element("text", "Forgot password?", (40, 262, 170, 278))),
    }
    backend = ScriptedBackend(handler=lambda method, image, arg: answers.get(arg) if method == "locate" else None)
    misses = tmp_path / "misses"
    assert run_grounding_bench([_manifest(corpus, "truth.html")], backend=backend, as_json=True,
                               misses_dir=misses, screens=1) == 0
    data = json.loads(capsys.readouterr().out)
    by_query = {r["query"]: r for r in data["pages"][0]["results"]}
    assert by_query['"Sign in" button']["hit"] and not by_query['"Sign in" button']["miss_image"]
    assert by_query['the first "Delete" button']["failure"] == "wrong_ordinal"
    assert by_query['"Forgot password?" link']["failure"] == "wrong_kind"
    assert by_query['"Email address" field']["failure"] == "not_found"
    failures = data["overall"]["failures"]
    assert failures["wrong_ordinal"] == 1 and failures["wrong_kind"] == 1 and failures["not_found"] == 6
    assert len(data["miss_images"]) == 8 and all(p.startswith(str(misses)) for p in data["miss_images"])
    picture = by_query['the first "Delete" button']["miss_image"]
    assert picture.endswith("-wrong_ordinal.png")
    with Image.open(picture) as img:
        rgb = img.convert("RGB")
        colours = {c for _, c in rgb.getcolors(maxcolors=1 << 22)}
    assert (16, 160, 60) in colours and (220, 30, 40) in colours  # the true box green, the answer red
    assert 520 <= rgb.width <= 1100 and rgb.height > 100


def test_corpus_per_page_viewport_and_human_report(corpus, capsys, tmp_path):
    assert run_grounding_bench([_manifest(corpus, "styled.html", viewport=[375, 812])], backend=_blind(),
                               misses_dir=tmp_path) == 0
    out = _table(capsys.readouterr().out)
    assert "styled.html [English, 375x812]" in out
    assert "ordinal 0/0" in out and "plain 0/7 0.0%" in out   # the list row counts, named by its title
    assert "not_found 7" in out and "icon-only controls (listed, not measured): 2" in out
    assert re.search(r'MISS "Save" button — true box \[[\d., ]+\]: not found \(nearest: nothing similar\) \[not_found\]', out)
    assert f"miss images: {tmp_path}" in out


def test_missing_corpus_is_bad_input(tmp_path, capsys):
    manifest = tmp_path / "pages.json"
    manifest.write_text(json.dumps({"root": "site", "pages": [{"path": "a.html"}]}))
    (tmp_path / "site").mkdir()
    assert run_grounding_bench([str(manifest)], backend=_blind()) == 2
    err = capsys.readouterr().err
    assert "1 page(s) of pages.json missing under" in err and "a.html" in err
