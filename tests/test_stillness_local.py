"""The stillness wait (issue #12) on a real page that never stops moving: an infinite CSS spinner and a
clock that ticks every 100 ms. A click elsewhere must not wait the page out; masks and
`--animations disabled` make such a page count as still. Asserted on the recorded outcome of each
look (StepRecord.stillness), not on wall time: speed is for bench/step_latency.py."""

from __future__ import annotations

from pathlib import Path

import pytest

from agent.engine.loop import Agent
from agent.language.steps import Click
from browser.serve import serve_folder
from browser.session import BrowserSession
from browser.stability import moving_boxes
from vision.masks import parse_masks

PAGES = Path(__file__).resolve().parent / "pages" / "speed"


@pytest.fixture(scope="module")
def pages():
    with serve_folder(PAGES) as url:
        yield url


def _run(raw_browser, backend, url, **agent_options):
    animations = agent_options.pop("animations", "allow")
    with BrowserSession(viewport=(800, 500), base_url=url, browser=raw_browser) as session:
        session.animations = animations
        session.goto("/counter.html?busy=1")
        agent = Agent(session, backend, timeout=4, still_timeout=3.0, **agent_options)
        record = agent.run(Click('"Refresh" button'))
        clicks = session.page.evaluate("window.clicks")
    return record, clicks


def test_a_spinner_and_a_clock_elsewhere_do_not_stall_a_click(raw_browser, backend, pages):
    record, clicks = _run(raw_browser, backend, pages)
    assert record.status == "passed" and clicks == 1
    assert record.stillness and "moving" not in record.stillness, record.stillness  # never waited out
    assert "moving-elsewhere" in record.stillness
    assert not any("still moving" in n for n in record.notes)


def test_masks_make_the_moving_parts_count_as_still(raw_browser, backend, pages):
    masks = parse_masks([[620, 30, 800, 140], [560, 420, 800, 500]])  # the spinner, the clock (CSS px)
    record, clicks = _run(raw_browser, backend, pages, masks=masks)
    assert clicks == 1 and set(record.stillness) <= {"still", "still-masked"}, record.stillness
    assert "still-masked" in record.stillness


def test_animations_disabled_stops_the_spinner(raw_browser, backend, pages):
    masks = parse_masks([[560, 420, 800, 500]])  # only the clock: the spinner is Playwright's to stop
    record, clicks = _run(raw_browser, backend, pages, masks=masks, animations="disabled")
    assert clicks == 1 and set(record.stillness) <= {"still", "still-masked"}, record.stillness


def test_moving_boxes_ignores_masks():
    import numpy as np

    a = np.zeros((64, 96, 3), np.uint8)
    b = a.copy()
    b[5:9, 5:9] = 255
    b[40:50, 70:90] = 255
    assert moving_boxes(a, b) == [(0, 0, 16, 16), (64, 32, 96, 64)]
    assert moving_boxes(a, b, ignore=[(60, 30, 96, 64)]) == [(0, 0, 16, 16)]


def test_mask_in_a_scenario_file_and_on_the_command_line(tmp_path):
    from click.testing import CliRunner

    from agent.frontends.cli import main
    from agent.language.scenario import parse_scenario
    from pagesight_errors import ScenarioError

    sc = parse_scenario("name: a\nurl: /x\nmask: ['\"Last login\" text', [0, 0, 200, 40]]\nsteps:\n  - click: OK\n")
    assert [m.describe() for m in sc.mask] == ['"Last login" text', "[0, 0, 200, 40]"]
    with pytest.raises(ScenarioError, match=r"t.yaml:3: mask: a mask box is four numbers"):
        parse_scenario("name: a\nurl: /x\nmask: [[0, 0, 200]]\nsteps:\n  - click: OK\n", "t.yaml")
    f = tmp_path / "s.yaml"
    f.write_text("name: a\nurl: http://127.0.0.1:9/\nsteps:\n  - click: OK\n")
    out = CliRunner().invoke(main, ["run", str(f), "--mask", "5,5,1,1"])
    assert out.exit_code == 2 and "--mask: a mask box [x1, y1, x2, y2] needs x2 > x1" in out.output
    out = CliRunner().invoke(main, ["run", str(f), "--cache", "sometimes"])
    assert out.exit_code == 2 and "read-write" in out.output
