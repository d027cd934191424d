"""Scenario files: loading, whole-file validation with file:line errors, discovery and sharding.

Each file in tests/scenarios_bad/ states the errors it must raise in `# error: LINE: text` comments.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from agent.errors import ScenarioError
from agent.language.scenario import (
    Scenario,
    discover,
    load_all,
    load_scenario,
    parse_scenario,
    parse_shard,
    shard,
    shard_paths,
)
from agent.language.steps import Ask, AssertCount, AssertVisible, Check, Click, Fill, Press, Select, Wait

HERE = Path(__file__).resolve().parent
BAD = HERE / "scenarios_bad"
ROOT = HERE.parent


def _expected(path: Path) -> list[tuple[str, str]]:
    return re.findall(r"^# error: (\d+|-): (.+)$", path.read_text(encoding="utf-8"), re.M)


BAD_FILES = sorted(BAD.glob("*.yaml"))


def test_every_bad_fixture_states_its_errors():
    assert len(BAD_FILES) >= 20
    for path in BAD_FILES:
        assert _expected(path), f"{path.name} has no '# error: LINE: text' comment"


@pytest.mark.parametrize("path", BAD_FILES, ids=[p.stem for p in BAD_FILES])
def test_bad_file_raises_every_error_with_file_and_line(path: Path):
    with pytest.raises(ScenarioError) as info:
        load_scenario(path)
    lines = str(info.value).splitlines()
    expected = _expected(path)
    assert len(lines) == len(expected), str(info.value)
    for (line, text), got in zip(expected, lines, strict=True):
        prefix = f"{path}: " if line == "-" else f"{path}:{line}: "
        assert got.startswith(prefix), f"expected {prefix!r}, got {got!r}"
        assert text in got, f"expected {text!r} in {got!r}"


GOOD = """\
name: Everything a scenario file can hold
url: /login.html
serve: site/
viewport: {width: 1024, height: 768}
device_scale_factor: 2
backend: OCR
timeout: 4.5
steps:
  - fill: {target: '"Email address" field', text: alice@example.com}
  - Type "secret" into "Password"   # a comment after a sentence
  - check: Remember me
  - "Click \\"Sign in\\""
  - assert: {visible: "Welcome, alice", timeout: 3}
  - 断言有 3 个 "删除" 按钮
  - wait:
      for: Saved
      timeout: 5
  - press: enter
"""


def _write(tmp_path: Path, text: str, name: str = "s.yaml") -> Path:
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_good_file_loads_every_field(tmp_path: Path):
    (tmp_path / "site").mkdir()
    sc = load_scenario(_write(tmp_path, GOOD))
    assert isinstance(sc, Scenario)
    assert sc.name == "Everything a scenario file can hold" and sc.line == 1
    assert sc.url == "/login.html"
    assert sc.serve == (tmp_path / "site").resolve()
    assert sc.base_url is None
    assert sc.viewport == (1024, 768) and sc.device_scale_factor == 2
    assert sc.backend == "ocr" and sc.timeout == 4.5
    assert sc.path == tmp_path / "s.yaml"
    assert sc.steps == (
        Fill('"Email address" field', "alice@example.com"),
        Fill('"Password"', "secret"),
        Check("Remember me"),
        Click('"Sign in"'),
        AssertVisible("Welcome, alice", 3.0),
        AssertCount('"删除" 按钮', 3),
        Wait("Saved", None, 5.0),
        Press("Enter"),
    )
    assert sc.step_lines == (9, 10, 11, 12, 13, 14, 15, 18)
    assert sc.steps[1].source == 'Type "secret" into "Password"'
    assert sc.steps[0].source == "fill: {target: '\"Email address\" field', text: alice@example.com}"


def test_defaults(tmp_path: Path):
    sc = load_scenario(_write(tmp_path, "name: n\nurl: https://example.com/\nsteps:\n  - Reload\n"))
    assert (sc.viewport, sc.device_scale_factor, sc.timeout, sc.serve, sc.backend) == ((1280, 800), 1, 10.0,
                                                                                       None, None)


def test_text_fields_keep_what_was_written(tmp_path: Path):
    # YAML 1.1 would read 0123 as 83, No as False and 2 as an int; in a text field they stay text.
    sc = load_scenario(_write(tmp_path, """\
name: 2024
url: /form.html
steps:
  - fill: {target: Zip code, text: 0123}
  - select: {target: Subscribe, option: No}
  - ask: {question: How many items?, expect: 2}
  - click: 5
  - fill: {target: Done?, text: yes}
"""))
    assert sc.name == "2024"
    assert sc.steps == (Fill("Zip code", "0123"), Select("Subscribe", "No"), Ask("How many items?", "2"),
                        Click("5"), Fill("Done?", "yes"))


def test_a_question_mark_inside_braces_is_text(tmp_path: Path):
    sc = load_scenario(_write(tmp_path, "name: n\nurl: /t.html\nsteps:\n"
                                        "  - fill: {target: What needs to be done?, text: Buy milk}\n"))
    assert sc.steps == (Fill("What needs to be done?", "Buy milk"),)


def test_sentence_and_dict_forms_in_one_file_give_equal_steps(tmp_path: Path):
    sc = load_scenario(_write(tmp_path, """\
name: same steps twice
url: /a.html
steps:
  - Click "OK"
  - click: '"OK"'
  - 在 "国家" 中选择 "中国"
  - select: {target: '"国家"', option: 中国}
"""))
    assert sc.steps[0] == sc.steps[1] and sc.steps[2] == sc.steps[3]
    assert [s.line for s in sc.steps] == [4, 5, 6, 7]


def test_every_scenario_in_the_repository_loads():
    scenarios = load_all(discover([ROOT / "scenarios"]))
    assert len(scenarios) >= 10
    assert all(s.steps for s in scenarios)


def test_load_all_reports_every_bad_file_at_once(tmp_path: Path):
    good = _write(tmp_path, "name: n\nurl: /a\nsteps: [Reload]\n", "a.yaml")
    bad1 = _write(tmp_path, "name: n\nurl: /a\nsteps:\n  - clik: OK\n", "b.yaml")
    bad2 = _write(tmp_path, "url: /a\nsteps:\n  - Reload\n", "c.yaml")
    with pytest.raises(ScenarioError) as info:
        load_all([good, bad1, bad2])
    text = str(info.value)
    assert text.startswith("2 problems in 2 scenario files:")
    assert f"{bad1}:4: unknown step 'clik'" in text
    assert f"{bad2}:1: missing 'name'" in text
    assert len(info.value.errors) == 2
    assert [s.name for s in load_all([good])] == ["n"]


def test_unreadable_files(tmp_path: Path):
    with pytest.raises(ScenarioError, match="no such file"):
        load_scenario(tmp_path / "missing.yaml")
    latin1 = tmp_path / "latin1.yaml"
    latin1.write_bytes("name: caf\xe9\nurl: /a\nsteps: [Reload]\n".encode("latin-1"))
    with pytest.raises(ScenarioError, match="not UTF-8"):
        load_scenario(latin1)
    bom = tmp_path / "bom.yaml"
    bom.write_bytes("name: café\nurl: /a\nsteps: [Reload]\n".encode("utf-8-sig"))
    assert load_scenario(bom).name == "café"


def test_parse_scenario_from_text():
    sc = parse_scenario("name: n\nurl: /a\nsteps:\n  - Go back\n", "inline.yaml")
    assert sc.path == Path("inline.yaml") and sc.steps[0].line == 4
    with pytest.raises(ScenarioError, match=r"^inline.yaml:3: steps must be a list"):
        parse_scenario("name: n\nurl: /a\nsteps: Click OK\n", "inline.yaml")


# ---- discovery and sharding ---------------------------------------------------------------------


def _tree(tmp_path: Path) -> Path:
    for rel in ("b.yaml", "a.yml", "sub/c.yaml", "sub/deeper/a.yaml", "a-b.yaml", "notes.txt",
                ".github/workflows/ci.yml", "sub/.hidden/x.yaml", ".pre-commit-config.yaml"):
        _write(tmp_path, "name: n\nurl: /a\nsteps: [Reload]\n", rel)
    return tmp_path


def test_discover_sorts_by_path_recursively_and_skips_hidden_files(tmp_path: Path):
    root = _tree(tmp_path)
    found = [p.relative_to(root).as_posix() for p in discover([root])]
    assert found == ["a-b.yaml", "a.yml", "b.yaml", "sub/c.yaml", "sub/deeper/a.yaml"]


def test_discover_keeps_argument_order_and_drops_duplicates(tmp_path: Path):
    root = _tree(tmp_path)
    found = discover([root / "sub/c.yaml", root, str(root / "b.yaml")])
    assert found[0] == root / "sub/c.yaml"
    assert len(found) == len(set(found)) == 5


def test_discover_errors(tmp_path: Path):
    with pytest.raises(ScenarioError, match="no such file or folder"):
        discover([tmp_path / "nope"])
    (tmp_path / "empty").mkdir()
    with pytest.raises(ScenarioError, match="no \\*.yaml or \\*.yml files"):
        discover([tmp_path / "empty"])
    with pytest.raises(ScenarioError, match="end in .yaml or .yml"):
        discover([_write(tmp_path, "x", "notes.txt")])


def test_shards_cover_every_file_once_and_are_deterministic():
    files = [Path(f"s{i:02}.yaml") for i in range(11)]
    shards = [shard(files, i, 4) for i in range(1, 5)]
    assert sorted(p for s in shards for p in s) == files
    assert shards[0] == [Path("s00.yaml"), Path("s04.yaml"), Path("s08.yaml")]
    assert shard(files, 1, 4) == shards[0]
    assert shard(files, 1, 1) == files
    assert shard(files[:2], 3, 3) == []
    assert shard_paths is shard


@pytest.mark.parametrize(("spec", "expected"), [("1/4", (1, 4)), (" 4 / 4 ", (4, 4)), ("1/1", (1, 1))])
def test_parse_shard(spec, expected):
    assert parse_shard(spec) == expected


@pytest.mark.parametrize("spec", ["0/4", "5/4", "1/0", "1-4", "a/b", "", "1/4/2", "-1/4"])
def test_parse_shard_rejects(spec):
    with pytest.raises(ScenarioError, match="shard"):
        parse_shard(spec)
