"""Coordinate adapters and answer parsing, on answers written the way each model family writes them."""

from __future__ import annotations

import pytest

from vision.adapters import (
    ADAPTERS,
    get_adapter,
    parse_boxes,
    smart_resize,
    to_screenshot_box,
    to_screenshot_point,
)
from vision.model_prompts import (
    clean_answer,
    elements_from_answer,
    extract_json,
    normalise_kind,
    target_words,
)

# --- answers in each family's documented format ---------------------------------------------------------

GLM_BOXED = "<|begin_of_box|>[[412,530,588,571]]<|end_of_box|>"
GLM_SPACED = "The Sign in button is here: <|begin_of_box|>[[412, 530, 588, 571]]<|end_of_box|>"
GLM_TWO = "<|begin_of_box|>[[100,200,150,230],[600,200,650,230]]<|end_of_box|>"
GLM_THINKING = ("<think>The user wants the login button. I see a blue button near [400, 500, 600, 560]; "
                "refining.</think><answer><|begin_of_box|>[[412,530,588,571]]<|end_of_box|></answer>")
GLM_SINGLE_BRACKET = "<|begin_of_box|>[412,530,588,571]<|end_of_box|>"
GLM_BARE_NUMBERS = "<|begin_of_box|>412,530,588,571<|end_of_box|>"
QWEN25 = '```json\n[\n\t{"bbox_2d": [515, 424, 739, 466], "label": "Sign in button"}\n]\n```'
QWEN2 = "<|object_ref_start|>Sign in<|object_ref_end|><|box_start|>(412,530),(588,571)<|box_end|>"
UITARS = "Thought: The Sign in button is below the password field.\nAction: click(start_box='(661,445)')"
UITARS_OLD = "Action: click(start_box='<|box_start|>(661,445)<|box_end|>')"
GEMINI = '```json\n[\n  {"box_2d": [530, 412, 571, 588], "label": "Sign in button"}\n]\n```'
COGAGENT = "Grounded Operation: CLICK(box=[[387,248,727,317]], element_info='Sign in')"
INTERNVL = "<ref>Sign in</ref><box>[[412, 530, 588, 571]]</box>"
POINT_TAG = "<point>661 445</point>"
PLAIN_POINT = "Click at [661, 445]."


@pytest.mark.parametrize("answer, expected", [
    (GLM_BOXED, [[412, 530, 588, 571]]),
    (GLM_SPACED, [[412, 530, 588, 571]]),
    (GLM_TWO, [[100, 200, 150, 230], [600, 200, 650, 230]]),
    (GLM_THINKING, [[412, 530, 588, 571]]),
    (GLM_SINGLE_BRACKET, [[412, 530, 588, 571]]),
    (GLM_BARE_NUMBERS, [[412, 530, 588, 571]]),
    (QWEN25, [[515, 424, 739, 466]]),
    (QWEN2, [[412, 530, 588, 571]]),
    (UITARS, [[661, 445]]),
    (UITARS_OLD, [[661, 445]]),
    (GEMINI, [[530, 412, 571, 588]]),
    (COGAGENT, [[387, 248, 727, 317]]),
    (INTERNVL, [[412, 530, 588, 571]]),
    (POINT_TAG, [[661, 445]]),
    (PLAIN_POINT, [[661, 445]]),
    ("(412,530),(588,571)", [[412, 530, 588, 571]]),
    ('{"point_2d": [320.5, 200]}', [[320.5, 200]]),
])
def test_parse_boxes_reads_every_family(answer, expected):
    assert parse_boxes(answer) == [[float(v) for v in box] for box in expected]


@pytest.mark.parametrize("answer", ["", "I cannot find a Sign in button on this page.", "<think>hmm",
                                    "Step 1 of 3", "[1, 2, 3]", "<|begin_of_box|><|end_of_box|>"])
def test_parse_boxes_finds_nothing_in_non_answers(answer):
    assert parse_boxes(answer) == []


def test_thinking_text_is_ignored_after_it_closes():
    assert parse_boxes("<think>maybe [1,2,3,4]</think>no box") == []


# --- mapping to screenshot pixels -----------------------------------------------------------------------

def test_glm_norm1000_maps_to_pixels():
    # 1280x800: x scales by 1.28, y by 0.8
    assert to_screenshot_box([412, 530, 588, 571], "glm", (1280, 800)) == (527, 424, 753, 457)


@pytest.mark.parametrize("size", [(1366, 768), (1000, 700), (1280, 800), (375, 812)])
def test_glm_and_gemini_agree_after_swapping(size):
    glm = to_screenshot_box(parse_boxes(GLM_BOXED)[0], "glm", size)
    gemini = to_screenshot_box(parse_boxes(GEMINI)[0], "gemini", size)
    assert glm == gemini


def test_qwen25vl_maps_from_the_smart_resized_image():
    # 1366x768 is seen by Qwen2.5-VL as 1372x756 (multiples of 28)
    assert smart_resize(768, 1366) == (756, 1372)
    x1, y1, x2, y2 = to_screenshot_box([515, 424, 739, 466], "qwen25vl", (1366, 768))
    assert (x1, y1, x2, y2) == (round(515 * 1366 / 1372), round(424 * 768 / 756),
                                round(739 * 1366 / 1372), round(466 * 768 / 756))
    # 1000x700 -> 1008x700: x shrinks a little, y is unchanged
    assert smart_resize(700, 1000) == (700, 1008)
    assert to_screenshot_box([1008, 700, 1008, 700], "qwen25vl", (1000, 700)) == (999, 699, 999, 699)
    assert to_screenshot_box([504, 350, 504, 350], "qwen25vl", (1000, 700)) == (500, 350, 500, 350)


def test_uitars_point_maps_to_screenshot_pixels():
    box = parse_boxes(UITARS)[0]
    w, h = 1366, 768
    rh, rw = smart_resize(h, w, 28, 100 * 28 * 28, 16384 * 28 * 28)
    assert to_screenshot_point(box, "uitars", (w, h)) == (round(661 * w / rw), round(445 * h / rh))


def test_large_screens_are_resized_down_within_max_pixels():
    rh, rw = smart_resize(6000, 8000, max_pixels=28 * 28 * 1280)
    assert rh % 28 == 0 and rw % 28 == 0 and rh * rw <= 28 * 28 * 1280
    assert abs(rw / rh - 8000 / 6000) < 0.05


@pytest.mark.parametrize("h, w", [(768, 1366), (700, 1000), (800, 1280), (1600, 2560), (812, 375), (50, 60)])
def test_smart_resize_matches_transformers(h, w):
    qwen = pytest.importorskip("transformers.models.qwen2_vl.image_processing_pil_qwen2_vl")
    assert smart_resize(h, w, 28, 56 * 56, 28 * 28 * 16384) == qwen.smart_resize(h, w, 28, 56 * 56, 28 * 28 * 16384)


def test_cogagent_norm999_reaches_the_far_edge():
    assert to_screenshot_box([0, 0, 999, 999], "cogagent", (1000, 700)) == (0, 0, 999, 699)


def test_boxes_are_clamped_and_corners_sorted():
    assert to_screenshot_box([588, 571, 412, 530], "glm", (1280, 800)) == (527, 424, 753, 457)
    assert to_screenshot_box([-20, -5, 1030, 1200], "glm", (1000, 700)) == (0, 0, 999, 699)
    assert to_screenshot_box([5000, 10, 6000, 20], "pixels", (1366, 768)) == (1365, 10, 1365, 20)


def test_point_becomes_zero_size_box_and_rejects_other_shapes():
    assert to_screenshot_box([500, 500], "glm", (1366, 768)) == (683, 384, 683, 384)
    with pytest.raises(ValueError):
        to_screenshot_box([1, 2, 3], "glm", (100, 100))


def test_adapters_are_declared_and_found_by_name():
    assert {"glm", "qwen25vl", "uitars", "gemini", "pixels"} <= set(ADAPTERS)
    assert get_adapter("Qwen2.5-VL").name == "qwen25vl"
    assert get_adapter("UI-TARS-1.5").name == "uitars"
    assert get_adapter("gemini").order == "yx"
    with pytest.raises(ValueError, match="unknown coordinate adapter"):
        get_adapter("llava")
    with pytest.raises(AttributeError):
        ADAPTERS["glm"].scale = "absolute"  # frozen


# --- element lists (the `parse` answer) -----------------------------------------------------------------

PARSE_ANSWER = """Here are the elements:
```json
[
  {"kind": "text", "text": "Welcome back", "bbox": [400, 100, 600, 140]},
  {"kind": "text field", "text": "Email address", "bbox": [400, 300, 600, 340],},
  {"kind": "Button", "text": "Sign in", "bbox": "<|begin_of_box|>[[412,530,588,571]]<|end_of_box|>"},
  {"kind": "checkbox", "text": "Remember me", "bbox": [[400, 450, 420, 470]]},
  {"kind": "link", "text": "no box here"},
]
```"""


def test_elements_from_a_fenced_answer_with_trailing_commas():
    elements = elements_from_answer(PARSE_ANSWER, get_adapter("glm"), (1280, 800))
    assert [(e.kind, e.text) for e in elements] == [
        ("text", "Welcome back"), ("input", "Email address"), ("button", "Sign in"), ("checkbox", "Remember me")]
    assert elements[2].box == (527, 424, 753, 457)


def test_elements_from_a_cut_off_list_keep_the_complete_objects():
    cut = '[{"kind": "button", "text": "OK", "bbox": [10, 10, 50, 30]}, {"kind": "link", "text": "Hel'
    elements = elements_from_answer(cut, get_adapter("pixels"), (200, 100))
    assert [(e.kind, e.text, e.box) for e in elements] == [("button", "OK", (10, 10, 50, 30))]


def test_elements_from_python_style_and_gemini_answers():
    py = "[{'kind': 'radio', 'text': '男', 'bbox': [10, 10, 30, 30], 'checked': True}]"
    assert elements_from_answer(py, get_adapter("pixels"), (100, 100))[0].text == "男"
    gemini = elements_from_answer(GEMINI, get_adapter("gemini"), (1280, 800))
    assert gemini[0].box == (527, 424, 753, 457) and gemini[0].text == "Sign in button"


def test_garbage_answers_give_no_elements():
    for answer in ("", "I see a login form.", "[1, 2", "{{{{", "<|begin_of_box|>"):
        assert elements_from_answer(answer, get_adapter("glm"), (100, 100)) == []
    assert extract_json("nothing") is None


def test_clean_answer_and_kind_words():
    assert clean_answer("<think>x</think><|begin_of_box|>Dashboard<|end_of_box|>") == "Dashboard"
    assert normalise_kind("Radio Button") == "radio" and normalise_kind("下拉框") == "select"
    assert normalise_kind("widget") == "text"


@pytest.mark.parametrize("target, kind, text", [
    ('"Sign in" button', "button", "Sign in"),
    ("“登录” 按钮", "button", "登录"),
    ("Email address", "", "Email address"),
])
def test_target_words(target, kind, text):
    assert target_words(target) == (kind, text)


def test_target_words_of_a_relation_name_the_kind():
    assert target_words("checkbox left of 'Remember me'")[0] == "checkbox"
