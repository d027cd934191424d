"""A tiny random-weight GLM-4.1V/4.6V model of the real architecture, built and saved in seconds.

The model is `Glm4vForConditionalGeneration` with 2 text layers of width 64 and a 2-layer vision tower;
the tokenizer is a byte-level BPE trained in memory on a few sentences, holding GLM's special tokens,
with a chat template in the style of GLM-4.5V/4.6V (`enable_thinking=False` closes an empty
`<think></think>`). Everything is written with `save_pretrained`, so the backend loads it through its
real loading code, exactly as it would load the published weights from a directory.
"""

from __future__ import annotations

import json
from pathlib import Path

# GLM-4.1V/4.6V special tokens, in the order of the published tokenizer (151329 onwards there).
SPECIAL_TOKENS = [
    "<|endoftext|>", "[MASK]", "[gMASK]", "[sMASK]", "<sop>", "<eop>", "<|system|>", "<|user|>",
    "<|assistant|>", "<|observation|>", "<|begin_of_image|>", "<|end_of_image|>", "<|begin_of_video|>",
    "<|end_of_video|>", "<|image|>", "<|video|>", "<|begin_of_audio|>", "<|end_of_audio|>",
    "<|begin_of_transcription|>", "<|end_of_transcription|>", "<|code_prefix|>", "<|code_middle|>",
    "<|code_suffix|>", "<think>", "</think>", "<|begin_of_box|>", "<|end_of_box|>",
]

CHAT_TEMPLATE = (
    "[gMASK]<sop>"
    "{%- for msg in messages -%}"
    "{%- if msg.role == 'system' -%}<|system|>{{ '\\n' }}{{ msg.content }}"
    "{%- elif msg.role == 'user' -%}<|user|>{{ '\\n' }}"
    "{%- if msg.content is string -%}{{ msg.content }}"
    "{%- else -%}{%- for item in msg.content -%}"
    "{%- if item.type == 'image' or 'image' in item -%}<|begin_of_image|><|image|><|end_of_image|>"
    "{%- elif item.type == 'video' or 'video' in item -%}<|begin_of_video|><|video|><|end_of_video|>"
    "{%- elif item.type == 'text' -%}{{ item.text }}"
    "{%- endif -%}{%- endfor -%}{%- endif -%}"
    "{%- elif msg.role == 'assistant' -%}<|assistant|>{{ '\\n' }}{{ msg.content }}"
    "{%- endif -%}{%- endfor -%}"
    "{%- if add_generation_prompt -%}<|assistant|>"
    "{{- '\n<think></think>\n' if (enable_thinking is defined and not enable_thinking) else '\n' -}}"
    "{%- endif -%}"
)

_CORPUS = [
    "Help me to locate the Sign in button in the image and give me its bounding boxes.",
    "List every interactive element on this screenshot as JSON: kind, text, bbox.",
    '{"kind": "button", "text": "Sign in", "bbox": [412, 530, 588, 571]}',
    "<|begin_of_box|>[[412,530,588,571]]<|end_of_box|> The username field, password, remember me.",
    "What is the title of the page? Welcome back, alice. Email address, Submit, Cancel, Next.",
    "请帮我找到图中的登录按钮并给出它的边界框。用户名 密码 记住我 提交 取消 第二个 删除",
    "0123456789 [ ] ( ) { } , : \" ' . - _ / ? ! link input checkbox radio select tab menu icon",
]


def build_tokenizer():
    """A PreTrainedTokenizerFast: byte-level BPE trained on `_CORPUS`, plus GLM's special tokens."""
    from tokenizers import Tokenizer, decoders, models, pre_tokenizers, trainers
    from transformers import PreTrainedTokenizerFast

    tok = Tokenizer(models.BPE())
    tok.pre_tokenizer = pre_tokenizers.ByteLevel(add_prefix_space=False)
    tok.decoder = decoders.ByteLevel()
    trainer = trainers.BpeTrainer(vocab_size=700, special_tokens=SPECIAL_TOKENS,
                                  initial_alphabet=pre_tokenizers.ByteLevel.alphabet(), show_progress=False)
    tok.train_from_iterator(_CORPUS * 4, trainer=trainer)
    fast = PreTrainedTokenizerFast(tokenizer_object=tok, eos_token="<|endoftext|>", pad_token="<|endoftext|>",
                                   additional_special_tokens=SPECIAL_TOKENS[1:])
    fast.chat_template = CHAT_TEMPLATE
    fast.padding_side = "left"
    return fast


def build_tiny_glm(directory: str | Path, seed: int = 0, max_image_tokens: int = 320) -> Path:
    """Write a tiny GLM-4V checkpoint (config, weights, tokenizer, image processor, template) to `directory`.

    `max_image_tokens` caps the image processor's resize so a 1280x800 screenshot stays cheap on CPU.
    """
    import torch
    from transformers import GenerationConfig, Glm4vConfig, Glm4vForConditionalGeneration

    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    tokenizer = build_tokenizer()
    ids = {t: tokenizer.convert_tokens_to_ids(t) for t in SPECIAL_TOKENS}
    eos = [ids["<|endoftext|>"], ids["<|user|>"], ids["<|observation|>"]]
    config = Glm4vConfig(
        text_config={
            "vocab_size": len(tokenizer), "hidden_size": 64, "intermediate_size": 128, "num_hidden_layers": 2,
            "num_attention_heads": 4, "num_key_value_heads": 2, "max_position_embeddings": 4096,
            "attention_bias": True, "pad_token_id": ids["<|endoftext|>"], "eos_token_id": eos,
            "rope_parameters": {"rope_type": "default", "rope_theta": 10000.0, "mrope_section": [1, 1, 2],
                                "partial_rotary_factor": 0.5},
        },
        vision_config={
            "depth": 2, "hidden_size": 32, "num_heads": 2, "intermediate_size": 64, "out_hidden_size": 64,
            "patch_size": 14, "spatial_merge_size": 2, "temporal_patch_size": 2, "image_size": 336,
        },
        image_token_id=ids["<|image|>"], video_token_id=ids["<|video|>"],
        image_start_token_id=ids["<|begin_of_image|>"], image_end_token_id=ids["<|end_of_image|>"],
        video_start_token_id=ids["<|begin_of_video|>"], video_end_token_id=ids["<|end_of_video|>"],
    )
    torch.manual_seed(seed)
    model = Glm4vForConditionalGeneration(config).eval()
    # Random init gives near-uniform logits; a wider output layer makes greedy choices clear-cut, so the
    # equality tests (batched vs single, cached vs fresh) compare real decisions, not float noise.
    with torch.no_grad():
        model.lm_head.weight.normal_(0.0, 1.0)
    model.generation_config = GenerationConfig(eos_token_id=eos, pad_token_id=ids["<|endoftext|>"],
                                               do_sample=False)
    model.save_pretrained(directory)
    tokenizer.save_pretrained(directory)
    (directory / "chat_template.jinja").write_text(CHAT_TEMPLATE, encoding="utf-8")
    merge = 28 * 28
    (directory / "preprocessor_config.json").write_text(json.dumps({
        "image_processor_type": "Glm4vImageProcessor", "processor_class": "Glm4vProcessor",
        "do_resize": True, "do_rescale": True, "do_normalize": True, "do_convert_rgb": True,
        "size": {"shortest_edge": merge * 4, "longest_edge": merge * max_image_tokens * 2},
        "patch_size": 14, "temporal_patch_size": 2, "merge_size": 2,
        "image_mean": [0.48145466, 0.4578275, 0.40821073], "image_std": [0.26862954, 0.26130258, 0.27577711],
    }, indent=2), encoding="utf-8")
    return directory
