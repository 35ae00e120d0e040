"""What the 决算情况说明 states that the tables can confirm: 项 passages, years, the name.

Read from the document's paragraphs, general rules only:

* **项 passages.** ``N、<类>（类）<款>（款）<项>（项）。主要用于…年初预算为 X 万元，支出决算为
  Y 万元…决算数小于预算数的主要原因：…`` — a numbered passage (it may run over several
  paragraphs and pages) naming a 功能分类 path, with its budget, its 决算 and whether a reason
  is given. The 决算 is checked against the 一般公共预算财政拨款支出决算表 line of that path.
  Where the text layer printed the numbers apart from their sentence, the narrative figures
  read inside the passage's lines are used instead (see ``statement_checks``).
* **Years.** A heading ``… YYYY 年度部门决算(情况说明)`` (the tables' headings are
  ``accounts.heading``'s), a sentence opening with the
  department and ``YYYY 年度``, and ``截至 YYYY 年 12 月 31 日`` state the report's year;
  ``与/比/较 YYYY 年度相比|增加|减少…`` states the year before.
* **Name.** The department as a 说明 heading or a sentence opening with ``<单位> YYYY 年度``
  names it, to compare with the report's department.
"""

from __future__ import annotations

import re

from jixiao.accounts.model import FinalAccounts, ItemStatement, Marked, YearMark
from jixiao.document import Document, Paragraph, compact
from jixiao.numbers import parse_number

__all__ = ["read_statement"]

_YEAR = r"((?:19|20)\d{2})"
_PASSAGE_START = re.compile(
    r"^(?:[(（]?\d{1,2}[)）、.．](?!\d)|、|[一二三四五六七八九十]+、|[(（][一二三四五六七八九十]+[)）])"
)
# a path part: no punctuation, but a parenthesised word that is not 类/款/项 (政府办公厅（室）…)
_NAME = r"((?:[^，。；：:、（）()]|[（(](?![类款项][)）])[^，。（）()]{1,8}[)）]){2,40}?)"
_PATH = re.compile(_NAME + r"[（(]类[)）]" + _NAME + r"[（(]款[)）]" + _NAME + r"[（(]项[)）]")
_AMOUNT = r"((?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(亿元|万元|千元|元)"
_BUDGET = re.compile(r"年初预算(?:数)?(?:为|是)?" + _AMOUNT)
_FINAL = re.compile(r"(?:支出)?决算(?:数)?(?:为|是)" + _AMOUNT)
_REASON = re.compile(r"原因")
_EMPTY_SLOT = re.compile(r"为(?:亿元|万元|千元|元)")

_HEADING_YEAR = re.compile(
    r"^(?:第[一二三四五六七八九十]+部分)?(.{0,40}?)" + _YEAR + r"年度?部门决算(?:情况说明|报告)?$"
)
_ORG = r"(?:局|委员会|委|部|办公室|办|院|会|中心|所|处|站|馆|队|室|厅|署|社|校|团|政府|事务所|街道办事处)"
_OPENING = re.compile(r"^(.{4,40}?" + _ORG + r")" + _YEAR + r"年度")
_PREVIOUS = re.compile(
    r"(?:与|比|较)" + _YEAR + r"年度?(?=相比|比较|增加|减少|增长|下降|持平|基本持平|决算|同期)"
)
_AS_OF = re.compile(r"截至" + _YEAR + r"年12月31日")


def read_statement(doc: Document, accounts: FinalAccounts) -> None:
    """Fill ``accounts.items``, ``year_marks`` and ``name_marks`` from the paragraphs."""
    paragraphs = [b for b in doc.blocks if isinstance(b, Paragraph)]
    for para in paragraphs:
        _marks(para, accounts)
    accounts.items = _items(paragraphs)


def _marks(para: Paragraph, accounts: FinalAccounts) -> None:
    text = compact(para.value)
    if not text or len(text) > 2000:
        return
    loc = para.loc.to_dict()
    heading = _HEADING_YEAR.match(text) if len(text) <= 60 else None
    if heading is not None:
        accounts.year_marks.append(
            YearMark(year=int(heading.group(2)), role="report", text=text, loc=loc)
        )
        name = heading.group(1)
        if re.search(r"[\u4e00-\u9fff]{2}", name):
            accounts.name_marks.append(Marked(text=name, loc=loc))
    else:
        opening = _OPENING.match(text) if "部门决算" not in text[:60] else None  # headings
        if opening is not None and not opening.group(1).startswith(("截至", "其中", "第", "本")):
            accounts.year_marks.append(
                YearMark(year=int(opening.group(2)), role="report", text=_clip(text), loc=loc)
            )
            accounts.name_marks.append(Marked(text=opening.group(1), loc=loc))
    for m in _PREVIOUS.finditer(text):
        accounts.year_marks.append(
            YearMark(year=int(m.group(1)), role="previous", text=_around(text, m), loc=loc)
        )
    for m in _AS_OF.finditer(text):
        accounts.year_marks.append(
            YearMark(year=int(m.group(1)), role="asof", text=_around(text, m), loc=loc)
        )


def _clip(text: str, n: int = 40) -> str:
    return text if len(text) <= n else text[:n] + "…"


def _around(text: str, m: re.Match[str], n: int = 16) -> str:
    start, end = max(0, m.start() - n), min(len(text), m.end() + n)
    return ("…" if start else "") + text[start:end] + ("…" if end < len(text) else "")


def _items(paragraphs: list[Paragraph]) -> list[ItemStatement]:
    """Numbered passages naming a 类/款/项 path, each with its budget and 决算."""
    passages: list[list[Paragraph]] = []
    for para in paragraphs:
        text = compact(para.value)
        if _PASSAGE_START.match(text) or not passages:
            passages.append([para])
        else:
            passages[-1].append(para)
    items: list[ItemStatement] = []
    for passage in passages:
        texts = [compact(p.value) for p in passage]
        joined = "".join(texts)
        path = _PATH.search(joined[:300])
        if path is None:
            continue
        if _EMPTY_SLOT.search(joined):
            # the text layer printed the numbers apart (``年初预算为 万元`` …): which is which
            # only the narrative reader can tell (its figures are used at check time)
            budget = final = None
        else:
            budget = _BUDGET.search(joined)
            final = _FINAL.search(joined, budget.end() if budget else 0)
        if final is not None and budget is not None and budget.group(2) != final.group(2):
            budget = None
        first, last = passage[0].loc, passage[-1].loc
        loc = first.to_dict()
        if last.page == first.page and last.line_end is not None:
            loc["line_end"] = last.line_end
        items.append(
            ItemStatement(
                names=[_name(path.group(k)) for k in (1, 2, 3)],
                budget=parse_number(budget.group(1)) if budget else None,
                budget_text=budget.group(1) if budget else None,
                final=parse_number(final.group(1)) if final else None,
                final_text=final.group(1) if final else None,
                unit=final.group(2) if final else None,
                reason=bool(_REASON.search(joined)),
                text=joined,
                loc=loc,
                final_loc=_loc_of(passage, texts, final.start(1)) if final else None,
                lines=[
                    (p.loc.page, p.loc.line or 0, p.loc.line_end or p.loc.line or 0)
                    for p in passage
                ],
            )
        )
    return items


def _name(text: str) -> str:
    """A path part as printed, without the passage number (or a stray page-layout digit)."""
    return re.sub(r"\d", "", _PASSAGE_START.sub("", text)).strip()


def _loc_of(passage: list[Paragraph], texts: list[str], offset: int) -> dict:
    """The location of the paragraph holding character ``offset`` of the joined passage."""
    for para, text in zip(passage, texts, strict=True):
        if offset < len(text):
            return para.loc.to_dict()
        offset -= len(text)
    return passage[-1].loc.to_dict()
