"""The instructors' demo notebooks: one per step, made by tools/notebooks.py, and every cell runs."""
import os

import nbformat
import pytest
from nbclient.exceptions import CellExecutionError

from support import STEPS
from tools import notebooks

# A notebook's kernel is a separate Python: it must not write bytecode into the repository either.
os.environ["PYTHONDONTWRITEBYTECODE"] = "1"


def stored(step):
    return nbformat.read(notebooks.NOTEBOOKS / f"{step}.ipynb", as_version=4)


def test_every_step_has_a_demo_notebook():
    missing = [step for step in STEPS if not (notebooks.NOTEBOOKS / f"{step}.ipynb").is_file()]
    assert not missing, f"no notebook for {missing}: add the step to tools/notebooks.py and run it"


@pytest.mark.parametrize("step", STEPS)
def test_the_notebook_is_what_tools_notebooks_writes(step):
    """Edits go through tools/notebooks.py, so every demo keeps the same shape."""
    expected = [(cell.cell_type, cell.source) for cell in notebooks.build(step).cells]
    assert [(cell.cell_type, cell.source) for cell in stored(step).cells] == expected, (
        f"docs/notebooks/{step}.ipynb differs from tools/notebooks.py: run `python -m tools.notebooks {step}`"
    )


@pytest.mark.parametrize("step", STEPS)
def test_the_notebook_keeps_its_outputs_for_the_site(step):
    code_cells = [cell for cell in stored(step).cells if cell.cell_type == "code"]
    without = [cell.source.splitlines()[-1] for cell in code_cells[1:-1] if not cell.outputs]
    assert not without, f"cells with no stored output: {without}"


@pytest.mark.servers
@pytest.mark.parametrize("step", STEPS)
def test_every_cell_of_the_notebook_runs(step):
    """Executed as Jupyter would run it, from the top: any error fails with the cell that broke."""
    try:
        notebooks.execute(stored(step))
    except CellExecutionError as error:
        pytest.fail(f"docs/notebooks/{step}.ipynb: a cell failed:\n{error}", pytrace=False)


def test_a_broken_cell_fails_the_run():
    notebook = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 / 0")])
    with pytest.raises(CellExecutionError):
        notebooks.execute(notebook)
