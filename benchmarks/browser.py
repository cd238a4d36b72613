"""What a student feels: key press on a slider -> new picture, in JupyterLab in Chromium.

    python -m benchmarks.browser                    # every lesson, 30 presses per explorer
    python -m benchmarks.browser --presses 5 --lessons 01 08
    make bench-browser

Starts JupyterLab on a copy of the lessons, opens each one in Chromium
(Playwright), runs all cells and, for every explorer on the page, presses
the arrow keys on its sliders in turn (``--presses`` in all, spread over its
main controls) and times each press until the explorer's new picture is
decoded in the page. Prints the median and 95th percentile per explorer, how
many presses a picture drawn ahead answered (``ahead``: shown by the browser
at once, ``nnkit/widgets/picture.py``) and the median of the others (the
kernel's round trip and drawing), whether its height jumped while redrawing
(flicker), and the playground's
pictures per second while it plays. Also checks that every explorer fits its
output area (``fit``) and saves screenshots under test-artifacts/.

Targets (measured here, asserted nowhere): median <= 50 ms, 95th percentile
<= 100 ms for every explorer, the dashboard's retrain included; the
playground >= 25 pictures a second while playing.

The same helpers drive the browser tests (tests/test_browser_fit.py).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import nbformat

from nnkit.launch import student_config, student_environment

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts" / "browser"
TOKEN = "nnkit-bench"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
    "--disable-dev-shm-usage",
]
# every numbered lesson with an explorer on it
LESSONS = sorted(
    path.name
    for path in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")
    if "nnkit.widgets" in path.read_text(encoding="utf-8")
)
TARGET_MEDIAN_MS, TARGET_P95_MS, TARGET_FPS = 50.0, 100.0, 25.0

# The test extra installs JupyterLite's Pyodide kernel extension (to build the site). It is
# made for the browser-only site: JupyterLab loads the code of every installed extension,
# disabled ones too, and this one then logs that JupyterLite's own services are missing.
# That one message is expected; every other console error is reported.
SITE_ONLY_EXTENSION = "@jupyterlite/pyodide-kernel-extension"


def chromium_path() -> str | None:
    for name in ("chromium", "chromium-browser", "google-chrome"):
        path = shutil.which(name)
        if path:
            return path
    return None


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def jupyterlab(
    notebooks: Path = ROOT / "notebooks", port: int | None = None, code: Path = ROOT
) -> Iterator[str]:
    """A JupyterLab server on a copy of ``notebooks`` whose kernels import nnkit from
    ``code``; yields its base URL and stops it afterwards."""
    with tempfile.TemporaryDirectory(prefix="nnkit-lab-") as tmp:
        work = Path(tmp)
        root = work / "notebooks"
        shutil.copytree(notebooks, root)
        settings = work / "settings" / "@jupyterlab" / "apputils-extension"
        settings.mkdir(parents=True)
        (settings / "notification.jupyterlab-settings").write_text(
            json.dumps({"fetchNews": "false", "checkForUpdates": False})
        )
        # the lab a student gets (`nnkit lab`): teacher and site-only extensions off
        student_config(work / "config")
        env = dict(
            student_environment(work / "config"),
            JUPYTERLAB_SETTINGS_DIR=str(work / "settings"),
            JUPYTERLAB_WORKSPACES_DIR=str(work / "workspaces"),
            JUPYTER_RUNTIME_DIR=str(work / "runtime"),
            PYTHONPATH=os.pathsep.join([str(code), os.environ.get("PYTHONPATH", "")]),
            PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ.get('PATH', '')}",
        )
        port = port or int(os.environ.get("NNKIT_LAB_PORT", "0")) or free_port()
        log_path = work / "jupyterlab.log"
        with open(log_path, "w") as log:
            server = subprocess.Popen(
                [
                    sys.executable,
                    "-m",
                    "jupyter",
                    "lab",
                    "--no-browser",
                    "--ip=127.0.0.1",
                    f"--port={port}",
                    f"--ServerApp.token={TOKEN}",
                    "--allow-root",
                    "--LabApp.expose_app_in_browser=True",
                    f"--ServerApp.root_dir={root}",
                ],
                env=env,
                stdout=log,
                stderr=subprocess.STDOUT,
            )
            url = f"http://127.0.0.1:{port}"
            try:
                deadline = time.time() + 120
                while True:
                    try:
                        urllib.request.urlopen(f"{url}/api/status?token={TOKEN}", timeout=2)
                        break
                    except OSError:
                        if server.poll() is not None or time.time() > deadline:
                            raise RuntimeError(
                                "JupyterLab did not start:\n" + log_path.read_text()[-3000:]
                            ) from None
                        time.sleep(0.5)
                yield url
            finally:
                server.terminate()
                try:
                    server.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    server.kill()


@contextmanager
def chromium() -> Iterator[object]:
    """A headless Chromium (Playwright's Browser)."""
    from playwright.sync_api import sync_playwright

    path = chromium_path()
    if path is None:
        raise RuntimeError("no Chromium found (apt-get install -y chromium)")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=path, headless=True, args=CHROMIUM_ARGS
        )
        try:
            yield browser
        finally:
            browser.close()


# Installed on each explorer: logs when each new picture has been decoded (can be painted).
WATCH_PICTURES = """(el) => {
    const img = el.querySelector('img');
    const log = {decoded: [], heights: [], sources: []};
    el.__nnkit = log;
    new MutationObserver(() => {
        const source = img.dataset.source;  // "ahead": drawn before the press (picture.js)
        const done = () => {
            log.decoded.push(performance.now());
            log.sources.push(source);
            const box = img.getBoundingClientRect(), top = el.getBoundingClientRect().top;
            log.heights.push([box.top - top, box.height, box.width]);
        };
        img.decode().then(done, done);
    }).observe(img, {attributes: true, attributeFilter: ['src']});
}"""

KERNEL_IDLE = """() => { const w = window.jupyterapp.shell.currentWidget;
    const k = w && w.sessionContext && w.sessionContext.session
              && w.sessionContext.session.kernel;
    const busy = [...document.querySelectorAll('.jp-InputArea-prompt')]
                 .some(p => p.textContent.includes('*'));
    return k && k.status === 'idle' && !busy; }"""

# Width of the explorer against the output area it sits in, and of its sliders and picture.
MEASURE_FIT = """(el) => {
    const area = el.closest('.jp-OutputArea-output') || el.parentElement;
    const img = el.querySelector('img');
    const tracks = [...el.querySelectorAll('.widget-slider .noUi-target')]
        .filter(t => t.offsetParent !== null).map(t => t.getBoundingClientRect().width);
    return {
        explorer_px: el.getBoundingClientRect().width,
        content: el.scrollWidth,
        area: area.clientWidth,
        area_scroll: area.scrollWidth,
        picture: img ? img.getBoundingClientRect().width : 0,
        picture_natural: img ? img.naturalWidth : 0,
        shortest_slider: tracks.length ? Math.min(...tracks) : null,
    };
}"""


class LessonPage:
    """One lesson open in JupyterLab with all its cells run; JavaScript errors collected."""

    def __init__(
        self,
        browser,
        url: str,
        notebook: str,
        width: int = 1280,
        height: int = 900,
        file_browser: bool = True,
    ) -> None:
        self.notebook = notebook
        self.page = browser.new_page(viewport={"width": width, "height": height})
        self.errors: list[str] = []
        self.page.on("console", lambda m: m.type == "error" and self._error(m.text))
        self.page.on("pageerror", lambda e: self._error(str(e)))
        # a fresh workspace per page, so JupyterLab does not reopen another notebook
        workspace = f"nnkit-{notebook.split('_')[0]}-{width}"
        self.page.goto(f"{url}/lab/workspaces/{workspace}/tree/{notebook}?token={TOKEN}&reset")
        self.page.wait_for_function(
            """(name) => { const app = window.jupyterapp;
                           const w = app && app.shell && app.shell.currentWidget;
                           return w && w.context && w.context.path.endsWith(name)
                                  && w.sessionContext.session
                                  && w.sessionContext.session.kernel
                                  && w.sessionContext.session.kernel.status === 'idle'; }""",
            arg=notebook,
            timeout=90_000,
        )
        if file_browser:
            self.page.evaluate("window.jupyterapp.shell.activateById('filebrowser')")
        else:
            self.page.evaluate("window.jupyterapp.shell.collapseLeft()")
        self.page.evaluate("window.jupyterapp.commands.execute('notebook:run-all-cells')")
        self.page.locator(".nnkit-explorer").first.wait_for(state="visible", timeout=90_000)
        self.wait_idle()
        self.page.evaluate(
            "document.addEventListener('keydown', () => { window.__nnkitKeyAt ="
            " performance.now(); }, true)"
        )

    def _error(self, text: str) -> None:
        if SITE_ONLY_EXTENSION not in text:
            self.errors.append(text)

    def wait_idle(self, timeout: float = 120_000) -> None:
        self.page.wait_for_function(KERNEL_IDLE, timeout=timeout)

    def explorers(self) -> list:
        """Every explorer on the page (a Playwright Locator each), in page order."""
        all_ = self.page.locator(".nnkit-explorer")
        return [all_.nth(k) for k in range(all_.count())]

    def name(self, explorer) -> str:
        classes = explorer.get_attribute("class") or ""
        found = [c[6:] for c in classes.split() if c.startswith("nnkit-") and c != "nnkit-explorer"]
        return found[0] if found else "Explorer"

    def screenshot(self, name: str, explorer=None) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        path = ARTIFACTS / f"{name}.png"
        (explorer or self.page).screenshot(path=str(path))
        return path

    def fit(self, explorer) -> dict:
        explorer.scroll_into_view_if_needed()
        return explorer.evaluate(MEASURE_FIT)

    def close(self) -> None:
        self.page.close()


def _sliders(explorer) -> list:
    """The explorer's visible, enabled sliders (their keyboard handles)."""
    handles = explorer.locator(".widget-slider .noUi-handle")
    found = []
    for k in range(handles.count()):
        handle = handles.nth(k)
        if handle.is_visible() and handle.get_attribute("aria-disabled") != "true":
            found.append(handle)
    return found


@dataclass
class Latency:
    """Key press -> new picture for one explorer."""

    explorer: str
    times_ms: list[float] = field(default_factory=list)
    height_jump_px: float = 0.0  # how far the picture moved or resized between redraws
    misses: int = 0  # presses that brought no new picture (a slider already at its end)
    ahead: int = 0  # presses answered by a picture drawn ahead (no wait for the kernel)
    kernel_ms: list[float] = field(default_factory=list)  # the presses the kernel answered

    @property
    def median(self) -> float:
        return statistics.median(self.times_ms) if self.times_ms else float("nan")

    @property
    def p95(self) -> float:
        if not self.times_ms:
            return float("nan")
        ordered = sorted(self.times_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def measure_presses(
    lesson: LessonPage, explorer, presses: int, settle_ms: int = 120, miss_after_ms: int = 5000
) -> Latency:
    """Press arrow keys on the explorer's sliders in turn and time each new picture
    (a press with no new picture within ``miss_after_ms`` counts as a miss). After each,
    ``settle_ms`` (a student looking at the picture) and until the kernel is idle."""
    result = Latency(lesson.name(explorer))
    explorer.scroll_into_view_if_needed()
    explorer.evaluate(WATCH_PICTURES)
    handles = _sliders(explorer)
    if not handles:
        return result
    directions = [1] * len(handles)
    heights = []
    for press in range(presses):
        k = press % len(handles)
        handle = handles[k]
        value, low, high = (
            float(handle.get_attribute(a) or 0)
            for a in ("aria-valuenow", "aria-valuemin", "aria-valuemax")
        )
        # move away from the end the slider has reached
        if (directions[k] > 0 and value >= high) or (directions[k] < 0 and value <= low):
            directions[k] = -directions[k]
        handle.focus()
        seen = explorer.evaluate("el => el.__nnkit.decoded.length")
        lesson.page.keyboard.press("ArrowRight" if directions[k] > 0 else "ArrowLeft")
        try:
            # a new picture, or the kernel idle again well after the press without one
            lesson.page.wait_for_function(
                f"""([el, n]) => el.__nnkit.decoded.length > n
                    || (performance.now() - window.__nnkitKeyAt > 400 && ({KERNEL_IDLE})())""",
                arg=[explorer.element_handle(), seen],
                timeout=miss_after_ms,
            )
        except Exception:  # noqa: BLE001 - no answer in time: count it as a miss
            pass
        if explorer.evaluate("el => el.__nnkit.decoded.length") <= seen:
            # the press changed nothing in the picture (e.g. a learning rate before training)
            result.misses += 1
            continue
        at, height = explorer.evaluate(
            "el => [el.__nnkit.decoded[el.__nnkit.decoded.length - 1],"
            " el.__nnkit.heights[el.__nnkit.heights.length - 1]]"
        )
        first, source = explorer.evaluate(
            f"el => [el.__nnkit.decoded[{seen}], el.__nnkit.sources[{seen}]]"
        )
        result.times_ms.append(first - lesson.page.evaluate("window.__nnkitKeyAt"))
        if source == "ahead":
            result.ahead += 1
        else:
            result.kernel_ms.append(result.times_ms[-1])
        heights.append(height)
        lesson.page.wait_for_timeout(settle_ms)
        lesson.wait_idle()
    if heights:
        # flicker: the picture moved or changed size between two redraws
        result.height_jump_px = max(max(h) - min(h) for h in zip(*heights))
    return result


def _play_buttons(explorer):
    """(start, stop) for the playground: one toggle button, labelled Play, then Pause."""
    buttons = explorer.locator("button")
    return buttons.filter(has_text="Play").first, buttons.filter(has_text="Pause").first


def measure_playing(lesson: LessonPage, explorer, seconds: float = 4.0) -> dict:
    """Pictures per second while the playground plays, and how long it goes on after Pause."""
    explorer.scroll_into_view_if_needed()
    explorer.evaluate(WATCH_PICTURES)
    start, stop = _play_buttons(explorer)
    start.click()
    lesson.page.wait_for_timeout(500)  # the first ticks: the background is drawn once
    n0, t0 = explorer.evaluate("el => [el.__nnkit.decoded.length, performance.now()]")
    lesson.page.wait_for_timeout(seconds * 1000)
    n1, t1 = explorer.evaluate("el => [el.__nnkit.decoded.length, performance.now()]")
    paused_at = lesson.page.evaluate("performance.now()")
    stop.click()
    lesson.page.wait_for_timeout(2000)
    last = explorer.evaluate("el => el.__nnkit.decoded[el.__nnkit.decoded.length - 1]")
    lesson.wait_idle()
    epoch = explorer.locator("b").filter(has_text="epoch").first
    return {
        "pictures_per_second": (n1 - n0) / ((t1 - t0) / 1000),
        "pictures_after_pause_ms": max(0.0, (last or paused_at) - paused_at),
        "epoch_label": epoch.inner_text() if epoch.count() else "",
    }


def run(
    lessons: list[str],
    presses: int = 30,
    width: int = 1280,
    port: int | None = None,
    code: Path = ROOT,
    play_seconds: float = 4.0,
    screenshots: str = "bench",
    look_ms: int = 120,
) -> dict:
    """Measure the given lessons; returns {"latency": [...], "playing": {...}, "fit": [...]}."""
    results: dict = {"latency": [], "playing": None, "fit": []}
    with jupyterlab(code / "notebooks", port=port, code=code) as url, chromium() as browser:
        results["floor"] = measure_floor(browser, url, presses, width)
        print(_row(results["floor"]), flush=True)
        for notebook in lessons:
            lesson = LessonPage(browser, url, notebook, width=width)
            try:
                for k, explorer in enumerate(lesson.explorers()):
                    name = lesson.name(explorer)
                    fit = lesson.fit(explorer)
                    results["fit"].append({"lesson": notebook[:2], "explorer": name, **fit})
                    lesson.screenshot(f"{screenshots}-{width}-{notebook[:2]}-{k}-{name}", explorer)
                    if name == "Playground" and results["playing"] is None:
                        # before the key presses: at the lesson's own settings
                        results["playing"] = measure_playing(lesson, explorer, play_seconds)
                        print(_playing_row(results["playing"]), flush=True)
                    latency = measure_presses(lesson, explorer, presses, look_ms)
                    latency.explorer = f"{notebook[:2]} {name}" + (f" #{k + 1}" if k else "")
                    results["latency"].append(latency)
                    print(_row(latency), flush=True)
                results.setdefault("errors", []).extend(lesson.errors)
            finally:
                lesson.close()
    return results


# A slider that swaps between pictures rendered beforehand: no Python work at each press, so
# the time measured is what the browser, JupyterLab and the kernel's messaging cost.
FLOOR_CODE = """import ipywidgets as widgets
from nnkit.widgets import NeuronExplorer
from nnkit.widgets.picture import Picture
from nnkit.widgets.rendering import encode_png
explorer = NeuronExplorer()
weight = explorer.controls["w1"]
pictures = []
for k in range(8):
    weight.value = weight.min + k * (weight.max - weight.min) / 8
    pictures.append(encode_png(explorer.renderer.canvas))
swap = widgets.FloatSlider(0, min=0, max=100, step=1, layout={"width": "400px"})
picture = Picture()  # shown as the explorers show theirs (Explorer.show), nothing drawn ahead
swap.observe(lambda change: explorer.show(pictures[int(change.new) % 8]), "value")
explorer.image = picture
explorer.show(pictures[0])
floor = widgets.VBox([swap, picture])
floor.add_class("nnkit-explorer")
floor.add_class("nnkit-floor")
floor"""


def measure_floor(browser, url: str, presses: int, width: int) -> Latency:
    """Key press -> new picture for a picture swapped with no Python work (FLOOR_CODE)."""
    notebook = nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(FLOOR_CODE)],
        metadata={
            "kernelspec": {"name": "python3", "display_name": "Python 3", "language": "python"}
        },
    )
    request = urllib.request.Request(
        f"{url}/api/contents/00_floor.ipynb?token={TOKEN}",
        data=json.dumps({"type": "notebook", "content": notebook}).encode(),
        method="PUT",
        headers={"Content-Type": "application/json"},
    )
    urllib.request.urlopen(request, timeout=30)
    lesson = LessonPage(browser, url, "00_floor.ipynb", width=width)
    try:
        latency = measure_presses(lesson, lesson.explorers()[0], presses)
        latency.explorer = "floor: kernel round trip"
        return latency
    finally:
        lesson.close()


def _row(latency: Latency) -> str:
    ok = latency.median <= TARGET_MEDIAN_MS and latency.p95 <= TARGET_P95_MS
    flicker = "yes" if latency.height_jump_px > 1 else "no"
    kernel = statistics.median(latency.kernel_ms) if latency.kernel_ms else float("nan")
    return (
        f"  {latency.explorer:<32}{latency.median:8.1f}{latency.p95:8.1f}"
        f"{len(latency.times_ms):6d}{latency.misses:6d}{latency.ahead:7d}{kernel:9.1f}"
        f"   {flicker:<8}{'ok' if ok else 'SLOW'}"
    )


def _playing_row(playing: dict) -> str:
    fps = playing["pictures_per_second"]
    return (
        f"  playground while playing: {fps:5.1f} pictures/s (target >= {TARGET_FPS:g}, "
        f"{'ok' if fps >= TARGET_FPS else 'SLOW'}); last picture "
        f"{playing['pictures_after_pause_ms']:.0f} ms after Pause"
    )


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--presses", type=int, default=30, help="key presses per explorer")
    parser.add_argument("--lessons", nargs="*", help="lesson numbers, e.g. 01 07 (default: all)")
    parser.add_argument("--width", type=int, default=1280, help="browser window width (px)")
    parser.add_argument("--port", type=int, default=None, help="JupyterLab port (default: free)")
    parser.add_argument("--code", type=Path, default=ROOT, help="checkout to measure")
    parser.add_argument("--json", type=Path, help="also write the results here")
    parser.add_argument(
        "--look-ms",
        type=int,
        default=120,
        help="pause after each new picture before the next press (default 120: a quick "
        "student; at 1000 the pictures one press away are mostly drawn ahead in time)",
    )
    args = parser.parse_args(argv)
    lessons = [n for n in LESSONS if not args.lessons or n[:2] in args.lessons]
    print(
        f"key press -> new picture in JupyterLab/Chromium, {args.presses} presses per explorer, "
        f"{args.look_ms} ms look after each, window {args.width} px "
        f"(targets: median <= {TARGET_MEDIAN_MS:g} ms, "
        f"95th percentile <= {TARGET_P95_MS:g} ms)"
    )
    print(
        f"  {'explorer':<32}{'median':>8}{'p95':>8}{'n':>6}{'miss':>6}{'ahead':>7}"
        f"{'kernel':>9}   flicker"
    )
    results = run(
        lessons, args.presses, args.width, args.port, args.code.resolve(), look_ms=args.look_ms
    )
    print("\npage fit (explorer width <= output area width)")
    for fit in results["fit"]:
        fits = fit["content"] <= fit["area"] + 1 and fit["area_scroll"] <= fit["area"] + 1
        scale = fit["picture"] / fit["picture_natural"] if fit["picture_natural"] else 0
        print(
            f"  {fit['lesson']} {fit['explorer']:<26} {fit['content']:6.0f} / {fit['area']:4.0f} px"
            f"  picture at {scale:4.0%}  shortest slider {fit['shortest_slider'] or 0:4.0f} px"
            f"  {'fits' if fits else 'TOO WIDE'}"
        )
    if results.get("errors"):
        unique = list(dict.fromkeys(results["errors"]))
        print("\nJavaScript console errors:", *unique[:10], sep="\n  ")
    if args.json:
        serial = dict(
            results, latency=[vars(x) for x in results["latency"]], floor=vars(results["floor"])
        )
        args.json.write_text(json.dumps(serial, indent=1))


if __name__ == "__main__":
    main()
