"""Build the static JupyterLite site: the lessons in the browser, no install.

Usage: python tools/build_site.py [--out site] [--wheel dist/nnkit_lessons-*.whl]
                                  [--extra-wheels DIR]

The site holds the lessons and the student exercises, the nnkit wheel (the
kernel installs it with piplite from the site itself), the Pyodide kernel and
the ipywidgets extension. The build is offline: it uses only what is installed
here (``pip install -e ".[site]"``). When a student opens the site, the browser
loads the Pyodide runtime with numpy, matplotlib and scikit-learn from Pyodide's
CDN, and ipywidgets from PyPI unless its wheels were added with
``--extra-wheels`` (any folder of pure-Python wheels, for example made with
``pip download ipywidgets``).

Check a built site: ``python -m http.server -d site 8000`` and open
http://localhost:8000/lab/index.html in a browser.
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nnkit.launch import lesson_files  # noqa: E402

# the lab extensions the site needs, as installed in this environment
EXTENSIONS = {
    "@jupyter-widgets/jupyterlab-manager": "jupyterlab_widgets",
    "anywidget": "anywidget",  # the explorers' picture (nnkit/widgets/picture.py)
    "@jupyterlite/pyodide-kernel-extension": "jupyterlite_pyodide_kernel",
}

SETTINGS = {
    "jupyter-lite-schema-version": 0,
    "jupyter-config-data": {
        "appName": "nnkit lessons",
        "disabledExtensions": ["@jupyter/nbgrader"],
    },
}


def build_wheel(out: Path) -> Path:
    """Build nnkit's wheel from this checkout into ``out`` (offline: no build isolation)."""
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "wheel",
            "--no-deps",
            "--no-build-isolation",
            "-q",
            "-w",
            str(out),
            str(ROOT),
        ],
        check=True,
    )
    (wheel,) = out.glob("nnkit_lessons-*.whl")
    return wheel


def extension_folder(name: str) -> Path:
    """Where this environment installed the lab extension ``name``."""
    from jupyter_core.paths import jupyter_path

    for base in jupyter_path("labextensions"):
        folder = Path(base) / name
        if (folder / "package.json").is_file():
            return folder
    raise FileNotFoundError(
        f"the lab extension {name} is not installed here; "
        f'install it with pip install "{EXTENSIONS[name]}" (or pip install -e ".[site]")'
    )


def stage_contents(target: Path) -> list[Path]:
    """Copy the lessons and student exercises (what the wheel carries) into ``target``."""
    names = lesson_files(ROOT / "notebooks")
    for name in names:
        (target / name).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(ROOT / "notebooks" / name, target / name)
    return names


def build_site(out: Path, wheel: Path | None = None, extra_wheels: Path | None = None) -> Path:
    """Build the site into ``out`` (replacing it) and return it."""
    out = Path(out).resolve()
    with tempfile.TemporaryDirectory(prefix="nnkit-site-") as scratch:
        scratch = Path(scratch)
        lite_dir = scratch / "lite"
        (lite_dir / "pypi").mkdir(parents=True)
        wheel = build_wheel(scratch / "dist") if wheel is None else Path(wheel)
        shutil.copy(wheel, lite_dir / "pypi" / wheel.name)
        for extra in sorted(Path(extra_wheels).glob("*.whl")) if extra_wheels else []:
            shutil.copy(extra, lite_dir / "pypi" / extra.name)
        (lite_dir / "jupyter-lite.json").write_text(json.dumps(SETTINGS, indent=2))
        contents = scratch / "contents"
        stage_contents(contents)
        if out.exists():
            shutil.rmtree(out)
        command = [
            sys.executable,
            "-m",
            "jupyterlite_core",
            "build",
            f"--lite-dir={lite_dir}",
            f"--output-dir={out}",
            f"--contents={contents}",
            # only the extensions named here: not nbgrader's, nor whatever else is installed
            "--ignore-sys-prefix",
            "--no-sourcemaps",
        ]
        command += [
            f"--LiteBuildConfig.federated_extensions={extension_folder(name)}"
            for name in EXTENSIONS
        ]
        subprocess.run(command, check=True, cwd=scratch)
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="site", help="output folder (replaced)")
    parser.add_argument("--wheel", help="an nnkit wheel to use instead of building one")
    parser.add_argument("--extra-wheels", help="folder of more wheels for the kernel's piplite")
    args = parser.parse_args(argv)
    out = build_site(Path(args.out), args.wheel, args.extra_wheels)
    print(f"JupyterLite site in {out}: serve it with python -m http.server -d {out}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
