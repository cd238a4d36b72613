"""Shared test set-up: draw off-screen and close every figure after each test."""

import matplotlib
import pytest

matplotlib.use("Agg")


@pytest.fixture(autouse=True)
def _close_figures():
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


@pytest.fixture(scope="session")
def nnkit_wheel(tmp_path_factory):
    """nnkit's wheel, built once from this checkout for every test that needs it (offline)."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    out = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q"]
        + ["-w", str(out), str(root)],
        check=True,
        timeout=300,
    )
    (path,) = out.glob("nnkit_lessons-*.whl")
    return path
