"""DOCX reader: paragraphs and tables of the document body, in document order.

python-docx only loads the package; the body is walked as XML because its table API repeats
a merged cell once per grid column and per merged row, which would hide the table's real
shape. Here a ``w:tc`` is one physical cell: ``w:gridSpan`` gives its colspan, its grid
column is the running sum of spans (after ``w:gridBefore``), and a ``w:vMerge`` continuation
is a covered empty cell under the origin, whose rowspan counts them.

Headers, footers, footnotes and comments are not read: reports keep their content in the
body. DOCX has no reliable page numbers, so Locs carry no page.
"""

from __future__ import annotations

from pathlib import Path

from jixiao.document import Cell, Document, Loc, Paragraph, Table
from jixiao.errors import ReadError
from jixiao.readers.ooxml import check_package

_W = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
_MC = "http://schemas.openxmlformats.org/markup-compatibility/2006"


def _q(tag: str) -> str:
    return f"{{{_W}}}{tag}"


P, TBL, TR, TC, T = _q("p"), _q("tbl"), _q("tr"), _q("tc"), _q("t")
TAB, BR, CR = _q("tab"), _q("br"), _q("cr")
SDT, SDT_CONTENT, CUSTOM_XML = _q("sdt"), _q("sdtContent"), _q("customXml")
TC_PR, TR_PR, GRID_SPAN, V_MERGE, H_MERGE = (
    _q("tcPr"),
    _q("trPr"),
    _q("gridSpan"),
    _q("vMerge"),
    _q("hMerge"),
)
GRID_BEFORE, ALT_CHUNK, VAL = _q("gridBefore"), _q("altChunk"), _q("val")
NO_BREAK_HYPHEN = _q("noBreakHyphen")
# Subtrees whose text is not shown: deleted or moved-away revisions, and the VML copy of a
# drawing that Word keeps next to its DrawingML copy (reading both would double text boxes).
_HIDDEN = {_q("del"), _q("moveFrom"), f"{{{_MC}}}Fallback"}
_TXBX = _q("txbxContent")


def read(path: Path, source: str) -> Document:
    """Read a .docx file into a Document (format ``docx``)."""
    body = _open_body(path, source)
    doc = Document(source=source, format="docx", path=str(path))
    _read_blocks(body, doc, source)
    return doc


def _open_body(path: Path, source: str):
    check_package(path, source, "DOCX", ".doc")
    try:
        import docx

        return docx.Document(str(path)).element.body
    except Exception as err:  # python-docx/lxml/zipfile errors on a damaged package
        raise ReadError(source, f"文件已损坏，无法作为 DOCX 读取（{type(err).__name__}）") from None


def _children(parent):
    """Block-level children, looking through content controls and custom XML wrappers."""
    for child in parent:
        if child.tag == SDT:
            content = child.find(SDT_CONTENT)
            if content is not None:
                yield from _children(content)
        elif child.tag == CUSTOM_XML:
            yield from _children(child)
        else:
            yield child


def _read_blocks(body, doc: Document, source: str) -> None:
    for child in _children(body):
        if child.tag == P:
            text = _para_text(child)
            if text.strip():
                doc.blocks.append(Paragraph(text, Loc(source)))
        elif child.tag == TBL:
            index = len(doc.tables())
            table = _read_table(child, source, index)
            if table.rows:
                doc.blocks.append(table)
        elif child.tag == ALT_CHUNK:
            doc.warnings.append("文档含有嵌入的外部内容（altChunk），这部分未读取")


# -- text ---------------------------------------------------------------------------------


def _para_text(p) -> str:
    out: list[str] = []
    _collect(p, out)
    return "".join(out).strip()


def _collect(el, out: list[str]) -> None:
    for child in el:
        tag = child.tag
        if not isinstance(tag, str) or tag in _HIDDEN:
            continue  # comments and processing instructions have a non-string tag
        if tag == T:
            out.append(child.text or "")
        elif tag == TAB:
            out.append("\t")
        elif tag in (BR, CR):
            out.append("\n")
        elif tag == NO_BREAK_HYPHEN:
            out.append("-")
        elif tag == _TXBX:
            inner = _block_text(child)
            if inner:
                out.append("\n" + inner + "\n")
        elif len(child):
            _collect(child, out)


def _block_text(container) -> str:
    """Text of a cell or text box: paragraphs joined by line breaks, nested tables flattened."""
    lines: list[str] = []
    for child in _children(container):
        if child.tag == P:
            text = _para_text(child)
            if text.strip():
                lines.append(text)
        elif child.tag == TBL:
            # A nested table becomes one line per row, its cells separated by tabs.
            for tr in _rows(child):
                cells = [" ".join(_block_text(tc).split("\n")) for tc in _cells(tr)]
                line = "\t".join(cells).strip()
                if line:
                    lines.append(line)
    return "\n".join(lines)


# -- tables -------------------------------------------------------------------------------


def _rows(tbl):
    return [el for el in _children(tbl) if el.tag == TR]


def _cells(tr):
    return [el for el in _children(tr) if el.tag == TC]


def _int_val(el, default: int) -> int:
    if el is None:
        return default
    try:
        return max(int(el.get(VAL, default)), 0)
    except ValueError:
        return default


def _read_table(tbl, source: str, index: int) -> Table:
    rows: list[list[Cell]] = []
    # grid col -> the origin of the vertical merge that is open there
    open_merges: dict[int, Cell] = {}
    for r, tr in enumerate(_rows(tbl)):
        tr_pr = tr.find(TR_PR)
        col = _int_val(tr_pr.find(GRID_BEFORE), 0) if tr_pr is not None else 0
        row: list[Cell] = []
        seen_cols: set[int] = set()
        for tc in _cells(tr):
            tc_pr = tc.find(TC_PR)
            span = max(_int_val(tc_pr.find(GRID_SPAN), 1), 1) if tc_pr is not None else 1
            v_merge = tc_pr.find(V_MERGE) if tc_pr is not None else None
            h_merge = tc_pr.find(H_MERGE) if tc_pr is not None else None
            text = _block_text(tc)
            if h_merge is not None and h_merge.get(VAL) != "restart" and row:
                # Legacy horizontal merge: this cell continues the previous one.
                prev = row[-1]
                prev.colspan += span
                if text:
                    prev.text = f"{prev.text}\n{text}" if prev.text else text
                col += span
                continue
            loc = Loc(source, table=index, row=r, col=col)
            if v_merge is not None and v_merge.get(VAL) != "restart" and col in open_merges:
                origin = open_merges[col]
                origin.rowspan += 1
                if text:  # Word hides a continuation's text; keep it rather than lose it
                    origin.text = f"{origin.text}\n{text}" if origin.text else text
                cell = Cell("", r, col, loc, colspan=origin.colspan, covered=True)
            else:
                cell = Cell(text, r, col, loc, colspan=span)
                if v_merge is not None:  # restart, or a continuation with nothing above it
                    open_merges[col] = cell
                else:
                    open_merges.pop(col, None)
            seen_cols.add(col)
            row.append(cell)
            col += span
        # A merge ends where a row has no continuation cell at its column.
        for start in [c for c in open_merges if c not in seen_cols]:
            del open_merges[start]
        rows.append(row)
    return Table(rows, Loc(source, table=index), index)
