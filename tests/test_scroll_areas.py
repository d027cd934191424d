"""Inner scroll areas (issue #11, SCENARIO_FORMAT v1.1): `scroll: {in: TARGET}` wheels over the target's
area, and `Scroll to "X"` also scrolls the area under the text nearest to X, on a page whose list
(`overflow: auto`) sits away from the viewport centre. Real Chromium, real OCR."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.engine.loop import Agent
from agent.language.sentences import parse_sentence
from agent.language.step_dicts import step_from_dict
from agent.language.steps import Scroll
from browser.serve import serve_folder
from browser.session import BrowserSession
from pagesight_errors import ScenarioError

PAGES = Path(__file__).resolve().parent / "pages"


@pytest.fixture
def agent(raw_browser, backend):
    with serve_folder(PAGES) as url, \
            BrowserSession(viewport=(900, 500), base_url=url, browser=raw_browser) as session:
        session.goto("/scroll_list.html")
        yield Agent(session, backend, timeout=3)


def _list_top(agent: Agent) -> float:
    return agent.session.page.evaluate("() => document.getElementById('entries').scrollTop")


def test_the_dict_form_reads_in_and_checks_it():
    step = step_from_dict({"scroll": {"in": '"Entry 1"', "direction": "down", "times": 2}})
    assert step == Scroll("down", 2, within='"Entry 1"')
    assert step.describe() == 'scroll down 2 times in "Entry 1"'
    with pytest.raises(ScenarioError, match="either `to: TARGET` or"):
        step_from_dict({"scroll": {"in": '"Entry 1"', "to": '"Entry 40"'}}, line=4, file="s.yaml")
    with pytest.raises(ScenarioError, match="s.yaml:4"):
        step_from_dict({"scroll": {"in": '""'}}, line=4, file="s.yaml")


def test_scroll_in_wheels_over_the_target_area_not_the_viewport_centre(agent):
    agent.run(step_from_dict({"scroll": {"in": '"Entry 1"', "direction": "down", "times": 2}}))
    assert _list_top(agent) >= 2 * 0.8 * 200  # two scrolls of 80% of the list's height (240 px less borders)
    agent.run(step_from_dict({"scroll": {"in": '"Entry 20"', "direction": "up"}}))
    assert _list_top(agent) < 2 * 0.8 * 240


def test_scroll_to_finds_an_entry_inside_an_overflow_list(agent):
    record = agent.run(parse_sentence('Scroll to "Entry 40"'))
    assert "Entry 40" in record.answer
    assert _list_top(agent) > 0
    assert any("the text nearest to the target" in n for n in record.notes)
