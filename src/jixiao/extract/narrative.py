"""Figures stated in the narrative: ``“三公”经费预算19.5万元，实际开支8.2万元`` → two Figures.

Each Figure keeps the number as printed (value, unit, decimals), the words just before it in
its clause (``label``), the whole sentence (``text``: later rules and checks read their
subject from it, e.g. 三公 for ``实际开支``) and its Loc. Nothing here interprets what a
figure means; the scorer's inputs and the audit's narrative checks do that.
"""

from __future__ import annotations

import re

from jixiao.document import Document, Paragraph
from jixiao.model import Figure, loc_dict

_SENTENCE = re.compile(r"[^。；;！!？?\n]+[。；;！!？?]?")
_CLAUSE_BREAK = re.compile(r"[，,、：:（(）)]")
# a number with its unit; years (2020年) and list markers (1、) are not figures
_FIGURE = re.compile(
    r"(?<![\d.])(\d+(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(亿元|万元|千元|元|%|％|个百分点|人|个|项|件|次|家|条|台|套|户|天|日|小时|平方米|公里)?"
)
_FILLER = re.compile(r"^(其中|共计|合计|共|为|达到?|是|约|计|，|,)+|(为|达到?|共计|约|是|计)+$")
# after a unit-less number: dates, list markers, names like 5G / 2.0版 / 25+1+1
_SKIP_UNITS_AFTER = re.compile(r"^\s*(年|月|日|号|季度|、|\.(?!\d)|[A-Za-z+＋/]|版)")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_MAX_FIGURES = 5000  # a report is a few hundred; a runaway input must not explode the model


def narrative_figures(doc: Document) -> list[Figure]:
    figures: list[Figure] = []
    for block in doc.blocks:
        if not isinstance(block, Paragraph) or not _DIGIT.search(block.text):
            continue  # most paragraphs state no figure: skip them before any real work
        for sentence in _SENTENCE.findall(block.value):
            if _DIGIT.search(sentence):
                figures.extend(_figures_in(sentence.strip(), block))
            if len(figures) >= _MAX_FIGURES:
                return figures
    return figures


def _figures_in(sentence: str, block: Paragraph) -> list[Figure]:
    out = []
    for m in _FIGURE.finditer(sentence):
        unit = m.group(2)
        if unit is None and _SKIP_UNITS_AFTER.match(sentence[m.end() :]):
            continue  # 2020年, 3月, 1、 — dates and list numbers
        label = _label_before(sentence, m.start())
        if unit is None and not label:
            continue  # a bare number with no words before it says nothing
        number = m.group(1).replace(",", "")
        out.append(
            Figure(
                label=label,
                value=float(number),
                unit="%" if unit == "％" else unit,
                decimals=len(number.partition(".")[2]),
                text=sentence,
                loc=loc_dict(block.loc),
            )
        )
    return out


def _label_before(sentence: str, at: int) -> str:
    """The words of the clause that lead to the number: ``实际开支`` in ``…，实际开支 8.2万元``."""
    head = sentence[:at]
    clause = _CLAUSE_BREAK.split(head)[-1]
    return _FILLER.sub("", _SPACE.sub("", clause))
