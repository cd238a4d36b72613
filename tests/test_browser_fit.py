"""Every explorer fits the notebook column and answers key presses, in real JupyterLab.

For each lesson, in Chromium with the file browser open: at a 1280-px and
then a 1024-px wide window, no explorer is wider than its output area (no
horizontal scrollbar) and every slider's track is long enough for a mouse;
a screenshot of each explorer at each width goes to test-artifacts/browser/.
A smoke run of the latency benchmark (benchmarks/browser.py) presses a few
keys on each lesson's first explorer and checks that each press brought a
new picture; the playground's Play button trains it (its epoch advances)
and Pause stops it. Nothing here is timed: `make bench-browser` measures
the speed.
Skips only when no Chromium is found (NNKIT_REQUIRE_BROWSER=1 turns that
skip into a failure, as in test_browser.py).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import browser as bench  # noqa: E402

pytestmark = [pytest.mark.browser, pytest.mark.slow]

WIDTHS = (1280, 1024)  # a laptop with the file browser open; a projector
SHORTEST_TRACK_PX = 150  # a slider's track a mouse can aim along


@pytest.fixture(scope="module")
def lab():
    if bench.chromium_path() is None:
        if os.environ.get("NNKIT_REQUIRE_BROWSER"):
            pytest.fail("NNKIT_REQUIRE_BROWSER is set but no Chromium was found")
        pytest.skip("no Chromium found: install it (apt-get install -y chromium)")
    pytest.importorskip("playwright", reason="playwright is not installed (test extra)")
    with bench.jupyterlab() as url, bench.chromium() as browser:
        yield url, browser


@pytest.mark.parametrize("notebook", bench.LESSONS, ids=[n[:2] for n in bench.LESSONS])
def test_explorers_fit_the_column_and_answer_key_presses(lab, notebook):
    url, browser = lab
    lesson = bench.LessonPage(browser, url, notebook, width=WIDTHS[0], file_browser=True)
    try:
        explorers = lesson.explorers()
        assert explorers, f"no explorer rendered in {notebook}"
        for width in WIDTHS:
            lesson.page.set_viewport_size({"width": width, "height": 900})
            lesson.page.wait_for_timeout(500)  # JupyterLab lays the panels out again
            for k, explorer in enumerate(explorers):
                name = lesson.name(explorer)
                fit = lesson.fit(explorer)
                lesson.screenshot(f"fit-{width}-{notebook[:2]}-{k}-{name}", explorer)
                where = f"{notebook} {name} #{k + 1} at {width} px"
                assert fit["content"] <= fit["area"] + 1, f"{where}: {fit}"
                assert fit["area_scroll"] <= fit["area"] + 1, f"{where} scrolls sideways: {fit}"
                assert fit["picture"] > 0.5 * fit["picture_natural"], f"{where}: picture {fit}"
                if fit["shortest_slider"] is not None:
                    assert fit["shortest_slider"] >= SHORTEST_TRACK_PX, f"{where}: {fit}"
        lesson.page.set_viewport_size({"width": WIDTHS[0], "height": 900})
        first = explorers[0]
        latency = bench.measure_presses(lesson, first, presses=3, settle_ms=50)
        assert len(latency.times_ms) >= 2, f"key presses brought no new picture: {latency}"
        if lesson.name(first) == "Playground":
            label = first.locator("b").filter(has_text="epoch").first
            before = label.inner_text()
            playing = bench.measure_playing(lesson, first, seconds=1.0)
            assert playing["pictures_per_second"] > 0
            assert label.inner_text() != before, "Play did not train"
            stopped = label.inner_text()  # measure_playing pressed Pause 2 s ago
            lesson.page.wait_for_timeout(500)
            assert label.inner_text() == stopped, "Pause did not stop the training"
            assert first.locator("button").filter(has_text="Play").count() == 1
        assert "Traceback" not in lesson.page.locator(".jp-Notebook").inner_text()
    finally:
        lesson.close()
