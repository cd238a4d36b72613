"""`make site`: the JupyterLite site builds offline and holds everything a class needs.

The build runs as ``make site`` runs it (``tools/build_site.py``), with every
proxy pointed at a closed local port so that any download would fail: the
build must use only what is installed here. The checks then read the built
site: the nnkit wheel in the kernel's package index (with the data and the
lessons inside), every lesson and student exercise with its browser-install
cell first, the Pyodide kernel and the ipywidgets extensions (and not
nbgrader's), and the settings in jupyter-lite.json.

The Pyodide runtime itself comes from its CDN when a browser opens the site,
so no test here runs a kernel in the browser (docs/classroom.md says how to
check a site by hand).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tools"))

import browser_cell  # noqa: E402

pytestmark = pytest.mark.slow
OFFLINE = {
    "HTTP_PROXY": "http://127.0.0.1:9",
    "HTTPS_PROXY": "http://127.0.0.1:9",
    "http_proxy": "http://127.0.0.1:9",
    "https_proxy": "http://127.0.0.1:9",
    "NO_PROXY": "",
    "no_proxy": "",
    "PIP_NO_INDEX": "1",
}


def _lessons() -> list[str]:
    names = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb"))
    names += sorted(f"exercises/{p.name}" for p in (ROOT / "notebooks/exercises").glob("*.ipynb"))
    return names


@pytest.fixture(scope="module")
def site(nnkit_wheel, tmp_path_factory):
    pytest.importorskip("jupyterlite_core", reason='install the site extra: pip install ".[site]"')
    out = tmp_path_factory.mktemp("lite") / "site"
    env = {**os.environ, **OFFLINE}
    result = subprocess.run(
        [sys.executable, str(ROOT / "tools" / "build_site.py"), "--out", str(out)]
        + ["--wheel", str(nnkit_wheel)],
        cwd=tmp_path_factory.mktemp("cwd"),
        env=env,
        capture_output=True,
        text=True,
        timeout=600,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def _settings(site: Path) -> dict:
    return json.loads((site / "jupyter-lite.json").read_text())["jupyter-config-data"]


def test_site_has_the_nnkit_wheel_in_the_kernels_package_index(site, nnkit_wheel):
    wheel = site / "pypi" / nnkit_wheel.name
    assert wheel.read_bytes() == nnkit_wheel.read_bytes()
    index = json.loads((site / "pypi" / "all.json").read_text())
    (release,) = index["nnkit-lessons"]["releases"].values()
    assert release[0]["filename"] == nnkit_wheel.name
    # the kernel reads the data and the lessons from the installed wheel
    names = zipfile.ZipFile(wheel).namelist()
    assert "nnkit/_datasets/penguins.csv" in names
    assert "nnkit/_lessons/01_the_neuron.ipynb" in names
    urls = _settings(site)["litePluginSettings"]["@jupyterlite/pyodide-kernel-extension:kernel"]
    assert any(url.startswith("./pypi/all.json") for url in urls["pipliteUrls"])


def test_site_has_every_lesson_and_exercise_with_the_install_cell_first(site):
    listing = json.loads((site / "api" / "contents" / "all.json").read_text())
    listed = {item["name"] for item in listing["content"]}
    expected = _lessons()
    assert len(expected) >= 8
    for name in expected:
        path = site / "files" / name
        assert path.read_bytes() == (ROOT / "notebooks" / name).read_bytes(), name
        assert browser_cell.has_cell(nbformat.read(path, as_version=4)), name
    assert {name for name in expected if "/" not in name} <= listed
    assert "exercises" in listed


def test_site_has_the_pyodide_kernel_and_the_widgets_but_not_nbgrader(site):
    extensions = {item["name"]: item for item in _settings(site)["federated_extensions"]}
    assert set(extensions) == {
        "@jupyter-widgets/jupyterlab-manager",
        "anywidget",  # the explorers' picture widget
        "@jupyterlite/pyodide-kernel-extension",
    }
    for name, item in extensions.items():
        assert (site / "extensions" / name / "static" / item["load"].split("/")[-1]).is_file()
    # the kernel's own wheels (piplite, the kernel, the widget shim) ship with the site
    kernel_pypi = site / "extensions/@jupyterlite/pyodide-kernel-extension/static/pypi"
    wheels = {p.name.split("-")[0] for p in kernel_pypi.glob("*.whl")}
    assert {"piplite", "pyodide_kernel", "widgetsnbextension"} <= wheels
    assert not (site / "extensions" / "@jupyter" / "nbgrader").exists()


def test_site_settings(site):
    settings = _settings(site)
    assert settings["appName"] == "nnkit lessons"
    assert settings["defaultKernelName"] == "python"
    assert "@jupyter/nbgrader" in settings["disabledExtensions"]
    assert (site / "lab" / "index.html").is_file()
    assert (site / "notebooks" / "index.html").is_file()


def test_site_opens_a_lesson_in_chromium(site, tmp_path):
    """JupyterLab's page loads from the static files alone and opens lesson 01 with the
    Pyodide kernel chosen (the kernel itself needs Pyodide's CDN, not reachable here)."""
    import shutil
    import socket
    import time

    chromium = next(filter(None, map(shutil.which, ("chromium", "chromium-browser"))), None)
    if chromium is None or not _has_playwright():
        if os.environ.get("NNKIT_REQUIRE_BROWSER") == "1":
            pytest.fail("NNKIT_REQUIRE_BROWSER=1 but no Chromium or Playwright was found")
        pytest.skip("no Chromium or Playwright: the site's page is not opened")
    from playwright.sync_api import sync_playwright

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    server = subprocess.Popen(
        [sys.executable, "-m", "http.server", "-d", str(site), "--bind", "127.0.0.1", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=chromium,
                args=["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
            )
            page = browser.new_page()
            for _ in range(50):  # the static server is up within a moment
                try:
                    page.goto(f"http://127.0.0.1:{port}/lab/index.html?path=01_the_neuron.ipynb")
                    break
                except Exception:
                    time.sleep(0.2)
            page.wait_for_selector(".jp-Notebook .jp-Cell", timeout=120_000)
            page.wait_for_selector("text=Python (Pyodide)", timeout=60_000)
            page.wait_for_selector(".lm-TabBar-tabLabel:has-text('01_the_neuron.ipynb')")
            # the notebook renders its cells a few at a time
            page.wait_for_function(
                "document.querySelectorAll('.jp-Notebook .jp-Cell').length >= 3", timeout=60_000
            )
            first = page.locator(".jp-Notebook .jp-Cell").first.inner_text()
            cells = page.locator(".jp-Notebook .jp-Cell").count()
            page.screenshot(path=str(tmp_path / "site.png"))
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    lesson = nbformat.read(ROOT / "notebooks" / "01_the_neuron.ipynb", as_version=4)
    title = lesson.cells[0].source.splitlines()[0].lstrip("# ")
    assert title in first  # the lesson's own first cell, rendered
    assert cells >= 3


def _has_playwright() -> bool:
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return False
    return True
