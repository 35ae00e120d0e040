"""Figures stated in the narrative, with what they mean.

``“三公”经费预算19.5万元，实际开支8.2万元，比预算减少11.3万元`` gives three Figures. Each
keeps the number as printed (value, unit, decimals), the words just before it in its clause
(``label``), its sentence (``text``) and its Loc, and what it means:

* ``subject`` — what it is about, in canonical words (``三公经费``, ``基本支出`` …), named in
  its own clause or, failing that (``inferred``), by the sentence or the paragraph around it:
  ``实际开支8.2万元`` is about 三公经费. ``scope`` narrows it (``一般公共预算财政拨款``), from
  the clause or from the section heading;
* ``role`` (total, part, change, share, growth, completion, value), ``period`` where stated
  (年初预算, 全年预算, 预算, 决算, 本年, 上年), the ``direction`` of a change;
* links by ``id``, made only where the words state them: ``of`` (a part's total; the amount
  a change, growth rate, share or completion rate is about), ``base`` (a share's total, a
  completion's budget, the amount a change is measured against when it is printed too),
  ``pair`` (the change a growth rate belongs to), and ``claim`` (``决算数小于预算数``).

Nothing here judges: the checks in ``jixiao.checks`` compare the linked figures. A figure
whose meaning the words do not settle keeps ``role="value"`` and no links, so that the audit
stays silent rather than guessing.

Real 说明 come in awkward shapes, repaired here because they are specific to narrative text:
a PDF text layer may print the numbers of a line on a line of their own (``本年收入合计 万元``
then ``2946.25``), and PDF and OCR paragraphs break at line and page ends; both are joined
back before sentences are read.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field
from itertools import chain

from jixiao.document import Document, Loc, Paragraph
from jixiao.model import Figure, loc_dict

# -- tokens ----------------------------------------------------------------------------------

_SENTENCE = re.compile(r"[^。！!？?\n]+[。！!？?]?")
_CLAUSE_BREAK = re.compile(r"[，,、：:；;（(）)]")
_LEAD_BREAK = re.compile(r"[，,；;：:]")
# a number with its unit; years (2020年) and list markers (1、) are not figures. A bare 万 is
# a money unit only before punctuation (``250 万，``), not in ``36万余笔``. The number must not
# continue one (no digit or dot before it): checked after its first digit, so that the pattern
# starts with a digit and the engine skips ahead to the digits instead of trying every position.
_FIGURE = re.compile(
    r"(\d(?<![\d.]\d)\d*(?:,\d{3})*(?:\.\d+)?)\s*"
    r"(亿元|万元|千元|元|%|％|个百分点|人次|人|个|项|件|次|家|条|台|套|户|天|日|小时|平方米|公里"
    r"|辆|批次|批|万(?![\u4e00-\u9fff\d]))?"
)
_FILLER = re.compile(r"^(其中|共计|合计|共|为|达到?|是|约|计|，|,)+|(为|达到?|共计|约|是)+$")
# after a unit-less number (matched at its end): dates, list markers, 5G / 2.0版 / 25+1+1
_SKIP_UNITS_AFTER = re.compile(r"\s*(年|月|日|号|季度|、|\.(?!\d)|[A-Za-z+＋/]|版)")
_SPACE = re.compile(r"\s+")
_DIGIT = re.compile(r"\d")
_MONEY_WORDS = re.compile(r"费|金|资金|经费|支出|预算|收入|额|款|开支|投入|成本")
_PLACEHOLDER = re.compile(r"(?<![A-Za-z])(?:[XＸxｘ]{2,}|×{2,})\s*(万元|亿元|千元|元|%|％|人|个)")
_MAX_FIGURES = 5000  # a report is a few hundred; a runaway input must not explode the model

MONEY_UNITS = ("元", "千元", "万元", "亿元")
AMOUNT_UNITS = (*MONEY_UNITS, "人", "人次", "个", "项", "件", "家", "台", "套", "户", "辆", "批")

# -- what a figure is about ----------------------------------------------------------------

# Canonical subjects and how reports write them. Order matters where spellings overlap: at one
# position the first alternative that matches wins (公务用车购置及运行维护费 before 公务用车购置费;
# the 财政拨款收入 spelling must not swallow 财政拨款收入支出总计).
_CLASSES = (
    "一般公共服务支出", "外交支出", "国防支出", "公共安全支出", "教育支出", "科学技术支出",
    "文化旅游体育与传媒支出", "文化体育与传媒支出", "社会保障和就业支出", "卫生健康支出",
    "医疗卫生与计划生育支出", "节能环保支出", "城乡社区支出", "农林水支出", "交通运输支出",
    "资源勘探工业信息等支出", "商业服务业等支出", "金融支出", "援助其他地区支出",
    "自然资源海洋气象等支出", "住房保障支出", "粮油物资储备支出", "灾害防治及应急管理支出",
    "债务付息支出",
)  # fmt: skip
_SUBJECT_SPELLINGS: tuple[tuple[str, str], ...] = (
    ("收支总计", r"收[、，,]?\s*支总计|收入支出总计|收支总额"),
    ("收入总计", r"收入总计|收入总额"),
    ("支出总计", r"支出总计"),
    ("本年收入合计", r"(?:本年)?收入合计"),
    ("本年支出合计", r"(?:本年)?支出合计|整体支出|资金总体支出|(?<!项目)总支出"),
    ("年初结转和结余", r"年初结转(?:和|及|与)?结余"),
    ("年末结转和结余", r"年末结转(?:和|及|与)?结余"),
    ("上级补助收入", r"上级补助收入"),
    ("财政拨款收入", r"财政(?:拨款|补助)收入(?!\s*支出|、\s*支)"),
    ("事业收入", r"事业收入"),
    ("经营收入", r"经营收入"),
    ("附属单位上缴收入", r"附属单位上缴收入"),
    ("其他收入", r"其他收入"),
    ("三公经费", r"三公\W{0,3}经费"),
    ("因公出国（境）费", r"因公出国\s*(?:[（(]\s*境\s*[)）])?(?:费用|费|支出)?"),
    ("公务用车购置及运行维护费", r"公务用车购置(?:及|和)运行(?:维护)?(?:费|支出)?"),
    ("公务用车购置费", r"公务用车购置(?:费|支出)?"),
    ("公务用车运行维护费", r"公务用车运行(?:维护)?(?:费|支出)?"),
    ("公务接待费", r"(?:国内)?公务接待(?:费|支出)?"),
    ("机关运行经费", r"机关运行经费"),
    ("授予小微企业合同金额", r"(?:授予)?小微企业(?:合同)?(?:金额)?"),
    ("授予中小企业合同金额", r"(?:授予)?中小企业(?:合同)?(?:金额)?"),
    ("政府采购货物支出", r"政府采购货物(?:支出|金额)?|货物采购(?:支出|金额)"),
    ("政府采购工程支出", r"政府采购工程(?:支出|金额)?|工程采购(?:支出|金额)"),
    ("政府采购服务支出", r"政府采购服务(?:支出|金额)?|服务采购(?:支出|金额)"),
    ("政府采购支出总额", r"政府采购(?:支出)?(?:总额|金额)|政府采购支出"),
    ("一般公共预算财政拨款支出", r"一般公共预算财政拨款支出"),
    *((name, re.escape(name)) for name in _CLASSES),
    ("基本支出", r"基本支出"),
    ("项目支出", r"项目(?:专项)?支出|专项支出"),
    ("上缴上级支出", r"上缴上级支出"),
    ("经营支出", r"经营支出"),
    ("对附属单位补助支出", r"对附属单位补助支出"),
    ("其他支出", r"其他支出"),
    ("人员经费", r"人员经费|人员支出"),
    ("公用经费", r"(?:日常)?公用经费|公用支出"),
    ("工资福利支出", r"工资福利支出"),
    ("商品和服务支出", r"商品和服务支出"),
    ("对个人和家庭的补助", r"对个人和家庭(?:的)?补助(?:支出)?"),
    ("资本性支出", r"资本性支出"),
    ("实有人数", r"实有人数"),
    ("在职人员", r"在职人员"),
    ("离休人员", r"离休人员"),
    ("退休人员", r"(?<!离)退休人员"),
)
_SUBJECT_NAMES = [name for name, _ in _SUBJECT_SPELLINGS]
# Spellings grouped by the characters they can start with: at a position only the spellings
# that can start with its character are tried, in their order, instead of every alternative
# at every position (``re`` has no trie for a long alternation: the hot loop of extraction).


def _first_chars(pattern: str) -> set[str]:
    """The characters a match of ``pattern`` can start with (for the simple patterns above:
    literals, optional ``(?:…)?`` prefixes, ``(?<!…)`` lookbehinds, top-level ``|``)."""
    out: set[str] = set()
    depth, start = 0, 0
    alternatives = []
    for k, ch in enumerate(pattern):
        depth += ch == "("
        depth -= ch == ")"
        if ch == "|" and depth == 0:
            alternatives.append(pattern[start:k])
            start = k + 1
    alternatives.append(pattern[start:])
    for alt in alternatives:
        if alt.startswith("(?<!") or alt.startswith("(?:"):
            depth, end = 0, 0
            for k, ch in enumerate(alt):
                depth += ch == "("
                depth -= ch == ")"
                if depth == 0:
                    end = k
                    break
            group, rest = alt[: end + 1], alt[end + 1 :]
            if group.startswith("(?<!"):
                out |= _first_chars(rest)
            elif rest.startswith("?"):
                out |= _first_chars(group[3:-1]) | _first_chars(rest[1:])
            else:
                out |= _first_chars(group[3:-1])
        elif alt:
            out.add(alt[0])
    return out


def _spellings_by_first_char() -> dict[str, re.Pattern[str]]:
    """For each first character, one pattern of the spellings that can start with it (in
    their order; group ``s<k>`` names spelling ``k``)."""
    starting: dict[str, list[int]] = {}
    for k, (_, pattern) in enumerate(_SUBJECT_SPELLINGS):
        for ch in _first_chars(pattern):
            starting.setdefault(ch, []).append(k)
    return {
        ch: re.compile("|".join(f"(?P<s{k}>{_SUBJECT_SPELLINGS[k][1]})" for k in ks))
        for ch, ks in starting.items()
    }


_SUBJECTS_AT = _spellings_by_first_char()
_SUBJECT_START = re.compile(f"[{''.join(sorted(_SUBJECTS_AT))}]")


def _subject_matches(sentence: str) -> Iterator[re.Match[str]]:
    """The subject spellings in ``sentence``, left to right and not overlapping: at each
    position the first spelling (in ``_SUBJECT_SPELLINGS`` order) that matches there."""
    resume = 0
    for start in _SUBJECT_START.finditer(sentence):
        at = start.start()
        if at < resume:
            continue  # inside the match before
        m = _SUBJECTS_AT[start.group()].match(sentence, at)  # lookbehinds see the text before
        if m is not None:
            resume = m.end()
            yield m


# a budget classification item: ``社会保障和就业支出（类）行政事业单位养老支出（款）…（项）``
_CLASSIFIED = re.compile(
    r"[“\"]?((?:[\u4e00-\u9fff]|[（(][\u4e00-\u9fff]{1,2}[)）](?=[\u4e00-\u9fff])){2,24}?)"
    r"[”\"]?\s*[（(](?:类|款|项)[)）]"
)
_CLASS_MARK = re.compile(r"[（(](?:类|款|项)[)）]")  # how every _CLASSIFIED match ends
# subjects that carry their scope in their name
SCOPED_NAMES = frozenset({"财政拨款收入", "一般公共预算财政拨款支出"})

# The additive decompositions of a 决算说明: which totals a part may belong to. A part is
# linked to the nearest such total printed before it (same sentence, paragraph, list,
# section), so ``基本支出`` goes to 本年支出合计 however the sentence is punctuated.
PARENTS: dict[str, tuple[str, ...]] = {
    "本年收入合计": ("收入总计", "收支总计"),
    "年初结转和结余": ("收入总计", "收支总计"),
    "本年支出合计": ("支出总计", "收支总计"),
    "年末结转和结余": ("支出总计", "收支总计"),
    **dict.fromkeys(
        ("财政拨款收入", "上级补助收入", "事业收入", "经营收入", "附属单位上缴收入", "其他收入"),
        ("本年收入合计",),
    ),
    **dict.fromkeys(
        ("基本支出", "项目支出", "上缴上级支出", "经营支出", "对附属单位补助支出", "其他支出"),
        ("本年支出合计",),
    ),
    **dict.fromkeys(
        (
            "人员经费",
            "公用经费",
            "工资福利支出",
            "商品和服务支出",
            "对个人和家庭的补助",
            "资本性支出",
        ),
        ("基本支出",),
    ),
    **dict.fromkeys(("因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"), ("三公经费",)),
    **dict.fromkeys(
        ("公务用车购置费", "公务用车运行维护费"), ("公务用车购置及运行维护费", "三公经费")
    ),
    **dict.fromkeys(
        ("政府采购货物支出", "政府采购工程支出", "政府采购服务支出"), ("政府采购支出总额",)
    ),
    "授予小微企业合同金额": ("授予中小企业合同金额",),
    **dict.fromkeys(("在职人员", "离休人员", "退休人员"), ("实有人数",)),
    **dict.fromkeys(_CLASSES, ("一般公共预算财政拨款支出",)),
}
# one statement may name several totals at once: ``收、支总计各增加…``
ALIASES: dict[str, frozenset[str]] = {
    "收支总计": frozenset({"收支总计", "收入总计", "支出总计"}),
    "收入总计": frozenset({"收入总计", "收支总计"}),
    "支出总计": frozenset({"支出总计", "收支总计"}),
}

_SCOPES = re.compile(
    r"一般公共预算(?:财政拨款)?|政府性基金(?:预算)?(?:财政拨款)?|国有资本经营预算(?:财政拨款)?"
    r"|财政拨款"
)

# -- what role a figure plays ----------------------------------------------------------------

_TAIL = r"[^，,；;。]"
_COMPLETION = re.compile(
    rf"(?:完成|执行){_TAIL}{{0,12}}?预算{_TAIL}{{0,4}}$|(?:执行|完成)率{_TAIL}{{0,4}}$"
)
_CHANGE_WORDS = r"增长|下降|增加|减少|上升|降低|提高|增幅|降幅|增速|节约|超支|增减"
_CHANGE = re.compile(
    rf"(?:{_CHANGE_WORDS})(?:率)?(?:了|为|达|约|幅度为|幅度|额为|额)?\s*"
    r"(?:[（(][^）)]{0,4}[)）])?\s*$"
)
_SHARE = re.compile(r"占|(?:比例|比重|比率)(?:为|达|约)?\s*$")
_UP = re.compile(r"增长|增加|上升|提高|超支|增幅")
_DOWN = re.compile(r"下降|减少|降低|节约|降幅")
_VERSUS_BUDGET = re.compile(r"预算")
_VERSUS_LAST = re.compile(r"上年|上一年|上年度|去年|同期|\d{4}\s*年")
_PERIODS = re.compile(
    r"年初预算|全年预算|调整预算|预算|决算|实际开支|实际支出|实际发生|实际收到|实际|执行数"
    r"|共支出|开支|上年|上一年度|上年度|本年"
)
_OPENER = re.compile(r"其中|包括|以下方面|具体构成为?|构成为|构成如下")
_CLAIM = re.compile(
    r"决算数?\s*(大于|小于|高于|低于|超过|少于|等于|同|与)\s*(?:全年|年初)?预算数?\s*"
    r"(基本)?\s*(持平|一致|相等|相同)?"
)
_CLAIM_ALTERNATIVES = re.compile(r"(?:大于|小于|等于|持平)\s*[（(]\s*(?:大于|小于|等于|持平)")
_SHARE_BASE = re.compile(r"占(.*?)(?:的)?(?:比例|比重|比率)?(?:为|达|约)?\s*$")
_SHARE_LEAD = re.compile(r"^[\s，,]*\S{0,2}?占")  # ``占`` right after the part it is a share of
_TOTAL_WORDS = re.compile(r"合计|总计|总额|共计")
_BEFORE_PERCENT = re.compile(r"[占的为达至率长降]$")

# -- paragraphs, headings, lists -----------------------------------------------------------

_MARKERS = (
    (1, re.compile(r"^第[一二三四五六七八九十]+部分")),
    (1, re.compile(r"^[一二三四五六七八九十]+\s*[、.．]")),
    (2, re.compile(r"^[（(]\s*[一二三四五六七八九十]+\s*[)）]")),
    (3, re.compile(r"^\d{1,2}\s*[、.．](?!\d)")),
    (4, re.compile(r"^[（(]\s*\d{1,2}\s*[)）]")),
    (5, re.compile(r"^[①②③④⑤⑥⑦⑧⑨⑩]")),
)
_MARKER_FIRST = frozenset("第一二三四五六七八九十（(①②③④⑤⑥⑦⑧⑨⑩")  # and digits
_ENDS_LIST = re.compile(r"(?:其中|包括|如下|以下方面|具体构成为?|构成为)\s*[：:]\s*$")
_TERMINAL = "。！？!?；;：:"
_PUNCT = "，,。；;：:、）)！？!?"
_PDF_LIKE = frozenset({"pdf", "markdown"})
_QUOTES = "“”\"‘’'"
_NUMBER_LINE = re.compile(r"[\s“”\"‘’']*(?:-?\d[\d,]*(?:\.\d+)?%?[\s“”\"‘’']*)+")
_NUMBER_TOKEN = re.compile(r"-?\d[\d,]*(?:\.\d+)?%?")
_UNIT_START = re.compile(
    r"^(?:亿元|万元|千元|元|万|%|％|年|月|日|个|人|辆|台|项|批|次|家|件|户|名|套|所|分|、)"
)
# a line cannot start with these unless the number before them went to a line of its own
_FIRM_START = re.compile(r"^(?:亿元|万元|千元|%|％|年度|年)")
_BEFORE_NUMBER = re.compile(r"(?:占|的|为|达|至|计|共|约|增加|减少|增长|下降|合计|总计|总额)$")


@dataclass(slots=True)
class _Para:
    text: str
    loc: Loc
    block: int
    tail: int = 0  # where the last physical line starts in ``text`` (PDF repair)
    marker: int = 0  # list/heading level of its leading marker (一、=1 … ①=5), 0 for none
    heading: bool = False
    section: int = 0
    section_title: str | None = None
    section_scope: str | None = None
    group: int = 0  # a paragraph ending in 其中： and the list items after it share a group
    opener: bool = False
    item: bool = False  # an item of the list its group opens
    topic: tuple[str, str | None] | None = None  # named by a figure-less title sentence
    topic_read: bool = False  # ``topic`` is computed on first use


@dataclass(slots=True)
class _Mention:
    start: int
    end: int
    subject: str
    scope: str | None
    base: bool  # inside ``占…的``: names a share's base, not the sentence's subject
    aside: bool = False  # inside parentheses: a remark, not what the sentence goes on about


@dataclass(slots=True)
class _F:
    id: int
    value: float
    unit: str | None
    decimals: int
    label: str
    sentence: str
    sent: int
    para: int
    start: int
    end: int
    between: str  # the raw text since the previous figure of the sentence
    lead: str  # ``between`` from its last clause break
    role: str = "value"
    subject: str | None = None
    scope: str | None = None
    inferred: bool = False
    period: str | None = None
    direction: int | None = None
    versus: str | None = None
    base_label: str | None = None
    of: int | None = None
    base: int | None = None
    pair: int | None = None
    claim: str | None = None
    claim_text: str | None = None
    children: list[int] = field(default_factory=list)

    @property
    def pclass(self) -> str:
        return period_class(self.period)

    @property
    def amount(self) -> bool:
        return self.role in ("value", "total", "part") and self.unit in AMOUNT_UNITS

    @property
    def family(self) -> str | None:
        return "money" if self.unit in MONEY_UNITS else self.unit


def period_class(period: str | None) -> str:
    """budget | last | actual: periods that can be compared with each other."""
    if period in ("年初预算", "全年预算", "预算"):
        return "budget"
    if period == "上年":
        return "last"
    return "actual"


# -- entry point -------------------------------------------------------------------------


def narrative_figures(doc: Document) -> list[Figure]:
    paras = _paragraphs(doc)
    _structure(paras)
    figs: list[_F] = []
    placeholders: list[Figure] = []
    claims: list[tuple[int, int, str, str]] = []  # (para, sentence, claim, text)
    sent_index = 0
    for pi, para in enumerate(paras):
        has_digit = _DIGIT.search(para.text) is not None
        if not has_digit and not _maybe_placeholder(para.text):
            continue  # most paragraphs state no figure: skip them before any real work
        for sentence in _SENTENCE.findall(para.text):
            sentence = sentence.strip()
            if not sentence:
                continue
            sent_index += 1
            if _maybe_placeholder(sentence):
                placeholders.extend(_placeholders(sentence, para))
            if has_digit:
                claim = _claim_of(sentence)
                if claim:
                    claims.append((pi, sent_index, claim, sentence))
                if _DIGIT.search(sentence):
                    figs.extend(_figures_in(sentence, sent_index, pi, para, len(figs)))
            if len(figs) >= _MAX_FIGURES:
                break
        if len(figs) >= _MAX_FIGURES:
            break
    _Linker(figs, paras).link(claims)
    locs: dict[int, dict] = {}  # a paragraph's Loc as a dict, for each of its figures
    out = [_to_model(f, paras[f.para], locs) for f in figs]
    for k, p in enumerate(placeholders, start=len(out)):
        p.id = k
    return out + placeholders


def _to_model(f: _F, para: _Para, locs: dict[int, dict]) -> Figure:
    loc = locs.get(f.para)
    if loc is None:
        loc = locs[f.para] = para.loc.to_dict()  # shared safely: pydantic copies it
    return Figure(
        label=f.label,
        value=f.value,
        unit=f.unit,
        decimals=f.decimals,
        text=f.sentence,
        loc=loc,
        id=f.id,
        subject=f.subject,
        scope=f.scope,
        role=f.role,  # type: ignore[arg-type]
        period=f.period,
        direction=f.direction,
        versus=f.versus,
        of=f.of,
        base=f.base,
        pair=f.pair,
        base_label=f.base_label,
        claim=f.claim,
        claim_text=f.claim_text,
        inferred=f.inferred,
        paragraph=f.para,
        passage=para.group,
        sentence=f.sent,
        section=para.section_title,
    )


# -- paragraphs ----------------------------------------------------------------------------


def _paragraphs(doc: Document) -> list[_Para]:
    """The document's paragraphs, with PDF and OCR line breaks joined back."""
    repair = doc.format in _PDF_LIKE
    out: list[_Para] = []
    for index, block in enumerate(doc.blocks):
        if not isinstance(block, Paragraph):
            continue
        text = block.value
        if not text or (repair and not text.strip(_QUOTES + " ")):
            continue  # PDF text layers leave the quote marks of “三公” on lines of their own
        last = (
            out[-1]
            if out and out[-1].block < index and _adjacent(doc, out[-1].block, index)
            else None
        )
        if repair and last is not None:
            if _NUMBER_LINE.fullmatch(text) and _next_line(last.loc, block.loc):
                filled = _fill_numbers(last.text[last.tail :], text, last.text[: last.tail])
                if filled is not None:
                    last.text = last.text[: last.tail] + filled
                    last.loc = _extend(last.loc, block.loc)
                    last.block = index
                    continue
            if _continues(last.text, text):
                glue = " " if last.text[-1].isascii() and text[0].isascii() else ""
                last.tail = len(last.text) + len(glue)
                last.text = last.text + glue + text
                last.loc = _extend(last.loc, block.loc)
                last.block = index
                continue
        out.append(_Para(text, block.loc, index))
    return out


def _adjacent(doc: Document, a: int, b: int) -> bool:
    """No table stands between blocks ``a`` and ``b``."""
    return all(isinstance(doc.blocks[k], Paragraph) for k in range(a + 1, b))


def _next_line(prev: Loc, loc: Loc) -> bool:
    if prev.page != loc.page or prev.line is None or loc.line is None:
        return False
    return loc.line == (prev.line_end or prev.line) + 1


def _extend(first: Loc, last: Loc) -> Loc:
    if first.page != last.page:
        return first  # a line range cannot cross a page: keep where the paragraph starts
    return first.at(line_end=last.line_end if last.line_end is not None else last.line)


def _continues(prev: str, nxt: str) -> bool:
    """``nxt`` carries on the sentence ``prev`` breaks off (a line or page break in a PDF)."""
    if prev[-1] in _TERMINAL or len(prev) + len(nxt) > 4000:
        return False
    # not into a heading, nor into the next list item
    return not (_marker(nxt) or (_marker(prev) and len(prev) <= 40))


def _fill_numbers(line: str, numbers: str, before: str = "") -> str | None:
    """Put the numbers a PDF printed on a line of their own back into the gaps they left.

    ``本年收入合计 万元，其中：财政拨款收入 万元，占 ；其他`` + ``2946.25 2940.05 99.79%``:
    a number goes into the next gap that fits it — a plain number before a unit word, a
    percentage before punctuation. None when some number fits nowhere: the lines stay apart.
    """
    tokens = [t for t in numbers.split() if t.strip(_QUOTES)]
    tokens = [t.strip(_QUOTES) for t in tokens]
    if not tokens or not all(_NUMBER_TOKEN.fullmatch(t) for t in tokens):
        return None
    gaps: list[int] = []  # positions in ``line`` where a number goes (a space, or an end)
    if (
        line[0] in _PUNCT
        or _FIRM_START.match(line)
        or (_UNIT_START.match(line) and _BEFORE_NUMBER.search(before))
    ):
        gaps.append(-1)  # the number ends the line before: ``支出决算为`` / ``万元。…``
    gaps += [k for k in range(1, len(line) - 1) if line[k] == " "]
    if _BEFORE_NUMBER.search(line):
        gaps.append(len(line))
    placed: dict[int, str] = {}
    g = 0
    for token in tokens:
        while g < len(gaps) and not _fits(token, line, gaps[g]):
            g += 1
        if g == len(gaps):
            return None
        placed[gaps[g]] = token
        g += 1
    out = placed.get(-1, "")
    for k, ch in enumerate(line):
        out += placed.get(k, ch)
    return out + placed.get(len(line), "")


def _fits(token: str, line: str, gap: int) -> bool:
    if gap >= len(line):
        return True
    after = line[gap + 1 :] if gap >= 0 else line
    before = line[:gap] if gap > 0 else ""
    if token.endswith("%"):
        return not after or after[0] in _PUNCT or bool(_BEFORE_PERCENT.search(before))
    return bool(_UNIT_START.match(after))


def _marker(text: str) -> int:
    first = text[:1]
    if first not in _MARKER_FIRST and not first.isdecimal():
        return 0  # no marker starts otherwise (\d: any decimal digit)
    for level, pattern in _MARKERS:
        if pattern.match(text):
            return level
    return 0


def _structure(paras: list[_Para]) -> None:
    """Headings and their sections; a paragraph ending in ``其中：`` and the items after it."""
    section, title, scope = 0, None, None
    group = 0
    open_group: _Para | None = None
    for para in paras:
        para.marker = _marker(para.text)
        para.heading = bool(para.marker) and _is_heading(para.text)
        if para.heading:
            section += 1
            title = para.text
            found = _SCOPES.search(para.text)
            scope = _scope_name(found.group()) if found else None
        para.section, para.section_title, para.section_scope = section, title, scope
        if open_group is not None and not para.heading and _in_list(open_group, para):
            para.group, para.item = open_group.group, True
        else:
            open_group = None
            group += 1
            para.group = group
        if _ENDS_LIST.search(para.text):
            para.opener = True
            open_group = para if open_group is None else open_group


def _is_heading(text: str) -> bool:
    """A numbered title line: short, and no figure in it (``（一）工资福利支出829.12万元`` is an
    item, not a heading)."""
    if len(text) > 60 or text.rstrip()[-1:] in "。；;，,":
        return False
    return not any(m.group(2) for m in _FIGURE.finditer(text))


def _in_list(opener: _Para, para: _Para) -> bool:
    """Items of a ``其中：`` list: deeper-numbered paragraphs, or unnumbered ones when the
    lead itself is a numbered item (``1、…其中：`` then ``“组织事务”（款）…``)."""
    if opener.marker:
        return para.marker == 0 or para.marker > opener.marker
    return para.marker > 1


def _topic(para: _Para) -> tuple[str, str | None] | None:
    """The subject a paragraph opens with in a figure-less title sentence:
    ``1、社会保障和就业支出（类）…行政单位离退休（项）。年初预算为…``."""
    if not para.topic_read:
        para.topic_read = True
        first = _SENTENCE.match(para.text)
        if first is not None and first.end() < len(para.text):
            sentence = first.group()
            mentions = _mentions(sentence)
            if mentions and not any(m.group(2) for m in _FIGURE.finditer(sentence)):
                para.topic = mentions[-1].subject, mentions[-1].scope
    return para.topic


# -- figures of one sentence ---------------------------------------------------------------


def _mentions(sentence: str) -> list[_Mention]:
    """Every subject the sentence names, in order of where they end."""
    out: list[_Mention] = []
    for m in _subject_matches(sentence):
        name = _SUBJECT_NAMES[int(m.lastgroup[1:])]  # type: ignore[index]
        out.append(_Mention(m.start(), m.end(), name, None, False))
    # the full pattern is slow (a lazy run of up to 24 characters at each position): only
    # where its closing （类）/（款）/（项） is printed at all
    classified = _CLASS_MARK.search(sentence) is not None
    for m in _CLASSIFIED.finditer(sentence) if classified else ():
        name = m.group(1)
        if not any(x.start <= m.start(1) < x.end for x in out):
            out.append(_Mention(m.start(), m.end(), name, None, False))
    out.sort(key=lambda x: x.end)
    for x in out:
        clause_start = max(sentence.rfind(c, 0, x.start) for c in "，,；;：:。") + 1
        clause_end = _next_break(sentence, x.end)
        x.base = "占" in sentence[clause_start : x.start]
        head = sentence[: x.start]
        x.aside = head.count("（") + head.count("(") > head.count("）") + head.count(")")
        if x.subject not in SCOPED_NAMES:
            x.scope = _scope_in(
                sentence[clause_start : x.start] + " " + sentence[x.end : clause_end]
            )
    return out


def _next_break(sentence: str, at: int) -> int:
    found = _LEAD_BREAK.search(sentence, at)
    cut = found.start() if found else len(sentence)
    number = _FIGURE.search(sentence, at, cut)
    return number.start() if number else cut


def _scope_in(text: str) -> str | None:
    found = _SCOPES.search(text)
    return _scope_name(found.group()) if found else None


def _scope_name(word: str) -> str:
    if word.startswith("一般公共预算"):
        return "一般公共预算财政拨款"
    if word.startswith("政府性基金"):
        return "政府性基金预算财政拨款"
    if word.startswith("国有资本"):
        return "国有资本经营预算财政拨款"
    return "财政拨款"


def _figures_in(sentence: str, sent: int, pi: int, para: _Para, first_id: int) -> list[_F]:
    out: list[_F] = []
    mentions: list[_Mention] | None = None
    clauses: list[int] | None = None
    prev_end = 0
    for m in _FIGURE.finditer(sentence):
        unit = m.group(2)
        if unit is None and _SKIP_UNITS_AFTER.match(sentence, m.end()):
            continue  # 2020年, 3月, 1、 — dates and list numbers
        if clauses is None:
            clauses = _clause_starts(sentence)
        label = _label_before(sentence, m.start(), clauses)
        if unit is None and not label:
            continue  # a bare number with no words before it says nothing
        between = sentence[prev_end : m.start()]
        lead = _LEAD_BREAK.split(between)[-1].strip()
        if unit == "万":
            if not _MONEY_WORDS.search(lead):
                prev_end = m.end()
                continue  # 3万 people, not money
            unit = "万元"
        number = m.group(1).replace(",", "")
        f = _F(
            id=first_id + len(out),
            value=float(number),
            unit="%" if unit == "％" else unit,
            decimals=len(number.partition(".")[2]),
            label=label,
            sentence=sentence,
            sent=sent,
            para=pi,
            start=m.start(),
            end=m.end(),
            between=between,
            lead=lead,
        )
        prev_end = m.end()
        if mentions is None:
            mentions = _mentions(sentence)
        _read_meaning(f, mentions, para)
        out.append(f)
    return out


def _read_meaning(f: _F, mentions: list[_Mention], para: _Para) -> None:
    """Role, direction, period, subject and scope from the words around the number."""
    lead = f.lead
    plain = _SCOPES.sub("", lead)  # 一般公共预算 is a scope, not a 预算 period
    if f.unit == "%":
        if _COMPLETION.search(lead):
            f.role = "completion"
        elif _CHANGE.search(lead):
            f.role = "growth"
        elif _SHARE.search(lead):
            f.role = "share"
            found = _SHARE_BASE.search(lead)
            f.base_label = found.group(1).strip(" 的") if found else ""
    elif f.unit in MONEY_UNITS and _CHANGE.search(lead):
        f.role = "change"
    if f.role in ("change", "growth"):
        up, down = _UP.search(lead), _DOWN.search(lead)
        f.direction = None if up and down else 1 if up else -1 if down else None
        if "持平" in lead or "无变化" in lead:
            f.direction = 0
        f.versus = (
            "预算"
            if _VERSUS_BUDGET.search(plain)
            else "上年"
            if _VERSUS_LAST.search(plain)
            else None
        )
    elif f.unit != "%":
        cues = _PERIODS.findall(plain)
        if cues:
            f.period = _period_name(cues[-1])
    # the subject: named in the figure's own clause, else the sentence's last one before it
    lead_start = f.start - len(f.between) + f.between.rfind(lead) if lead else f.start
    own = [m for m in mentions if m.start >= lead_start and m.end <= f.start and not m.base]
    chosen: _Mention | None = own[-1] if own else None
    if chosen is None and _says_nothing_else(plain):
        before = [m for m in mentions if m.end <= lead_start and not m.base and not m.aside]
        chosen = before[-1] if before else None
        topic = _topic(para) if chosen is None else None
        if topic is not None:
            f.subject, f.scope, f.inferred = topic[0], topic[1], True
    if chosen is not None:
        f.subject, f.scope, f.inferred = chosen.subject, chosen.scope, not own
    if f.scope is None and f.subject not in SCOPED_NAMES:
        f.scope = para.section_scope


# the words a clause may hold besides its subject: ``决算数较2020年减少`` speaks of the
# sentence's subject; ``年末其他人员`` names something else, which must not inherit it
_FUNCTION_WORDS = re.compile(
    r"\d+|年度|年|较|比|与|相比|同比|增加|减少|增长|下降|上升|降低|节约|了|为|是|达|共|计|约"
    r"|其中|决算|预算|数|年初|全年|调整|实际|开支|支出|执行|发生|收到|本年|上年|上一年度|同期"
    r"|金额|合计|累计|总额|各|均|分别|占|比例|比重|的|完成|率|仅|幅度|额|[“”\"（）()\s、，,：:]"
)


def _says_nothing_else(plain: str) -> bool:
    """``plain``: the lead without its scope words."""
    return len(_FUNCTION_WORDS.sub("", plain)) <= 1


def _period_name(cue: str) -> str:
    if cue == "年初预算":
        return "年初预算"
    if cue in ("全年预算", "调整预算"):
        return "全年预算"
    if cue == "预算":
        return "预算"
    if cue in ("上年", "上一年度", "上年度"):
        return "上年"
    if cue == "本年":
        return "本年"
    return "决算"


def _clause_starts(sentence: str) -> list[int]:
    """Where the clauses of ``sentence`` start: 0, and after each clause break."""
    return [0] + [m.end() for m in _CLAUSE_BREAK.finditer(sentence)]


def _label_before(sentence: str, at: int, clauses: list[int]) -> str:
    """The words of the clause that lead to the number: ``实际开支`` in ``…，实际开支 8.2万元``
    (``clauses`` from ``_clause_starts``: computed once per sentence, not per number)."""
    clause = sentence[clauses[bisect_right(clauses, at) - 1] : at]
    return _FILLER.sub("", _SPACE.sub("", clause))


def _claim_of(sentence: str) -> str | None:
    """``决算数小于预算数的主要原因…`` → 小于; None for the template's ``大于（小于）``."""
    if _CLAIM_ALTERNATIVES.search(sentence):
        return None
    m = _CLAIM.search(sentence)
    if m is None:
        return None
    word, nearly, flat = m.group(1), m.group(2), m.group(3)
    if flat:
        return "持平" if nearly or word in ("与", "同") else "等于"
    return {
        "大于": "大于", "高于": "大于", "超过": "大于",
        "小于": "小于", "低于": "小于", "少于": "小于",
        "等于": "等于",
    }.get(word)  # fmt: skip


# -- placeholders ----------------------------------------------------------------------------


def _maybe_placeholder(text: str) -> bool:
    return "XX" in text or "ＸＸ" in text or "××" in text or "xx" in text


def _placeholders(sentence: str, para: _Para) -> list[Figure]:
    """``XXX 万元`` left in the text: a figure slot with no number (``role="value"``,
    ``value=0``, ``label`` the placeholder as printed)."""
    out = []
    for m in _PLACEHOLDER.finditer(sentence):
        out.append(
            Figure(
                label=m.group(),
                value=0.0,
                unit="%" if m.group(1) == "％" else m.group(1),
                text=sentence,
                loc=loc_dict(para.loc),
                placeholder=True,
                section=para.section_title,
            )
        )
    return out


# -- links ---------------------------------------------------------------------------------


class _Linker:
    """Links between the figures of one document, made where the text states them."""

    def __init__(self, figs: list[_F], paras: list[_Para]) -> None:
        self.figs = figs
        self.paras = paras
        self.by_sent: dict[int, list[_F]] = {}
        self.by_para: dict[int, list[_F]] = {}
        self.by_group: dict[int, list[int]] = {}
        self.by_section: dict[int, list[int]] = {}
        for k, p in enumerate(paras):
            self.by_group.setdefault(p.group, []).append(k)
            self.by_section.setdefault(p.section, []).append(k)
        for f in figs:
            self.by_sent.setdefault(f.sent, []).append(f)
            self.by_para.setdefault(f.para, []).append(f)

    def link(self, claims: list[tuple[int, int, str, str]]) -> None:
        for f in self.figs:
            if f.amount:
                self._parent(f)
        for f in self.figs:
            if f.role == "change":
                self._change(f)
        for f in self.figs:
            if f.role == "growth":
                self._growth(f)
            elif f.role == "completion":
                self._completion(f)
            elif f.role == "share":
                self._share(f)
        for para, sent, word, text in claims:
            self._claim(para, sent, word, text)
        for f in self.figs:
            if f.of is not None and f.role in ("value", "total", "part"):
                f.role = "part"
        for f in self.figs:
            if f.children and f.role in ("value", "part"):
                f.role = "total" if f.of is None else f.role
            elif f.role == "value" and f.amount and _TOTAL_WORDS.search(f.label):
                f.role = "total"

    # -- where to look: nearest first ------------------------------------------------------

    def _before(self, f: _F, scopes: tuple[str, ...]) -> Iterator[_F]:
        """Figures printed before ``f``: its sentence, paragraph, list, section, document —
        each nearest first, without repeats. Lazily: the nearest usually settles it."""
        seen: set[int] = set()
        para = self.paras[f.para]
        for scope in scopes:
            if scope == "sentence":
                pool = self.by_sent.get(f.sent, [])
            elif scope == "paragraph":
                pool = self.by_para.get(f.para, [])
            elif scope == "group":
                pool = [g for k in self._group_paras(para) for g in self.by_para.get(k, [])]
            elif scope == "section":
                pool = [g for k in self.by_section[para.section] for g in self.by_para.get(k, [])]
            else:
                pool = self.figs
            for g in reversed(pool):
                if g.id < f.id and g.id not in seen:
                    seen.add(g.id)
                    yield g

    def _group_paras(self, para: _Para) -> list[int]:
        return self.by_group[para.group]

    # -- parts and totals --------------------------------------------------------------------

    def _parent(self, f: _F) -> None:
        parents = PARENTS.get(f.subject or "")
        if parents:
            for g in self._before(f, ("sentence", "paragraph", "group", "section")):
                if (
                    g.subject in parents
                    and g.amount
                    and g.family == f.family
                    and g.pclass == f.pclass
                    and _scopes_agree(g.scope, f.scope)
                ):
                    self._attach(f, g)
                    return
        anchor = self._opener_anchor(f)
        if anchor is not None:
            self._attach(f, anchor)

    def _opener_anchor(self, f: _F) -> _F | None:
        """``A X万元，其中B Y万元`` — the figure before the nearest 其中 of the sentence; or,
        for the first amount of a list item, the lead paragraph's amount of its period."""
        opener = None
        for m in _OPENER.finditer(f.sentence, 0, f.start):
            opener = m
        if opener is not None:
            for g in reversed(self.by_sent.get(f.sent, [])):
                if g.end <= opener.start() and self._can_hold(g, f):
                    return g
            return None
        para = self.paras[f.para]
        if not para.item:
            return None
        earlier = [g for g in self.by_para.get(f.para, []) if g.id < f.id]
        if any(g.amount and g.pclass == f.pclass and g.family == f.family for g in earlier):
            return None  # only the item's own amount, not what it says about it afterwards
        lead = next(
            (k for k in self._group_paras(para) if self.paras[k].opener and k < f.para), None
        )
        if lead is None:
            return None
        for g in reversed(self.by_para.get(lead, [])):
            if self._can_hold(g, f):
                return g
        return None

    @staticmethod
    def _can_hold(g: _F, f: _F) -> bool:
        return g.amount and g.family == f.family and g.pclass == f.pclass and g.of is None

    def _attach(self, f: _F, g: _F) -> None:
        if f.subject is not None and any(self.figs[k].subject == f.subject for k in g.children):
            return  # the same part stated again (a list restating the sentence before it)
        f.of = g.id
        g.children.append(f.id)

    # -- changes, growth rates, completion rates -------------------------------------------

    def _change(self, f: _F) -> None:
        """The amount a change is about: the nearest 决算 amount of its subject — in its own
        sentence when it names no subject; a budget compared with last year's budget
        (``部门预算收入…比2019年增加…``) only when no 决算 amount is there."""
        pool = [
            g
            for g in self._before(f, ("sentence", "paragraph") if f.subject else ("sentence",))
            if g.amount and g.family == "money" and _same(f, g) and _reachable(f, g)
        ]
        amount = next((g for g in pool if g.pclass == "actual"), None)
        if amount is None and f.versus != "预算":
            amount = next((g for g in pool if g.pclass == "budget" and g.sent == f.sent), None)
        if amount is None:
            return
        f.of = amount.id
        f.subject = f.subject or amount.subject
        f.scope = f.scope or amount.scope
        if f.versus is None:
            return
        wanted = "budget" if f.versus == "预算" else "last"
        base = next((g for g in pool if g.pclass == wanted and g.id != amount.id), None)
        if base is not None and amount.pclass != wanted:
            f.base = base.id

    def _growth(self, f: _F) -> None:
        for g in reversed(self.by_sent.get(f.sent, [])):
            if g.id >= f.id:
                continue
            if g.role == "growth":
                return  # that change already has its rate
            if g.role == "change" and _same(f, g):
                f.pair, f.of = g.id, g.of
                f.subject, f.scope = g.subject, g.scope
                f.versus = f.versus or g.versus
                if f.direction is None:
                    f.direction = g.direction
                return

    def _completion(self, f: _F) -> None:
        pool = [g for g in self._before(f, ("sentence", "paragraph")) if _reachable(f, g)]
        actual = next((g for g in pool if g.amount and g.pclass == "actual" and _same(f, g)), None)
        if actual is None:
            return
        f.of, f.subject, f.scope = actual.id, actual.subject, actual.scope
        named = "年初预算" if "年初" in f.lead else "全年预算" if "全年" in f.lead else None
        budgets = [
            g for g in pool if g.amount and g.pclass == "budget" and g.family == actual.family
        ]
        # the budget of the same subject; failing that, an unnamed one (``全年预算数…``)
        budgets = [g for g in budgets if g.subject == actual.subject] or [
            g for g in budgets if g.subject is None
        ]
        chosen = next((g for g in budgets if g.period == named), None) if named else None
        chosen = chosen or (budgets[0] if budgets else None)
        if chosen is not None:
            f.base = chosen.id

    def _share(self, f: _F) -> None:
        part = next((g for g in reversed(self.by_sent.get(f.sent, [])) if g.id < f.id), None)
        if part is None or not part.amount or not _SHARE_LEAD.match(f.between):
            return  # ``占比89.42%`` after prose: the text does not say of what
        f.of, f.subject, f.scope = part.id, part.subject, part.scope
        label = f.base_label or ""
        if not label:
            if part.of is not None:
                f.base = part.of
            return
        named = _mentions(label)
        if not named:
            return  # a base we cannot name (``我局预算总数``): no guess
        subject = named[-1].subject
        scope = _scope_in(label)
        # the nearest amount of that subject before the share, else the first after it; of
        # the scope named, else of any: the first of the scope ends the search
        pool = self._before(f, ("sentence", "paragraph", "group", "section", "document"))
        after = (g for g in self.figs if g.id > f.id)
        first = None
        for g in chain(pool, after):
            if (
                g.subject == subject
                and g.amount
                and g.family == part.family
                and g.pclass == part.pclass
                and g.id != part.id
            ):
                if g.scope == scope:
                    f.base = g.id
                    return
                if first is None:
                    first = g
        if first is not None:
            f.base = first.id

    def _claim(self, para: int, sent: int, word: str, text: str) -> None:
        """``决算数小于预算数的主要原因…``: the nearest 决算 amount before the statement that has
        a budget of the same subject in its paragraph."""
        figs = [g for g in self.by_para.get(para, []) if g.sent < sent]
        for actual in reversed(figs):
            if not (actual.amount and actual.family == "money" and actual.pclass == "actual"):
                continue
            if actual.claim is not None:
                return
            budget = next(
                (
                    g
                    for g in reversed(figs)
                    if g.id < actual.id
                    and g.amount
                    and g.family == "money"
                    and g.pclass == "budget"
                    and g.subject == actual.subject
                ),
                None,
            )
            if budget is not None:
                actual.claim, actual.claim_text = word, text
                actual.base = budget.id
                return


def _reachable(f: _F, g: _F) -> bool:
    """``g`` may be what ``f`` speaks of: anything in its own sentence, but from an earlier
    sentence only a total or a lone amount — not the last item of a list (``其他支出0万元。
    预算执行率为99.44%`` is about the 支出 total, not 其他支出)."""
    return g.sent == f.sent or g.of is None


def _scopes_agree(a: str | None, b: str | None) -> bool:
    return a is None or b is None or a == b


def _same(f: _F, g: _F) -> bool:
    """``g`` may be what ``f`` speaks of: same subject (or one of its aliases), or no subject
    named in one of them."""
    if f.subject is None or g.subject is None:
        return True
    return g.subject in ALIASES.get(f.subject, frozenset({f.subject}))
