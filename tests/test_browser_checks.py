"""Real JupyterLab in Chromium: a "Check yourself" waits for the student's answer.

After Run All, lesson 1's check cell shows "not answered yet" and no tick. The
test then types the answers into that cell's editor, as a student would, runs
the cell with Shift+Enter and waits for the ticks. Reuses the JupyterLab and
Chromium fixtures of tests/test_browser.py (set NNKIT_BROWSER_PORT to pin the
server's port, e.g. 8803).
"""

from __future__ import annotations

import pytest
from test_browser import Lesson, browser, chromium_path, jupyterlab  # noqa: F401 (fixtures)

from nnkit.checks.base import CROSS, TICK

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ANSWER_CELL = """from nnkit.checks.lessons import check_step_output, check_weighted_sum

my_weighted_sum = -0.25
check_weighted_sum(my_weighted_sum)

my_step_output = 0
check_step_output(my_step_output);"""


def _answer_cell(lesson, placeholder: str):
    """The code cell whose source holds ``placeholder``, scrolled into view and marked.

    JupyterLab draws only the cells near the view, so the cell is found in the notebook's
    model, scrolled to, and given a data attribute to locate it by.
    """
    index = lesson.page.evaluate(
        """(text) => { const nb = window.jupyterapp.shell.currentWidget.content;
                       return nb.widgets.findIndex(
                           c => c.model.sharedModel.getSource().includes(text)); }""",
        placeholder,
    )
    assert index >= 0, f"no cell holds {placeholder!r}"
    lesson.page.evaluate(
        """async (i) => { const nb = window.jupyterapp.shell.currentWidget.content;
                          nb.activeCellIndex = i;
                          await nb.scrollToItem(i, 'center');
                          nb.widgets[i].node.dataset.nnkitAnswer = 'yes'; }""",
        index,
    )
    cell = lesson.page.locator('[data-nnkit-answer="yes"]').first
    cell.wait_for(state="visible", timeout=30_000)
    return cell


def _wait_for_output(lesson, cell, text: str) -> str:
    lesson.page.wait_for_function(
        "([el, text]) => el.querySelector('.jp-Cell-outputArea').innerText.includes(text)",
        arg=[cell.element_handle(), text],
        timeout=60_000,
    )
    return cell.locator(".jp-Cell-outputArea").inner_text()


@pytest.mark.lesson(1)
def test_check_yourself_ticks_only_after_the_student_answers(jupyterlab, browser):  # noqa: F811
    lesson = Lesson(browser, jupyterlab, "01_the_neuron.ipynb")
    try:
        lesson.explorer("nnkit-NeuronExplorer")  # waits until Run All has finished
        cell = _answer_cell(lesson, "my_weighted_sum = ...")
        before = _wait_for_output(lesson, cell, "not answered yet")
        assert TICK not in before, before
        assert before.count("not answered yet") == 2, before

        # type the answers into the cell, as a student would, and run it
        editor = cell.locator(".cm-content").first
        editor.click()
        lesson.page.keyboard.press("Control+a")
        lesson.page.keyboard.press("Delete")
        for line in ANSWER_CELL.splitlines():
            lesson.page.keyboard.type(line)
            lesson.page.keyboard.press("Enter")  # no line ends with ':', so no auto-indent
        lesson.page.keyboard.press("Shift+Enter")

        after = _wait_for_output(lesson, cell, "step output: 0 is right")
        assert after.count(TICK) == 2, after
        assert CROSS not in after and "not answered" not in after, after
        lesson.screenshot("01_check_yourself_answered", cell)
        # (console errors are test_browser.py's business; this test is about the check cell)
    finally:
        lesson.close()
