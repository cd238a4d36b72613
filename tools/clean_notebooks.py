"""Execute lesson notebooks and keep them small: only checked outputs are stored.

Usage: python tools/clean_notebooks.py notebooks/01_the_neuron.ipynb [...]
       python tools/clean_notebooks.py --no-execute notebooks/*.ipynb

Each notebook is run top to bottom in a fresh kernel (so the stored outputs
of ``# NBVAL_CHECK_OUTPUT`` cells are the real ones), then every other
output, every execution count and any saved widget state is removed.

A cell marked ``# KEEP_FIGURE`` (one per lesson: its key figure) keeps its
first PNG picture, so a reader who only views the notebook (a repository
page, nbviewer) sees it without running anything. The picture is drawn by
matplotlib's Agg backend from fixed numbers, so re-running gives the same
bytes; widgets are never stored (they need a live kernel). The picture is
re-encoded with a 32-colour palette (PNG, lossless for these flat-coloured
plots in practice), which makes it about a quarter of matplotlib's size.
"""

from __future__ import annotations

import argparse
import base64
import io
import sys
from pathlib import Path

import nbformat

CHECK_MARK = "# NBVAL_CHECK_OUTPUT"
FIGURE_MARK = "# KEEP_FIGURE"


def small_png(data: str) -> str:
    """A base64 PNG re-encoded with a 32-colour palette: same picture, a quarter of the bytes."""
    from PIL import Image

    picture = Image.open(io.BytesIO(base64.b64decode(data))).convert("RGB")
    buffer = io.BytesIO()
    picture.quantize(colors=32).save(buffer, format="png", optimize=True)
    return base64.b64encode(buffer.getvalue()).decode("ascii")


def clean(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    nb.metadata.pop("widgets", None)
    checked = 0
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type != "code":
            continue
        cell.execution_count = None
        if CHECK_MARK in cell.source:
            # nbval refuses a cell with outputs but no execution count: number them 1, 2, ...
            checked += 1
            cell.execution_count = checked
            # keep plain-text results only (nbval compares these)
            kept = []
            for output in cell.outputs:
                if output.output_type == "stream":
                    kept.append(output)
                elif output.output_type in ("execute_result", "display_data"):
                    output.data = {k: v for k, v in output.data.items() if k == "text/plain"}
                    if output.output_type == "execute_result":
                        output.execution_count = checked
                    if output.data:
                        kept.append(output)
            cell.outputs = kept
        elif FIGURE_MARK in cell.source:
            checked += 1
            cell.execution_count = checked
            pictures = [
                output
                for output in cell.outputs
                if output.output_type in ("execute_result", "display_data")
                and "image/png" in output.get("data", {})
            ]
            cell.outputs = []
            if pictures:
                picture = pictures[0]
                picture.data = {"image/png": small_png(picture.data["image/png"])}
                picture.metadata = {}
                if picture.output_type == "execute_result":
                    picture.execution_count = checked
                cell.outputs = [picture]
        else:
            cell.outputs = []
    return nb


def execute(nb: nbformat.NotebookNode, path: Path) -> nbformat.NotebookNode:
    from nbclient import NotebookClient

    client = NotebookClient(
        nb, timeout=600, kernel_name="python3", resources={"metadata": {"path": str(path.parent)}}
    )
    client.execute()
    return nb


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("notebooks", nargs="+", type=Path)
    parser.add_argument("--no-execute", action="store_true")
    args = parser.parse_args(argv)
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        if not args.no_execute:
            nb = execute(nb, path)
        nbformat.write(clean(nb), path)
        print(f"cleaned {path} ({path.stat().st_size / 1024:.1f} KiB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
