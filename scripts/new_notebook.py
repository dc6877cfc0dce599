"""Write a thin stage notebook: a short introduction and one cell that shows the stage.

Usage: python scripts/new_notebook.py PATH "markdown intro" "python code"
"""

import sys

import nbformat


def write(path: str, intro: str, code: str) -> None:
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    nb.metadata["language_info"] = {"name": "python"}
    nb.cells = [nbformat.v4.new_markdown_cell(intro), nbformat.v4.new_code_cell(code)]
    nbformat.validate(nb)
    nbformat.write(nb, path)


if __name__ == "__main__":
    write(sys.argv[1], sys.argv[2], sys.argv[3])
