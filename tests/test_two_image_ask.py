"""Two screenshots in one question (issue #13), the seed model's multi-image comparison: `ask_images`
through the `glm` backend (a tiny random-weight GLM-4V built here) and the `openai` backend (a real
local HTTP server with scripted answers). Both images must reach the model, in order."""

from __future__ import annotations

import pytest
from PIL import Image, ImageDraw

from pagesight_errors import UnsupportedQuestion

QUESTION = "What differs between these screens?"

# transformers' processor hands torch tensors to np.array; numpy 2 warns about it (not ours to fix)
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")


def _screen(size: tuple[int, int], label: str, colour: str) -> Image.Image:
    img = Image.new("RGB", size, "#f4f4f4")
    draw = ImageDraw.Draw(img)
    draw.rectangle((40, 40, 240, 90), fill=colour)
    draw.text((60, 58), label, fill="white")
    return img


BEFORE = _screen((1366, 768), "Save", "#1f6feb")
AFTER = _screen((800, 600), "Saved", "#16a34a")  # another size too: each image keeps its own


def test_the_ocr_backend_says_which_backends_can():
    from vision.ocr import OcrBackend

    with pytest.raises(UnsupportedQuestion, match="glm.*openai"):
        OcrBackend().ask_images([BEFORE, AFTER], QUESTION)


def test_openai_sends_both_images_in_one_request():
    pytest.importorskip("langchain_openai")
    from fake_openai_server import FakeOpenAIServer

    from vision.remote import OpenAIBackend

    with FakeOpenAIServer(["<think>compare</think>The button turned green and now says Saved."]) as server:
        backend = OpenAIBackend(base_url=server.base_url, model="glm", api_key="t", max_retries=0, timeout=20)
        answer = backend.ask_images([BEFORE, AFTER], QUESTION)
    assert answer.text == "The button turned green and now says Saved."
    assert len(server.requests) == 1 and server.image_sizes == [(1366, 768), (800, 600)]
    blocks = server.requests[0]["messages"][0]["content"]
    assert [b["type"] for b in blocks] == ["image_url", "image_url", "text"] and blocks[-1]["text"] == QUESTION


@pytest.fixture(scope="module")
def glm(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from helpers_tiny_glm import build_tiny_glm

    from vision.glm import GlmBackend

    with pytest.warns(RuntimeWarning, match="CPU"):
        backend = GlmBackend(model=str(build_tiny_glm(tmp_path_factory.mktemp("tiny-glm"))))
    yield backend
    backend.close()


def test_glm_sees_both_images(glm):
    seen = []

    def spy(module, args, kwargs):  # the vision tower's input: one grid row per image
        grid = kwargs.get("grid_thw", args[1] if len(args) > 1 else None)
        seen.append([tuple(int(v) for v in row) for row in grid])

    visual = glm.model.model.visual if hasattr(glm.model, "model") else glm.model.visual
    hook = visual.register_forward_pre_hook(spy, with_kwargs=True)
    try:
        glm.engine.clear_cache()
        answer = glm.ask_images([BEFORE, AFTER], QUESTION)
    finally:
        hook.remove()
    assert isinstance(answer.text, str)
    assert len(seen) == 1 and len(seen[0]) == 2  # both images went through the vision tower, in one prompt
    (_, h1, w1), (_, h2, w2) = seen[0]
    assert w1 / h1 > w2 / h2  # in order: the wide 1366x768 first, the 800x600 second
    # the same question about one image is another prompt, with one image in it
    text = glm.prompts.render([{"role": "user", "content": [{"type": "image"}, {"type": "image"},
                                                            {"type": "text", "text": QUESTION}]}])
    assert text.count("<|begin_of_image|>") == 2


def test_glm_two_image_answers_are_deterministic_and_match_the_chat_model(glm):
    pytest.importorskip("langchain_core")
    from langchain_core.messages import HumanMessage

    from vision.chat_model import GlmChatModel
    from vision.remote import image_data_url

    first = glm.ask_images([BEFORE, AFTER], QUESTION).text
    assert glm.ask_images([BEFORE, AFTER], QUESTION).text == first
    chat = GlmChatModel(backend=glm, max_new_tokens=glm.ask_tokens)
    reply = chat.invoke([HumanMessage(content=[{"type": "image_url", "image_url": {"url": image_data_url(BEFORE)}},
                                               {"type": "image_url", "image_url": {"url": image_data_url(AFTER)}},
                                               {"type": "text", "text": QUESTION}])])
    assert reply.content == first  # the same two-image prompt through LangChain gives the same tokens


def test_pagesight_diff_ask_with_the_ocr_backend_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from agent.frontends.cli import main

    a, b = tmp_path / "a.png", tmp_path / "b.png"
    BEFORE.save(a)
    BEFORE.save(b)
    res = CliRunner().invoke(main, ["diff", str(a), str(b), "--ask", QUESTION])
    assert res.exit_code == 2 and "cannot answer questions about several images" in res.output
