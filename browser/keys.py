"""Key names, in one place: Playwright's names (its US keyboard layout) and the aliases people write in
steps, English and Chinese (`ctrl`, `回车`). Steps check them strictly; the session passes unknown
names on to Playwright, which has the last word."""

from __future__ import annotations

import difflib
import re

__all__ = ["NAMED_KEYS", "KEY_ALIASES", "normalize_key"]

# Playwright key names (its US keyboard layout); single characters are always fine.
NAMED_KEYS = {k.lower(): k for k in (
    "Enter Tab Escape Space Backspace Delete Insert Home End PageUp PageDown ArrowUp ArrowDown "
    "ArrowLeft ArrowRight Shift Control Alt Meta ControlOrMeta AltGraph CapsLock NumLock ScrollLock "
    "ContextMenu Pause PrintScreen Backquote Minus Equal Backslash BracketLeft BracketRight Semicolon "
    "Quote Comma Period Slash ShiftLeft ShiftRight ControlLeft ControlRight AltLeft AltRight MetaLeft "
    "MetaRight NumpadAdd NumpadSubtract NumpadMultiply NumpadDivide NumpadDecimal NumpadEnter"
).split()}
NAMED_KEYS.update({f"f{i}": f"F{i}" for i in range(1, 13)})
NAMED_KEYS.update({f"digit{i}": f"Digit{i}" for i in range(10)})
NAMED_KEYS.update({f"numpad{i}": f"Numpad{i}" for i in range(10)})
NAMED_KEYS.update({f"key{c}": f"Key{c.upper()}" for c in "abcdefghijklmnopqrstuvwxyz"})
KEY_ALIASES = {
    "return": "Enter", "enter key": "Enter", "esc": "Escape", "spacebar": "Space", "space bar": "Space",
    "del": "Delete", "ins": "Insert", "ctrl": "Control", "strg": "Control", "cmd": "Meta",
    "command": "Meta", "win": "Meta", "windows": "Meta", "super": "Meta", "option": "Alt",
    "opt": "Alt", "up": "ArrowUp", "down": "ArrowDown", "left": "ArrowLeft", "right": "ArrowRight",
    "up arrow": "ArrowUp", "down arrow": "ArrowDown", "left arrow": "ArrowLeft",
    "right arrow": "ArrowRight", "arrow up": "ArrowUp", "arrow down": "ArrowDown",
    "arrow left": "ArrowLeft", "arrow right": "ArrowRight", "page up": "PageUp",
    "page down": "PageDown", "pgup": "PageUp", "pgdn": "PageDown", "pgdown": "PageDown",
    "回车": "Enter", "回车键": "Enter", "确认键": "Enter", "换行": "Enter", "空格": "Space",
    "空格键": "Space", "退格": "Backspace", "退格键": "Backspace", "删除": "Delete", "删除键": "Delete",
    "制表符": "Tab", "制表键": "Tab", "退出": "Escape", "退出键": "Escape",
    "上": "ArrowUp", "下": "ArrowDown", "左": "ArrowLeft", "右": "ArrowRight",
    "上箭头": "ArrowUp", "下箭头": "ArrowDown", "左箭头": "ArrowLeft", "右箭头": "ArrowRight",
    "向上键": "ArrowUp", "向下键": "ArrowDown", "向左键": "ArrowLeft", "向右键": "ArrowRight",
}


def normalize_key(key: str, strict: bool = True) -> str:
    """`enter` -> `Enter`, `ctrl+a` -> `Control+a`, `回车` -> `Enter`, `f5` -> `F5`. An unknown name is a
    ValueError that suggests the nearest one, or, with `strict=False`, passed on as written."""
    key = key.strip()
    if len(key) == 1:
        return key
    parts = re.split(r"\s*\+\s*", key) if "+" in key[1:] else [key]
    out = []
    for part in parts:
        low = part.lower()
        if len(part) == 1:
            out.append(part)
        elif low in KEY_ALIASES:
            out.append(KEY_ALIASES[low])
        elif low in NAMED_KEYS:
            out.append(NAMED_KEYS[low])
        elif not strict:  # Playwright knows more (F13-F24 …): let it judge
            out.append(low.upper() if re.fullmatch(r"f\d{1,2}", low) else part)
        else:
            close = difflib.get_close_matches(low, list(NAMED_KEYS) + list(KEY_ALIASES), n=1, cutoff=0.7)
            hint = f" (did you mean {(NAMED_KEYS.get(close[0]) or KEY_ALIASES[close[0]])!r}?)" if close else ""
            raise ValueError(f"unknown key {part!r}{hint}; use Playwright key names such as Enter, Tab, "
                             f"Escape, ArrowDown, Control+A, or one character")
    return "+".join(out)
