"""`clear: TARGET` (SCENARIO_FORMAT v1.1) empties a field: the dict form, the sentences `Clear "Search"`
and `清空 "搜索"`, its checks, and the step itself on a real page in real Chromium with real OCR."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.engine.loop import Agent
from agent.errors import ScenarioError
from agent.language.sentences import parse_sentence
from agent.language.step_dicts import step_from_dict
from agent.language.steps import Clear, Fill
from browser.serve import serve_folder
from browser.session import BrowserSession

PAGE = Path(__file__).resolve().parent / "pages" / "clear"


def test_the_three_forms_build_the_same_step() -> None:
    assert step_from_dict({"clear": '"Search"'}) == Clear('"Search"')
    assert step_from_dict({"clear": {"target": '"Search"'}}) == Clear('"Search"')
    assert parse_sentence('Clear "Search"') == Clear('"Search"')
    assert parse_sentence('清空 "搜索"') == Clear('"搜索"')
    assert parse_sentence('Clear "Search"').describe() == 'clear "Search"'


@pytest.mark.parametrize("bad, says", [
    ({"clear": ""}, "clear.target is empty"),
    ({"clear": None}, "'clear' needs 'target'"),
    ({"clear": {"target": "x", "text": "y"}}, "'clear' has no field 'text'"),
    ({"clear": ["x"]}, "not a list"),
    ({"clera": "x"}, "did you mean 'clear'"),
])
def test_its_checks_are_those_of_every_target_step(bad: dict, says: str) -> None:
    with pytest.raises(ScenarioError, match=says.replace("(", r"\(")):
        step_from_dict(bad, line=3, file="t.yaml")


@pytest.fixture
def agent(raw_browser, backend):
    with serve_folder(PAGE) as url, \
            BrowserSession(viewport=(800, 400), base_url=url, browser=raw_browser) as session:
        session.goto("/index.html")
        yield Agent(session, backend, timeout=4)


def test_clear_empties_a_field_that_was_typed_into(agent) -> None:
    page = agent.session.page
    agent.run(Fill('"Search" field', "laptops"))
    agent.run(step_from_dict({"fill": {"target": '"搜索" 输入框', "text": "笔记本"}}))
    assert page.input_value("#q") == "laptops" and page.input_value("#zh") == "笔记本"
    record = agent.run(parse_sentence('Clear "Search"'))
    assert record.status == "passed", record
    assert page.input_value("#q") == ""
    assert page.input_value("#zh") == "笔记本"  # only the field named
    agent.run(parse_sentence('清空 "搜索"'))
    assert page.input_value("#zh") == ""


def test_ui_clear_comes_from_the_step_registry(raw_browser, backend, tmp_path) -> None:
    from agent.frontends.ui import UI

    with serve_folder(PAGE) as url:
        ctx = raw_browser.new_context(viewport={"width": 800, "height": 400})
        try:
            page = ctx.new_page()
            page.goto(f"{url}/index.html")
            ui = UI(page, backend, timeout=4, output_dir=tmp_path)
            ui.fill('"Search" field', "laptops")
            assert page.input_value("#q") == "laptops"
            assert ui.clear('"Search" field').status == "passed"
            assert page.input_value("#q") == ""
            with pytest.raises(AttributeError):
                ui.no_such_verb  # noqa: B018 - only registered steps become verbs
        finally:
            ctx.close()
