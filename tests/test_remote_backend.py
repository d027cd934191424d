"""The openai backend through LangChain's ChatOpenAI against a real local HTTP server with scripted answers."""

from __future__ import annotations

import pytest
from fake_openai_server import FakeOpenAIServer
from PIL import Image, ImageDraw

from agent.errors import BackendError, BackendUnavailable

pytest.importorskip("langchain_openai")

from vision.remote import OpenAIBackend  # noqa: E402 - after the skip


@pytest.fixture(scope="module")
def screen():
    img = Image.new("RGB", (1366, 768), "white")  # not a multiple of 28 on either side
    draw = ImageDraw.Draw(img)
    draw.rectangle((563, 407, 803, 437), fill="#1f6feb")
    draw.text((650, 415), "Sign in", fill="white")
    return img


def _backend(server: FakeOpenAIServer, **kw) -> OpenAIBackend:
    return OpenAIBackend(base_url=server.base_url, model="zai-org/GLM-4.6V-Flash", api_key="test", max_retries=0,
                         timeout=20, **kw)


def test_locate_maps_a_glm_boxed_answer_to_screenshot_pixels(screen):
    with FakeOpenAIServer(["<|begin_of_box|>[[412,530,588,569]]<|end_of_box|>"]) as server:
        loc = _backend(server).locate(screen, '"Sign in" button')
    assert loc.found
    assert loc.box == (563, 407, 803, 437)  # 412/1000*1366=562.8, 530/1000*768=407.0, ...
    assert loc.point == (683, 422)
    assert loc.element.kind == "button" and loc.element.text == "Sign in"
    body = server.requests[0]
    assert body["model"] == "zai-org/GLM-4.6V-Flash"
    assert body["chat_template_kwargs"] == {"enable_thinking": False}
    text = [b["text"] for b in body["messages"][0]["content"] if b["type"] == "text"][0]
    assert text == 'Help me to locate "Sign in" button in the image and give me its bounding boxes.'
    assert server.image_sizes == [(1366, 768)]  # the screenshot went as it is, as a PNG data URL


def test_qwen25vl_adapter_reads_pixels_of_the_resized_image(screen):
    # Qwen2.5-VL saw 1366x768 as 1372x756; its pixel answer maps back to the screenshot
    answer = '```json\n[{"bbox_2d": [565, 401, 807, 430], "label": "Sign in"}]\n```'
    with FakeOpenAIServer([answer]) as server:
        loc = _backend(server, adapter="qwen25vl").locate(screen, '"Sign in" button')
    assert loc.box == (round(565 * 1366 / 1372), round(401 * 768 / 756), round(807 * 1366 / 1372),
                       round(430 * 768 / 756))


def test_parse_and_ask(screen):
    parse_answer = ('```json\n[{"kind": "button", "text": "Sign in", "bbox": [412, 530, 588, 569]},\n'
                    ' {"kind": "text", "text": "Welcome", "bbox": [400, 100, 600, 140]},]\n```')
    with FakeOpenAIServer([parse_answer, "<think>read it</think><|begin_of_box|>Welcome<|end_of_box|>"]) as server:
        backend = _backend(server)
        parsed = backend.parse(screen)
        answer = backend.ask(screen, "What is the heading?")
    assert [(e.id, e.kind, e.text) for e in parsed.elements] == [(1, "text", "Welcome"), (2, "button", "Sign in")]
    assert parsed.elements[1].box == (563, 407, 803, 437)
    assert answer.text == "Welcome"
    assert backend.parse(screen) is parsed  # cached: no third request
    assert len(server.requests) == 2


def test_locate_many_sends_concurrent_requests(screen):
    with FakeOpenAIServer(["<|begin_of_box|>[[0,0,500,500]]<|end_of_box|>"] * 3) as server:
        locs = _backend(server).locate_many(screen, ['"A"', '"B"', '"C"'])
    assert [loc.box for loc in locs] == [(0, 0, 683, 384)] * 3
    assert len(server.requests) == 3


@pytest.mark.parametrize("garbage", ["I'm sorry, I can't help with that.", "", "[[[[", "<|begin_of_box|>"])
def test_garbage_answers_are_not_found_not_a_crash(screen, garbage):
    with FakeOpenAIServer([garbage, garbage]) as server:
        backend = _backend(server)
        loc = backend.locate(screen, '"Sign in" button')
        parsed = backend.parse(screen)
    assert not loc.found and "no box" in loc.detail
    assert parsed.elements == ()


def test_server_errors_become_backend_errors(screen):
    with FakeOpenAIServer([(500, {"error": {"message": "model crashed", "type": "server_error"}})]) as server:
        with pytest.raises(BackendError, match="openai backend failed"):
            _backend(server).locate(screen, '"Sign in" button')


def test_unreachable_server_is_a_backend_error(screen):
    with FakeOpenAIServer([]) as server:
        url = server.base_url
    backend = OpenAIBackend(base_url=url, model="m", api_key="x", max_retries=0, timeout=5)
    with pytest.raises(BackendError):
        backend.ask(screen, "anything?")


def test_injected_chat_model_is_used_as_given(screen):
    from langchain_core.language_models.fake_chat_models import FakeListChatModel

    chat = FakeListChatModel(responses=["<|begin_of_box|>[[500,500,500,500]]<|end_of_box|>"])
    loc = OpenAIBackend(chat_model=chat).locate(screen, "the logo")
    assert loc.point == (683, 384)


def test_missing_settings_name_what_to_set(monkeypatch):
    for var in ("PAGESIGHT_OPENAI_BASE_URL", "OPENAI_BASE_URL", "PAGESIGHT_OPENAI_MODEL"):
        monkeypatch.delenv(var, raising=False)
    with pytest.raises(BackendUnavailable, match="PAGESIGHT_OPENAI_BASE_URL.*PAGESIGHT_OPENAI_MODEL"):
        OpenAIBackend()
    monkeypatch.setenv("PAGESIGHT_OPENAI_BASE_URL", "http://127.0.0.1:9/v1")
    monkeypatch.setenv("PAGESIGHT_OPENAI_MODEL", "glm")
    assert OpenAIBackend().chat_model.model_name == "glm"


def test_without_langchain_the_error_names_the_extra(monkeypatch):
    import sys

    monkeypatch.setitem(sys.modules, "langchain_openai", None)
    from vision.backend import load_backend

    with pytest.raises(BackendUnavailable, match=r"pagesight\[remote\]"):
        load_backend("openai", base_url="http://127.0.0.1:9/v1", model="m")


def test_fake_server_refuses_requests_without_an_image(screen):
    from langchain_openai import ChatOpenAI

    with FakeOpenAIServer(["never sent"]) as server:
        chat = ChatOpenAI(base_url=server.base_url, model="m", api_key="x", max_retries=0)
        with pytest.raises(Exception, match="no image_url"):
            chat.invoke("hello")
    assert server.requests == []


def test_langchain_messages_become_glm_messages(screen):
    from langchain_core.messages import AIMessage, HumanMessage, SystemMessage

    from vision.chat_model import image_from_data_url, to_glm_messages
    from vision.remote import image_data_url

    url = image_data_url(screen)
    messages, images = to_glm_messages([
        SystemMessage(content="You test web pages."),
        HumanMessage(content=[{"type": "text", "text": "Compare"}, {"type": "image_url", "image_url": {"url": url}},
                              {"type": "image", "base64": url.split(",", 1)[1], "mime_type": "image/png"}]),
        AIMessage(content="Done."),
    ])
    assert messages == [{"role": "system", "content": "You test web pages."},
                        {"role": "user", "content": [{"type": "text", "text": "Compare"}, {"type": "image"},
                                                     {"type": "image"}]},
                        {"role": "assistant", "content": "Done."}]
    assert [img.size for img in images] == [(1366, 768), (1366, 768)]
    assert images[0].tobytes() == screen.tobytes()
    with pytest.raises(BackendError, match="only data: URLs"):
        image_from_data_url("https://example.com/shot.png")
    with pytest.raises(BackendError, match="could not decode"):
        image_from_data_url("data:image/png;base64,bm90IGFuIGltYWdl")
