"""The optional compiled build: ``JIXIAO_MYPYC=1 pip install .`` (``make fast``).

The modules below run per line, per cell and per sentence of every report. mypyc compiles
them to C extensions from the same type-annotated source, which cuts the interpreter's work
by about a quarter (docs/speed.md). Without the variable, and in every editable install, the
package stays pure Python: an extension next to its ``.py`` would shadow later edits.
"""

import os

from setuptools import setup

COMPILED = [
    "jixiao/document.py",
    "jixiao/numbers.py",
    "jixiao/extract/text.py",
    "jixiao/extract/columns.py",
    "jixiao/extract/grid.py",
    "jixiao/extract/tables.py",
    "jixiao/extract/narrative.py",
    "jixiao/extract/context.py",
    "jixiao/extract/ocr.py",
    "jixiao/readers/text_cells.py",
    "jixiao/readers/tablejoin.py",
    "jixiao/readers/markdown.py",
    "jixiao/readers/tsv_html.py",
    "jixiao/readers/textfile.py",
]


def ext_modules() -> list:
    if os.environ.get("JIXIAO_MYPYC") != "1":
        return []
    from mypyc.build import mypycify

    # only the compiled modules must type-check; the rest is imported as plain Python
    flags = ["--follow-imports=silent", "--ignore-missing-imports"]
    return mypycify([*flags, *(f"src/{path}" for path in COMPILED)], opt_level="3")


setup(ext_modules=ext_modules())
