"""The glm backend end to end on a tiny random-weight GLM-4V built here (see helpers_tiny_glm.py).

The model's answers are noise, so these tests check what does not depend on weights: loading through
the real code, determinism, that cached-prefix and batched generation give exactly the tokens of a
plain `model.generate`, result types, and the error paths. Reading real answers is in test_adapters.py
and test_remote_backend.py.
"""

from __future__ import annotations

import base64
import io
import sys
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from PIL import Image, ImageDraw

from agent.errors import BackendUnavailable
from vision.types import Answer, Location, Parse, image_hash

# transformers' processor hands torch tensors to np.array; numpy 2 warns about it (not ours to fix)
pytestmark = pytest.mark.filterwarnings("ignore:__array__ implementation:DeprecationWarning")

QUESTIONS = ['Help me to locate the "Sign in" button in the image and give me its bounding boxes.',
             "What is the title of this page?",
             "List every interactive element on this screenshot as JSON."]
N_TOKENS = 12


@pytest.fixture(scope="session")
def tiny_glm_dir(tmp_path_factory):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    from helpers_tiny_glm import build_tiny_glm

    return build_tiny_glm(tmp_path_factory.mktemp("tiny-glm"))


@pytest.fixture(scope="module")
def glm(tiny_glm_dir):
    from vision.glm import GlmBackend

    with pytest.warns(RuntimeWarning, match="CPU"):
        backend = GlmBackend(model=str(tiny_glm_dir))
    yield backend
    backend.close()


@pytest.fixture(scope="module")
def login_png(shoot):
    return shoot("login.html")


@pytest.fixture(scope="module")
def other_png():
    img = Image.new("RGB", (1366, 768), "#f4f4f4")
    draw = ImageDraw.Draw(img)
    draw.rectangle((500, 400, 860, 450), fill="#1f6feb")
    draw.text((640, 418), "Continue", fill="white")
    return img


def _reference(glm, image, question: str, n: int) -> list[int]:
    """Tokens from a plain `model.generate` on the whole prompt: no cache reuse, no batching."""
    import torch

    inputs = glm.prompts.full_inputs(image, question)
    inputs.pop("token_type_ids", None)
    with torch.inference_mode():
        out = glm.model.generate(**inputs, max_new_tokens=n, do_sample=False)
    tokens = out[0, inputs["input_ids"].shape[1]:].tolist()
    eos = set(glm.engine.eos_ids)
    return tokens[:next((i for i, t in enumerate(tokens) if t in eos), len(tokens))]


def _prompt(glm, image, question, n=N_TOKENS, **kw):
    return glm.prompts.build(image, image_hash(image), question, n, **kw)


def test_loads_through_the_real_loading_code(glm, tiny_glm_dir):
    import torch

    assert type(glm.model).__name__ == "Glm4vForConditionalGeneration"
    assert glm.model.dtype == torch.float32 and glm.model.device.type == "cpu"
    assert glm.model.config._attn_implementation == "sdpa"
    assert glm.path == tiny_glm_dir
    assert glm.tokenizer.convert_tokens_to_ids("<|begin_of_box|>") in glm.tokenizer.get_vocab().values()
    text = glm.prompts.render(glm.prompts.question_messages("hi"))
    assert text.startswith("[gMASK]<sop><|user|>") and text.endswith("<think></think>\n")  # thinking off


def test_prefix_and_suffix_tokenise_like_the_whole_prompt(glm, login_png):
    prompt = _prompt(glm, login_png, QUESTIONS[0])
    prefix = prompt.prefix_inputs()
    whole = glm.prompts.full_inputs(login_png, QUESTIONS[0])
    joined = prefix["input_ids"][0].tolist() + list(prompt.suffix_ids)
    assert joined == whole["input_ids"][0].tolist()
    assert int(prefix["image_grid_thw"].prod()) // 4 == int((prefix["mm_token_type_ids"] == 1).sum())


def test_answers_are_deterministic(glm, login_png):
    first = glm.ask(login_png, QUESTIONS[1])
    again = glm.ask(login_png, QUESTIONS[1])
    assert isinstance(first, Answer) and isinstance(first.text, str)
    assert first == again


def test_cached_prefix_gives_the_tokens_of_a_fresh_run(glm, login_png, other_png):
    glm.engine.clear_cache()
    for image in (login_png, other_png):
        gens = [glm.engine.generate(_prompt(glm, image, q)) for q in QUESTIONS]
        assert [g.prefix_cached for g in gens] == [False, True, True]
        for q, g in zip(QUESTIONS, gens, strict=True):
            assert g.tokens == _reference(glm, image, q, N_TOKENS)
            assert 1 <= len(g.tokens) <= N_TOKENS or g.tokens == []


def test_batched_rows_equal_single_runs(glm, login_png, other_png):
    cases = [(img, q) for img in (login_png, other_png) for q in QUESTIONS] + [(login_png, "Hi")]
    singles = [glm.engine.generate(_prompt(glm, img, q)).tokens for img, q in cases]
    glm.engine.clear_cache()  # the batch prefills both images itself, with different prefix lengths
    batched = glm.engine.generate_many([_prompt(glm, img, q) for img, q in cases])
    assert {g.batch_size for g in batched} == {len(cases)}
    assert [g.tokens for g in batched] == singles


def test_concurrent_threads_get_their_own_answers(glm, login_png, other_png):
    cases = [(img, q) for img in (login_png, other_png) for q in QUESTIONS]
    expected = [glm.engine.generate(_prompt(glm, img, q)).tokens for img, q in cases]
    start = threading.Barrier(len(cases))

    def run(case):
        start.wait()
        return glm.engine.generate(_prompt(glm, *case)).tokens

    with ThreadPoolExecutor(len(cases)) as pool:
        assert list(pool.map(run, cases)) == expected


def test_min_and_max_new_tokens(glm, other_png):
    gen = glm.engine.generate(_prompt(glm, other_png, QUESTIONS[1], n=5, min_new_tokens=5))
    assert len(gen.tokens) == 5
    assert gen.first_token_s <= gen.total_s


def test_a_failing_request_fails_alone_and_the_engine_goes_on(glm, other_png, login_png):
    bad = _prompt(glm, other_png, QUESTIONS[1])
    bad.suffix_ids = []
    broken = _prompt(glm, login_png, QUESTIONS[1])
    broken.prefix_key = "never-seen"

    def fail():
        raise OSError("image file vanished")

    broken.prefix_inputs = fail
    good = _prompt(glm, other_png, QUESTIONS[0])
    futures = glm.engine.submit_many([bad, broken, good])  # one batch: the good row must still be answered
    with pytest.raises(ValueError, match="suffix"):
        futures[0].result()
    with pytest.raises(OSError, match="vanished"):
        futures[1].result()
    assert futures[2].result().tokens == glm.engine.generate(_prompt(glm, other_png, QUESTIONS[0])).tokens


def test_result_types_and_shapes(glm, login_png):
    loc = glm.locate(login_png, '"Sign in" button')
    assert isinstance(loc, Location) and loc.query == '"Sign in" button'
    if loc.found:  # noise may or may not contain a box; when it does, it lies on the image
        x1, y1, x2, y2 = loc.box
        assert 0 <= x1 <= x2 < login_png.width and 0 <= y1 <= y2 < login_png.height
        assert loc.element.kind == "button"
    else:
        assert "no box" in loc.detail
    parsed = glm.parse(login_png)
    assert isinstance(parsed, Parse) and (parsed.width, parsed.height) == login_png.size
    assert glm.parse(login_png) is parsed  # cached by image hash
    many = glm.locate_many(login_png, ['"Email" field', '"Password" field'])
    assert [m.query for m in many] == ['"Email" field', '"Password" field']


def test_langchain_chat_model_over_the_local_model(glm, login_png):
    pytest.importorskip("langchain_core")
    from langchain_core.messages import AIMessage, HumanMessage

    from vision.chat_model import GlmChatModel

    buf = io.BytesIO()
    login_png.save(buf, format="PNG")
    url = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()
    chat = GlmChatModel(backend=glm, max_new_tokens=glm.ask_tokens)
    reply = chat.invoke([HumanMessage(content=[{"type": "image_url", "image_url": {"url": url}},
                                               {"type": "text", "text": QUESTIONS[1]}])])
    assert isinstance(reply, AIMessage) and isinstance(reply.content, str)
    assert reply.content == glm.ask(login_png, QUESTIONS[1]).text  # same prompt, same tokens


# --- error paths (these run without torch too) -------------------------------------------------------------

def test_missing_model_folder_names_how_to_get_the_weights(tmp_path):
    pytest.importorskip("transformers")
    from vision.glm import GlmBackend

    with pytest.raises(BackendUnavailable, match="huggingface-cli download zai-org/GLM-4.6V-Flash"):
        GlmBackend(model=str(tmp_path / "nowhere"))
    with pytest.raises(BackendUnavailable, match="no config.json"):
        GlmBackend(model=str(tmp_path))


def test_model_found_by_env_and_for_doctor(tiny_glm_dir, monkeypatch, tmp_path):
    from vision.glm.loader import find_local_model, resolve_model_path

    monkeypatch.setenv("PAGESIGHT_GLM_MODEL", str(tiny_glm_dir))
    assert resolve_model_path(None) == tiny_glm_dir
    assert find_local_model(None) == tiny_glm_dir
    assert find_local_model(str(tmp_path / "nowhere")) is None


def test_repo_id_not_in_the_local_cache_is_never_downloaded(tmp_path, monkeypatch):
    pytest.importorskip("transformers")
    from vision.glm.loader import resolve_model_path

    monkeypatch.setenv("HF_HUB_CACHE", str(tmp_path / "empty-cache"))
    monkeypatch.setenv("HF_HUB_OFFLINE", "1")
    with pytest.raises(BackendUnavailable, match="not in the local Hugging Face cache.*huggingface-cli download"):
        resolve_model_path("zai-org/GLM-4.6V-Flash")


def test_without_transformers_the_error_names_the_extra(monkeypatch, tmp_path):
    monkeypatch.setitem(sys.modules, "transformers", None)  # makes `import transformers` raise ImportError
    from vision.backend import load_backend

    with pytest.raises(BackendUnavailable, match=r"pagesight\[vlm\]"):
        load_backend("glm", model=str(tmp_path))


# --- bench/gpu_glm.py: the GPU benchmark's code path, run tiny on the CPU ------------------------------------

def _bench_module():
    import importlib.util
    from pathlib import Path

    path = Path(__file__).resolve().parent.parent / "bench" / "gpu_glm.py"
    spec = importlib.util.spec_from_file_location("bench_gpu_glm", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_gpu_bench_runs_its_code_path_tiny_on_cpu(capsys):
    pytest.importorskip("torch")
    pytest.importorskip("transformers")
    import json

    bench = _bench_module()
    assert bench.main(["--tiny", "--latency-runs", "2", "--per-client", "2", "--concurrency", "1,2",
                       "--max-new-tokens", "3"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["tiny"] and report["device"] == "cpu" and report["image_size"] == [1280, 800]
    assert report["image_tokens"] > 0
    for key in ("new_screenshot", "cached_screenshot"):
        lat = report["latency"][key]
        assert 0 < lat["first_token_ms_p50"] <= lat["first_token_ms_p95"]
        assert lat["first_token_ms_p50"] <= lat["locate_ms_p50"]
    combos = {(r["concurrency"], r["batching"], r["kv_reuse"]) for r in report["throughput"]}
    assert combos == {(1, False, False), (1, False, True), (2, False, False), (2, False, True), (2, True, False),
                      (2, True, True)}
    for run in report["throughput"]:
        assert run["requests"] == 2 * run["concurrency"] and run["requests_per_s"] > 0
        assert run["mean_batch"] == 1.0 or run["batching"]


def test_gpu_bench_refuses_without_cuda(capsys):
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("a GPU is here: the refusal path cannot be seen")
    assert _bench_module().main([]) == 2
    assert "no CUDA GPU" in capsys.readouterr().err
