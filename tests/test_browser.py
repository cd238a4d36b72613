"""Real JupyterLab in Chromium: the lessons' sliders render, move and redraw.

Starts JupyterLab from this venv on a free local port (on a copy of the
notebooks, so nothing in the checkout changes), opens each lesson in
Chromium through Playwright, runs all cells, checks that the explorer's
widgets rendered (no "Loading widget" placeholder, no widget error), moves
a slider with the keyboard, asserts that the shown value and the picture
changed, fails on any JavaScript console error, and saves a screenshot to
test-artifacts/browser/. Skips only when no Chromium is found (CI installs
it and sets NNKIT_REQUIRE_BROWSER=1, which turns that skip into a failure).
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from benchmarks import browser as bench  # noqa: E402  (the same JupyterLab and Chromium)

ARTIFACTS = bench.ARTIFACTS
TOKEN = bench.TOKEN
SITE_ONLY_EXTENSION = bench.SITE_ONLY_EXTENSION

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def chromium_path():
    path = bench.chromium_path()
    if path is None:
        if os.environ.get("NNKIT_REQUIRE_BROWSER"):
            pytest.fail(
                "NNKIT_REQUIRE_BROWSER is set but no Chromium was found "
                "(apt-get install -y chromium)"
            )
        pytest.skip(
            "no Chromium found: install it (apt-get install -y chromium) to run the "
            "real-browser test"
        )
    pytest.importorskip("playwright", reason="playwright is not installed (test extra)")
    return path


@pytest.fixture(scope="module")
def jupyterlab(chromium_path):
    """A JupyterLab server (the student's lab) on a copy of notebooks/; yields its base URL."""
    # a fixed port when asked (each helper has its own), otherwise any free one
    port = int(os.environ.get("NNKIT_BROWSER_PORT") or 0) or None
    with bench.jupyterlab(port=port) as url:
        yield url


@pytest.fixture(scope="module")
def browser(chromium_path):
    with bench.chromium() as browser:
        yield browser


class Lesson:
    """One notebook open in JupyterLab, with its console errors collected."""

    def _error(self, text: str) -> None:
        if SITE_ONLY_EXTENSION not in text:
            self.errors.append(text)

    def __init__(self, browser, url: str, notebook: str):
        self.page = browser.new_page(viewport={"width": 1700, "height": 1000})
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self._error(m.text))
        self.page.on("pageerror", lambda e: self._error(str(e)))
        # a fresh workspace per lesson, so JupyterLab does not reopen the previous notebook
        workspace = "nnkit-" + notebook.split(".")[0].replace("_", "-")
        self.page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}?token={TOKEN}&reset")
        self.page.wait_for_function(
            """(name) => { const app = window.jupyterapp;
                           const w = app && app.shell && app.shell.currentWidget;
                           return w && w.context && w.context.path.endsWith(name); }""",
            arg=notebook,
            timeout=90_000,
        )
        # wait until the kernel is ready, then run every cell
        self.page.wait_for_function(
            """() => { const w = window.jupyterapp.shell.currentWidget;
                       const k = w && w.sessionContext && w.sessionContext.session
                                 && w.sessionContext.session.kernel;
                       return k && k.status === 'idle'; }""",
            timeout=90_000,
        )
        self.page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")

    def explorer(self, css_class: str):
        locator = self.page.locator(f".{css_class}").first
        locator.wait_for(state="visible", timeout=90_000)
        # every cell has finished when the kernel is idle again
        self.page.wait_for_function(
            """() => { const w = window.jupyterapp.shell.currentWidget;
                       const busy = [...document.querySelectorAll('.jp-InputArea-prompt')]
                                    .some(p => p.textContent.includes('*'));
                       return w.sessionContext.session.kernel.status === 'idle' && !busy; }""",
            timeout=120_000,
        )
        locator.scroll_into_view_if_needed()
        return locator

    def assert_widgets_rendered(self):
        text = self.page.locator(".jp-Notebook").inner_text()
        assert "Loading widget" not in text
        assert "Error displaying widget" not in text
        assert "Traceback" not in text, text[text.find("Traceback") :][:2000]

    def screenshot(self, name: str, locator=None):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        (locator or self.page).screenshot(path=str(ARTIFACTS / f"{name}.png"))

    def close(self):
        self.page.close()


def _image_src(explorer) -> str:
    return explorer.locator("img").first.get_attribute("src") or ""


def _move_slider(lesson, explorer, label: str | None, key: str = "ArrowRight", presses: int = 5):
    """Press an arrow key on a slider (picked by its label) and wait for a new picture."""
    sliders = explorer.locator(".widget-slider")
    if label is not None:
        sliders = sliders.filter(has_text=re.compile(label, re.IGNORECASE))
    slider = sliders.first
    readout = slider.locator(".widget-readout")
    before_value, before_image = readout.inner_text(), _image_src(explorer)
    slider.locator(".noUi-handle").first.click()
    for _ in range(presses):
        slider.locator(".noUi-handle").first.press(key)
    lesson.page.wait_for_function(
        "([el, old]) => el.querySelector('img').getAttribute('src') !== old",
        arg=[explorer.element_handle(), before_image],
        timeout=30_000,
    )
    lesson.page.wait_for_timeout(300)
    after_value = readout.inner_text()
    assert after_value != before_value, f"the {label or 'first'} slider's value did not change"
    assert _image_src(explorer) != before_image, "the picture did not change"
    return before_value, after_value


# notebook, explorer class, slider label to move (None: the first one), key to press
LESSONS = [
    ("01_the_neuron.ipynb", "nnkit-NeuronExplorer", "bias", "ArrowRight"),
    ("02_layers_and_forward_pass.ipynb", "nnkit-ForwardPassExplorer", None, "ArrowRight"),
    ("03_softmax.ipynb", "nnkit-SoftmaxExplorer", None, "ArrowRight"),
    ("04_loss.ipynb", "nnkit-LossExplorer", None, "ArrowRight"),
    ("05_gradient_descent.ipynb", "nnkit-GradientDescentExplorer", "learning rate", "ArrowRight"),
    # the lesson leaves its stepper on the last step (the SGD update): step back
    ("06_backpropagation.ipynb", "nnkit-BackpropStepper", "step", "ArrowRight"),
    ("07_training_penguins.ipynb", "nnkit-TrainingDashboard", "learning rate", "ArrowRight"),
    ("08_playground.ipynb", "nnkit-Playground", "noise", "ArrowRight"),
    ("09_generalisation.ipynb", "nnkit-OverfittingExplorer", "training points", "ArrowRight"),
    (
        "10_training_deeper_networks.ipynb",
        "nnkit-InitialisationExplorer",
        "hidden layers",
        "ArrowRight",
    ),
    ("11_from_nnkit_to_pytorch.ipynb", "nnkit-TorchParityExplorer", "epochs", "ArrowRight"),
]


@pytest.mark.parametrize(
    "notebook,css_class,label,key", LESSONS, ids=[lesson[0].split("_")[0] for lesson in LESSONS]
)
def test_lesson_explorer_in_real_jupyterlab(jupyterlab, browser, notebook, css_class, label, key):
    lesson = Lesson(browser, jupyterlab, notebook)
    try:
        explorer = lesson.explorer(css_class)
        lesson.assert_widgets_rendered()
        assert explorer.locator(".widget-slider").count() >= 1
        lesson.screenshot(f"{notebook[:2]}_before", explorer)
        _move_slider(lesson, explorer, label, key)
        lesson.screenshot(f"{notebook[:2]}_after", explorer)
        lesson.assert_widgets_rendered()
        assert lesson.errors == [], f"JavaScript console errors: {lesson.errors}"
    finally:
        lesson.close()


def test_a_press_shows_the_picture_drawn_ahead_at_once(jupyterlab, browser):
    """Lesson 01: while the student looks, the pictures one press away reach the browser; a
    press then shows its picture without waiting for Python, and the kernel's answer, when it
    comes, is the same picture. A quick run of presses ends on the kernel's picture too."""
    lesson = Lesson(browser, jupyterlab, "01_the_neuron.ipynb")
    try:
        explorer = lesson.explorer("nnkit-NeuronExplorer")
        img = explorer.locator("img").first
        handle = explorer.locator(".widget-slider").filter(has_text="bias").locator(".noUi-handle")
        lesson.page.wait_for_function(
            # each of the five sliders one step up (bias, the last, among them), then down
            "el => Number(el.dataset.offers || 0) >= 10",
            arg=img.element_handle(),
            timeout=30_000,
        )
        # where each new picture came from, as it appears (the kernel's same picture follows)
        img.evaluate(
            """el => { el.__sources = [];
                new MutationObserver(() => el.__sources.push(el.dataset.source))
                    .observe(el, {attributes: true, attributeFilter: ['src']}); }"""
        )
        handle.first.focus()
        handle.first.press("ArrowRight")
        lesson.page.wait_for_function(
            "el => el.__sources.length > 0", arg=img.element_handle(), timeout=30_000
        )
        assert img.evaluate("el => el.__sources[0]") == "ahead"  # before the kernel heard
        lesson.page.wait_for_function(
            "el => el.dataset.agrees === 'true'", arg=img.element_handle(), timeout=30_000
        )
        # a quick run of presses, faster than the kernel answers: it ends on the right picture
        for key in ["ArrowRight"] * 4 + ["ArrowLeft"]:
            handle.first.press(key)
        lesson.page.wait_for_timeout(1500)
        assert img.get_attribute("data-agrees") == "true"
        assert lesson.errors == [], f"JavaScript console errors: {lesson.errors}"
    finally:
        lesson.close()


def test_pause_keeps_the_trained_picture(jupyterlab, browser):
    """Lesson 08 (a student trial's finding): a press and back, Play, Pause: the picture
    stays the last one trained (not the epoch-0 picture drawn ahead for those settings)."""
    lesson = Lesson(browser, jupyterlab, "08_playground.ipynb")
    try:
        explorer = lesson.explorer("nnkit-Playground")
        img = explorer.locator("img").first
        handle = (
            explorer.locator(".widget-slider").filter(has_text="neurons").locator(".noUi-handle")
        )
        for key in ("ArrowRight", "ArrowLeft"):
            handle.first.focus()
            handle.first.press(key)
            lesson.page.wait_for_timeout(2500)  # the student looks; pictures are drawn ahead
        explorer.locator("button").filter(has_text="Play").first.click()
        lesson.page.wait_for_timeout(2000)
        explorer.locator("button").filter(has_text="Pause").first.click()
        lesson.page.wait_for_timeout(1500)
        assert img.get_attribute("data-source") == "kernel"
        assert img.get_attribute("data-agrees") == "true"
        epoch = explorer.locator("b").filter(has_text="epoch").first.inner_text()
        assert epoch != "epoch 0", epoch  # the epoch line goes with the trained picture
        assert lesson.errors == [], f"JavaScript console errors: {lesson.errors}"
    finally:
        lesson.close()
