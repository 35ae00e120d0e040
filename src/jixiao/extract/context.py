"""What a table does not say about itself: its title, subject and grade from the paragraphs
around it, and the report's entity and year.

Titles stand just above a table (``项目支出绩效自评表``, skipping ``（2021年度）`` and
``单位：万元``). A scoring sheet names its project somewhere above it: a ``项目名称：X`` line,
an ``X项目支出绩效评价报告`` heading, or ``“X”项目`` in the narrative. A grade is either in
the table or stated right after it (``综合绩效评定结论为“良好”``).
"""

from __future__ import annotations

import re
from collections import Counter

from jixiao.document import Block, Document, Paragraph, Table
from jixiao.extract.text import compact, join_wrapped_name

_SKIP_TITLE = re.compile(
    r"^[（(]?\s*\d{4}\s*年度?\s*[)）]?$|^单位[:：]|（制）$|\(制\)$|^注[:：]|^备注|^附件|^附表|^（?如下）?$|^\(如下\)$"
)
_TITLE_WORD = re.compile(r"表$|表[（(].*[)）]$|报告$|框架|体系|结论|情况$|评分|汇总")
_FIELD = re.compile(r"^[^：:]{2,8}[：:]\s*\S")
_KV = {
    "subject": re.compile(r"^项目名称[：:]\s*(.+)$"),
    "competent_dept": re.compile(r"^主管部门[：:]\s*(.+)$"),
    "implementing_unit": re.compile(r"^(?:项目单位|实施单位)[：:]\s*(.+)$"),
}
_SUBJECT_PATTERNS = [
    re.compile(r"^项目名称[：:]\s*(.+)$"),
    re.compile(
        r"^(?:[一二三四五六七八九十]+、)?(.{2,40}?)(?:项目)?(?:支出)?绩效(?:自评|评价)报告$"
    ),
    re.compile(r"[“\"]([^”\"]{2,40})[”\"]\s*项目"),
]
_GRADE_TEXT = re.compile(
    r"(?:评定结论|评价结论|评价等次|评价等级|绩效评级|绩效等级|等次|评级|等级|结论)[为是：:\s]*"
    r"[“\"「]?(优秀|优|良好|良|中等|中|合格|一般|差|较差|不合格)[”\"」]?"
)
_ENTITY_PATTERNS = [
    re.compile(r"^部门\s*[（(]?\s*单位\s*[)）]?\s*名称\s*[（(]?[^）)]*[)）]?\s*[：:]\s*(\S.+)$"),
    re.compile(r"^(?:部门|单位)名称\s*(?:[（(]公章[)）])?\s*[：:]\s*(\S.+)$"),
    re.compile(r"^第[一二三四五]部分\s*(\S+?)(?:概况|基本情况)$"),
    re.compile(
        r"^(\S{4,30}?(?:局|委员会|委|办公室|办|中心|院|厅|部|所|站|队|馆|会))\s*\d{4}\s*年度?\s*(?:部门|单位)?"
        r"(?:决算|整体(?:支出)?绩效)"
    ),
]
_YEAR = re.compile(r"(20\d{2})\s*年度")


class Context:
    def __init__(self, doc: Document):
        self.blocks = doc.blocks

    def _paragraphs_before(self, index: int, limit: int, stop_at_table: bool = True):
        seen = 0
        for j in range(index - 1, -1, -1):
            block = self.blocks[j]
            if isinstance(block, Table):
                if stop_at_table:
                    return
                continue
            yield block
            seen += 1
            if seen >= limit:
                return

    def title_before(self, index: int) -> str | None:
        for para in self._paragraphs_before(index, 12):
            text = para.value
            if not text or _SKIP_TITLE.search(text) or len(text) > 60 or _FIELD.match(text):
                continue
            if _TITLE_WORD.search(text):
                return text
        return None

    def fields_before(self, index: int) -> dict[str, str]:
        """项目名称： / 主管部门： / 项目单位： lines of a report's cover page above a table."""
        found: dict[str, str] = {}
        for para in self._paragraphs_before(index, 15):
            for field, pattern in _KV.items():
                m = pattern.match(para.value)
                if m and field not in found:
                    found[field] = m.group(1).strip()
        return found

    def subject_before(self, index: int, previous: list[tuple[int, str]]) -> str | None:
        """The project a scoring sheet is about; ``previous`` holds (block index, subject) of
        project tables read before, the nearest of which counts as a candidate too."""
        nearest_table = max((i for i, _ in previous), default=-1)
        for j in range(index - 1, nearest_table, -1):
            block = self.blocks[j]
            if not isinstance(block, Paragraph):
                continue
            for pattern in _SUBJECT_PATTERNS:
                m = pattern.search(block.value)
                if m and m.group(1).strip():
                    return m.group(1).strip()
        if previous:
            return previous[-1][1]
        return None

    def grade_after(self, index: int, limit: int = 3) -> str | None:
        for block in self.blocks[index + 1 : index + 1 + limit]:
            if isinstance(block, Table):
                return None
            m = _GRADE_TEXT.search(block.value)
            if m:
                return m.group(1)
        return None


def entity_of(doc: Document, fallbacks: list[str]) -> str | None:
    for block in _paragraph_head(doc.blocks, 400):
        for pattern in _ENTITY_PATTERNS:
            m = pattern.search(block.value)
            if m:
                return join_wrapped_name(m.group(1).strip())
    names = Counter(n for n in fallbacks if n)
    return names.most_common(1)[0][0] if names else None


def year_of(doc: Document) -> int | None:
    counts: Counter[int] = Counter()
    for block in doc.blocks[:400]:
        # compact text: a table's cells joined (compact(" ".join(values)), from the cells'
        # compact texts, which the recognizers have cached already)
        text = (
            compact(block.text)
            if isinstance(block, Paragraph)
            else "".join([compact(c.text) for row in block.rows for c in row])
        )
        for m in _YEAR.finditer(text):
            counts[int(m.group(1))] += 1
    return counts.most_common(1)[0][0] if counts else None


def _paragraph_head(blocks: list[Block], limit: int):
    for block in blocks[:limit]:
        if isinstance(block, Paragraph):
            yield block
