"""`import nnkit` loads numpy only: lessons start fast."""

import json
import subprocess
import sys

HEAVY = ["matplotlib", "ipywidgets", "sklearn", "tqdm", "torch", "IPython"]


def test_import_nnkit_loads_no_heavy_libraries():
    code = f"import sys, json, nnkit; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert json.loads(result.stdout) == []
    assert (
        "numpy"
        in subprocess.run(
            [sys.executable, "-c", "import sys, nnkit; print(' '.join(sys.modules))"],
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
    )
