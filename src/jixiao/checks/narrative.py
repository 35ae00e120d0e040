"""Narrative checks: the figures of a 决算说明 against each other (DESIGN.md, family narrative).

Every relation the text states between its figures — parts and their total, a share and its
part ÷ total, a growth rate and its change ÷ last year, a completion rate and its 决算 ÷ 预算,
a change and the two amounts it is the difference of — is read from the Figure links made by
``jixiao.extract.narrative`` and recomputed on printed intervals (``checks.precision``): a
printed value contradicts a computation only when the intervals do not meet.

A relation that holds once one money figure is read in another unit (``6401.78亿元`` among
万元 figures) is a unit slip: ``units.magnitude`` reports it, and the checks here stay silent
about the arithmetic it breaks, so that one slip gives one finding.

Severity: error when the printed arithmetic certainly fails; warning when the reading is
less certain (a base found outside the statement, a list that may be incomplete, a rate over a
base of zero); info for a difference of one unit in the last printed digit (a rate truncated
rather than rounded), which no reviewer sends back.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from jixiao.checks.precision import Span, printed
from jixiao.checks.registry import Context, check
from jixiao.extract.narrative import MONEY_UNITS, PARENTS, period_class
from jixiao.model import Figure, Finding, Report, Severity
from jixiao.numbers import format_number

FACTORS = {"元": 1.0, "千元": 1e3, "万元": 1e4, "亿元": 1e8}

# Decompositions whose listed parts are the whole of their total: when every part named here
# is printed, parts that add up to less than the total are an error too (strong) or at
# least suspicious (weak: a rarely used part may be left out, e.g. 经营支出).
_COMPLETE: dict[str, list[tuple[frozenset[str], bool]]] = {
    "三公经费": [(frozenset({"因公出国（境）费", "公务用车购置及运行维护费", "公务接待费"}), True)],
    "公务用车购置及运行维护费": [(frozenset({"公务用车购置费", "公务用车运行维护费"}), True)],
    "政府采购支出总额": [
        (frozenset({"政府采购货物支出", "政府采购工程支出", "政府采购服务支出"}), True)
    ],
    "基本支出": [
        (frozenset({"人员经费", "公用经费"}), True),
        (frozenset({"工资福利支出", "商品和服务支出", "对个人和家庭的补助"}), False),
    ],
    "本年支出合计": [(frozenset({"基本支出", "项目支出"}), False)],
    "实有人数": [(frozenset({"在职人员", "离休人员", "退休人员"}), False)],
}

Reader = Callable[[Figure], Span]
# subjects whose scope changes what they are (基本支出 vs 财政拨款基本支出): named with it
_SCOPE_SHOWN = frozenset(
    {"收入总计", "支出总计", "收支总计", "本年收入合计", "本年支出合计", "基本支出", "项目支出",
     "人员经费", "公用经费", "三公经费"}
)  # fmt: skip


# -- reading figures -----------------------------------------------------------------------


def is_money(f: Figure) -> bool:
    return f.unit in MONEY_UNITS


def read(f: Figure, unit: str | None = None) -> Span:
    """The printed interval of ``f``, money in 元 (read in ``unit`` instead when given)."""
    return _printed_in(f.value, f.decimals, unit or f.unit)


@lru_cache(maxsize=1 << 14)  # the relations read each figure many times; a Span is immutable
def _printed_in(value: float, decimals: int, unit: str | None) -> Span:
    span = printed(value, decimals)
    factor = FACTORS.get(unit or "")
    return span.scale(factor) if factor else span


def plain_reader(f: Figure) -> Span:
    return read(f)


def shown(f: Figure) -> str:
    """The figure as printed: ``1251.39万元``, ``32.7%``."""
    return f"{format_number(f.value, f.decimals)}{f.unit or ''}"


def shown_span(span: Span, unit: str | None, decimals: int) -> str:
    """A computed interval in ``unit`` (money given in 元), at ``decimals`` places."""
    factor = FACTORS.get(unit or "", 1.0)
    return f"{format_number(span.mid / factor, decimals)}{unit or ''}"


def name(f: Figure) -> str:
    """What the figure is, in words: ``一般公共预算财政拨款基本支出``, ``三公经费预算数``."""
    what = f.subject or f.label or "该数"
    if f.scope and f.subject in _SCOPE_SHOWN and f.scope not in what:
        what = f.scope + what
    period = period_class(f.period)
    if period == "budget" and "预算" not in what:
        what += "预算数"
    elif period == "last" and "上年" not in what:
        what = "上年" + what
    return what


def one_digit_off(reported: Figure, expected: Span) -> bool:
    """The printed value misses by less than one unit of its last digit (truncation)."""
    unit = 10.0**-reported.decimals
    factor = FACTORS.get(reported.unit or "", 1.0)
    widened = printed(reported.value, reported.decimals)
    widened = Span(widened.lo - unit, widened.hi + unit).scale(factor)
    return widened.meets(expected)


# -- the document's figures and the relations between them ----------------------------------


@dataclass(eq=False)  # compared and hashed by identity: a key of the slip cache
class Relation:
    """One identity the text states: ``compute`` gives (reported, expected) under a reader."""

    kind: str  # parts | share | growth | change | completion | same
    target: Figure  # the printed figure a finding is about
    operands: tuple[Figure, ...]  # the figures the computation reads
    compute: Callable[[Reader], tuple[Span, Span | None]]
    # ``holds()`` as printed: asked by several checks of the same relation, computed once
    _holds_as_printed: bool | None = field(default=None, repr=False)

    def holds(self, reader: Reader = plain_reader) -> bool:
        """True unless the computation certainly fails (nothing computable holds too)."""
        if reader is plain_reader:
            if self._holds_as_printed is None:
                self._holds_as_printed = self._holds(reader)
            return self._holds_as_printed
        return self._holds(reader)

    def _holds(self, reader: Reader) -> bool:
        reported, expected = self.compute(reader)
        return expected is None or reported.meets(expected)

    def confirmed(self, reader: Reader) -> bool:
        """The computation is possible and holds, on values precise to 1 %: the rounding
        interval of ``0`` or ``0.3``, blown up by a change of unit, would meet anything."""
        reported, expected = self.compute(reader)
        return expected is not None and reported.meets(expected) and _tight(reported, expected)


@dataclass
class Slip:
    """A money figure that makes a relation hold once read in ``unit``."""

    figure: Figure
    unit: str
    exact: bool  # the relation holds exactly; else only to within 2 %

    def reader(self) -> Reader:
        return lambda f: read(f, self.unit) if f.id == self.figure.id else read(f)


@dataclass
class Analysis:
    """Figures by id, their parts, and every relation the narrative states."""

    report: Report
    figures: list[Figure] = field(default_factory=list)
    by_id: dict[int, Figure] = field(default_factory=dict)
    children: dict[int, list[Figure]] = field(default_factory=dict)
    relations: list[Relation] = field(default_factory=list)
    _slips: dict[Relation, Slip | None] = field(default_factory=dict)
    # what other families derive from the figures once for all their checks (by name)
    derived: dict[str, object] = field(default_factory=dict)

    def get(self, id: int | None) -> Figure | None:
        return None if id is None else self.by_id.get(id)

    def slip(self, rel: Relation) -> Slip | None:
        """The unit slip that explains why ``rel`` fails, if one does."""
        if rel not in self._slips:
            self._slips[rel] = _find_slip(rel, self)
        return self._slips[rel]

    def settle(self, rel: Relation) -> tuple[Reader, Slip | None] | None:
        """None when ``rel`` holds or fails only through a unit slip (units reports it);
        else the reader to judge it with (a near slip read in its probable unit)."""
        if rel.holds():
            return None
        slip = self.slip(rel)
        if slip is None:
            return plain_reader, None
        return None if slip.exact else (slip.reader(), slip)


_cache: tuple[Report, Analysis] | None = None


def analyse(report: Report) -> Analysis:
    """The analysis of ``report``, computed once for all the checks that read it."""
    global _cache
    if _cache is not None and _cache[0] is report:
        return _cache[1]
    a = Analysis(report)
    a.figures = [f for f in report.figures if not f.placeholder]
    a.by_id = {f.id: f for f in a.figures}
    for f in a.figures:
        if f.role == "part" and f.of is not None:
            a.children.setdefault(f.of, []).append(f)
    a.relations = list(_relations(a))
    _cache = (report, a)
    return a


def _relations(a: Analysis) -> Iterator[Relation]:
    for total_id, parts in a.children.items():
        total = a.get(total_id)
        if total is not None and all(p.unit == total.unit or _both_money(p, total) for p in parts):
            yield _parts_relation(total, parts)
    for f in a.figures:
        of, base = a.get(f.of), a.get(f.base)
        if f.role == "share" and of is not None and base is not None:
            yield _ratio_relation("share", f, of, base)
        elif f.role == "completion" and of is not None and base is not None:
            yield _ratio_relation("completion", f, of, base)
        elif f.role == "growth":
            change = a.get(f.pair)
            if change is not None and of is not None:
                yield _growth_relation(f, change, of)
        elif f.role == "change" and of is not None and base is not None:
            yield _change_relation(f, of, base)


def _both_money(a: Figure, b: Figure) -> bool:
    return is_money(a) and is_money(b)


def _parts_relation(total: Figure, parts: list[Figure]) -> Relation:
    def compute(reader: Reader) -> tuple[Span, Span | None]:
        acc = Span(0.0, 0.0)
        for p in parts:
            acc = acc + reader(p)
        return reader(total), acc

    return Relation("parts", total, (total, *parts), compute)


def _ratio_relation(kind: str, rate: Figure, part: Figure, base: Figure) -> Relation:
    def compute(reader: Reader) -> tuple[Span, Span | None]:
        ratio = reader(part) / reader(base)
        return read(rate), None if ratio is None else ratio.scale(100)

    return Relation(kind, rate, (part, base), compute)


def growth_options(growth: Figure, change: Figure, amount: Figure, reader: Reader) -> list[Span]:
    """The previous amounts the text allows: this year − change, or + change when the
    direction is not stated (a template's ``增加（减少）``)."""
    sign = change.direction if change.direction is not None else growth.direction
    signs = [sign] if sign in (1, -1) else [1, -1]
    this, c = reader(amount), reader(change)
    return [this - c if s > 0 else this + c for s in signs]


def _growth_relation(growth: Figure, change: Figure, amount: Figure) -> Relation:
    def compute(reader: Reader) -> tuple[Span, Span | None]:
        reported = read(growth)
        expected: Span | None = None
        for last in growth_options(growth, change, amount, reader):
            if last.lo <= 0:
                continue  # no previous amount (a new unit): judged apart, see narrative.growth
            ratio = reader(change) / last
            candidate = None if ratio is None else ratio.scale(100)
            if candidate is not None and (expected is None or reported.meets(candidate)):
                expected = candidate
        return reported, expected

    return Relation("growth", growth, (change, amount), compute)


def _change_relation(change: Figure, amount: Figure, base: Figure) -> Relation:
    def compute(reader: Reader) -> tuple[Span, Span | None]:
        diff = reader(amount) - reader(base)
        return reader(change), Span(
            min(abs(diff.lo), abs(diff.hi)), max(abs(diff.lo), abs(diff.hi))
        )

    return Relation("change", change, (change, amount, base), compute)


def _find_slip(rel: Relation, a: Analysis) -> Slip | None:
    """One money operand read in another unit makes ``rel`` hold: exactly, or to within 2 %
    (then the digits are wrong too). When several operands would do, the one whose unit
    differs from the others' is the slip."""
    money = [f for f in rel.operands if is_money(f)]
    already_near = _near(rel, plain_reader) is not None  # a digit off, not a unit
    found: list[Slip] = []
    for f in money:
        if abs(f.value) < 50 * 10.0**-f.decimals:
            continue  # too few digits (0, 0.3) to tell a unit by: any reading would fit
        for unit in MONEY_UNITS:
            if unit == f.unit or FACTORS[unit] / FACTORS[f.unit or "元"] in (10.0, 0.1):
                continue  # 千元 ↔ 万元 is as likely a wrong digit as a wrong unit
            slip = Slip(f, unit, True)
            if rel.confirmed(slip.reader()):
                found.append(slip)
            elif not already_near and _near(rel, slip.reader()) is not None:
                found.append(Slip(f, unit, False))
    if not found:
        return None
    exact = [s for s in found if s.exact] or found
    if len(exact) == 1:
        return exact[0]
    # several readings would do (part in 亿元 or total in 万元): the slip is the figure whose
    # unit is the odd one, among the relation's figures and then its paragraph's
    for pool in (
        money,
        [f for f in a.figures if is_money(f) and f.paragraph == rel.target.paragraph],
    ):
        units = [f.unit for f in pool]
        odd = [s for s in exact if units.count(s.figure.unit) < units.count(s.unit)]
        if len(odd) == 1:
            return odd[0]
    return None


def _clear_of_zero(span: Span) -> bool:
    return span.lo > 0 or span.hi < 0


def _tight(*spans: Span) -> bool:
    return all(
        _clear_of_zero(s) and (s.hi - s.lo) / 2 <= 0.01 * max(abs(s.lo), abs(s.hi)) for s in spans
    )


def _near(rel: Relation, reader: Reader) -> float | None:
    """The relative miss when it is under 2 %, else None."""
    reported, expected = rel.compute(reader)
    if expected is None or not _tight(reported, expected):
        return None
    gap = max(0.0, expected.lo - reported.hi, reported.lo - expected.hi)
    scale = max(abs(expected.mid), abs(reported.mid), 1e-12)
    return gap / scale if gap / scale < 0.02 else None


# -- findings ------------------------------------------------------------------------------


def finding(
    check_id: str,
    severity: Severity,
    message: str,
    target: Figure,
    reported: str,
    expected: str,
    others: Iterable[Figure] = (),
) -> Finding:
    related = []
    for f in others:
        if f.loc and f.loc != target.loc and f.loc not in related:
            related.append(f.loc)
    return Finding(
        check=check_id,
        severity=severity,
        message=message,
        loc=target.loc,
        evidence=target.text,
        reported=reported,
        expected=expected,
        related=related,
    )


def _near_each_other(a: Figure, b: Figure) -> bool:
    """Two figures of one statement: same paragraph, or one 其中 list."""
    return a.paragraph == b.paragraph or (a.passage is not None and a.passage == b.passage)


def _severity(base: Severity, reported: Figure, expected: Span) -> Severity:
    return "info" if one_digit_off(reported, expected) else base


# -- narrative.parts_total -------------------------------------------------------------------


@check(
    "narrative.parts_total",
    "error",
    "构成项之和与合计不符",
    "说明中“合计/总计X万元，其中A万元、B万元……”所列各构成项之和应等于合计数（按印刷精度允许"
    "舍入误差）。构成项之和大于合计必为错误；所列构成项已完整（各项占比合计100%，或如“三公”"
    "经费三项、政府采购货物工程服务三类均已列出）而其和小于合计，同样为错误。",
)
def parts_total(ctx: Context) -> Iterator[Finding]:
    a = analyse(ctx.report)
    for rel in a.relations:
        if rel.kind != "parts":
            continue
        settled = a.settle(rel)
        if settled is None:
            continue
        reader, slip = settled
        total, parts = rel.target, list(rel.operands[1:])
        reported, expected = rel.compute(reader)
        assert expected is not None
        over = expected.lo > reported.hi
        known = all(total.subject in PARENTS.get(p.subject or "", ()) for p in parts)
        if over:
            severity: Severity = "error" if known else "warning"
        else:
            complete = _completeness(a, total, parts)
            if complete is None:
                continue  # the list may leave parts out: less than the total proves nothing
            severity = complete
        severity = _severity(severity, total, expected)
        culprit = _culprit(a, total, parts, reader)
        yield _parts_finding(total, parts, reported, expected, severity, culprit, slip)
    yield from _changes_of_parts(a)


def _completeness(a: Analysis, total: Figure, parts: list[Figure]) -> Severity | None:
    """error when the parts claim to be the whole (shares adding to 100 %, or every part of a
    known decomposition printed), warning when they probably are; None otherwise."""
    shares = [s for s in a.figures if s.role == "share" and s.of in {p.id for p in parts}]
    if (
        len(shares) == len(parts)
        and all(s.base in (total.id, None) for s in shares)
        and abs(sum(s.value for s in shares) - 100) <= 0.5
    ):
        return "error"
    listed = {p.subject for p in parts}
    for needed, strong in _COMPLETE.get(total.subject or "", []):
        if needed <= listed:
            return "error" if strong else "warning"
    return None


def _culprit(
    a: Analysis, total: Figure, parts: list[Figure], reader: Reader
) -> tuple[Figure, Span] | None:
    """The one part whose printed share agrees with total − the other parts, not with the
    part as printed: that part carries the wrong digits (``项目支出`` printed 100 too high)."""
    found = []
    t = reader(total)
    for p in parts:
        share = next(
            (s for s in a.figures if s.role == "share" and s.of == p.id and s.base == total.id),
            None,
        )
        if share is None:
            continue
        others = Span(0.0, 0.0)
        for q in parts:
            if q is not p:
                others = others + reader(q)
        implied = t - others
        by_printed = (reader(p) / t) if t.lo > 0 else None
        by_implied = (implied / t) if t.lo > 0 else None
        s = read(share)
        if (
            by_printed is not None
            and by_implied is not None
            and not s.meets(by_printed.scale(100))
            and s.meets(by_implied.scale(100))
        ):
            found.append((p, implied))
    return found[0] if len(found) == 1 else None


def _parts_finding(
    total: Figure,
    parts: list[Figure],
    reported: Span,
    expected: Span,
    severity: Severity,
    culprit: tuple[Figure, Span] | None,
    slip: Slip | None,
) -> Finding:
    decimals = max(p.decimals for p in (total, *parts))
    unit = slip.unit if slip is not None and slip.figure.id == total.id else total.unit
    total_text = shown(total) + (f"（疑为{unit}）" if unit != total.unit else "")
    if culprit is not None:
        part, implied = culprit
        message = (
            f"{name(part)}印为{shown(part)}，与其余各项之和不能合成{name(total)}{total_text}，"
            f"按合计减去其余各项应为{shown_span(implied, part.unit, part.decimals)}"
            f"（与所印占比相符）"
        )
        return finding(
            "narrative.parts_total",
            severity,
            message + "。",
            part,
            shown(part),
            shown_span(implied, part.unit, part.decimals),
            [total, *parts],
        )
    if len(parts) <= 4:
        listed = "、".join(f"{name(p)}{shown(p)}" for p in parts)
    else:
        listed = f"所列{len(parts)}项构成"
    total_sum = shown_span(expected, unit, decimals)
    relation = "大于" if expected.lo > reported.hi else "小于"
    message = f"{listed}之和为{total_sum}，{relation}{name(total)}{total_text}" + (
        "（所列构成项应已完整）" if relation == "小于" else ""
    )
    return finding(
        "narrative.parts_total", severity, message + "。", total, shown(total), total_sum, parts
    )


def _changes_of_parts(a: Analysis) -> Iterator[Finding]:
    """The changes of the parts add up to the change of the total (warning: a part that was
    budgeted but not spent may be left out of the list)."""
    changes: dict[int, list[Figure]] = {}
    for c in a.figures:
        if c.role == "change" and c.of is not None:
            changes.setdefault(c.of, []).append(c)
    for total_id, parts in a.children.items():
        total = a.get(total_id)
        total_change = next(iter(changes.get(total_id, [])), None)
        if total is None or total_change is None or total_change.direction is None:
            continue
        part_changes = [
            next((c for c in changes.get(p.id, []) if c.versus == total_change.versus), None)
            for p in parts
        ]
        if any(
            c is None or c.direction is None or c.versus != total_change.versus
            for c in part_changes
        ):
            continue
        rel = _parts_relation(total, parts)
        if not rel.holds():
            continue  # the amounts themselves do not add up: parts_total says so
        acc = Span(0.0, 0.0)
        for c in part_changes:
            assert c is not None and c.direction is not None
            acc = acc + read(c).scale(c.direction)
        mine = read(total_change).scale(total_change.direction)
        if mine.meets(acc):
            continue
        decimals = max(c.decimals for c in (total_change, *part_changes) if c is not None)
        listed = "、".join(
            f"{name(p)}{_signed(c)}" for p, c in zip(parts, part_changes, strict=True) if c
        )
        message = (
            f"{listed}的增减额合计为{_signed_span(acc, total_change.unit, decimals)}，"
            f"与{name(total)}的增减额{_signed(total_change)}不符"
        )
        yield finding(
            "narrative.parts_total",
            "warning",
            message + "。",
            total_change,
            _signed(total_change),
            _signed_span(acc, total_change.unit, decimals),
            [c for c in part_changes if c is not None],
        )


def _signed(change: Figure) -> str:
    word = "增加" if change.direction == 1 else "减少" if change.direction == -1 else ""
    return word + shown(change)


def _signed_span(span: Span, unit: str | None, decimals: int) -> str:
    word = "增加" if span.mid >= 0 else "减少"
    return word + shown_span(span.scale(1 if span.mid >= 0 else -1), unit, decimals)


# -- narrative.share -------------------------------------------------------------------------


@check(
    "narrative.share",
    "error",
    "占比与金额不符",
    "说明中“A X万元，占Y%”或“占合计的Y%”：按所列金额计算A÷合计，与所印占比在印刷精度内应"
    "一致。占比的基数在同一句或同一段中写明时为错误；基数取自说明其他位置时为疑似。",
)
def share(ctx: Context) -> Iterator[Finding]:
    a = analyse(ctx.report)
    culprits = _culprit_ids(a)
    for rel in a.relations:
        if rel.kind != "share":
            continue
        settled = a.settle(rel)
        if settled is None:
            continue
        reader, _ = settled
        s, (part, base) = rel.target, rel.operands
        if part.id in culprits:
            continue  # the amount is wrong, not the share: parts_total names it
        _, expected = rel.compute(reader)
        assert expected is not None
        if _balanced_shares(a, s, expected):
            continue
        certain = base.id == part.of or _near_each_other(s, base)
        severity = _severity("error" if certain else "warning", s, expected)
        exp = shown_span(expected, "%", s.decimals)
        message = (
            f"{name(part)}占{name(base)}的比例印为{shown(s)}，按{shown(part)}÷{shown(base)}"
            f"计算应为{exp}"
        )
        yield finding("narrative.share", severity, message + "。", s, shown(s), exp, [part, base])


def _culprit_ids(a: Analysis) -> set[int]:
    out = set()
    for rel in a.relations:
        if rel.kind == "parts" and a.settle(rel) is not None:
            culprit = _culprit(a, rel.target, list(rel.operands[1:]), plain_reader)
            if culprit is not None:
                out.add(culprit[0].id)
    return out


def _balanced_shares(a: Analysis, s: Figure, expected: Span) -> bool:
    """Shares of one total printed to add up to exactly 100 %: one of them may be nudged by
    a unit of its last digit to make the sum come out (a common and harmless practice)."""
    if not one_digit_off(s, expected) or s.base is None:
        return False
    siblings = [
        f for f in a.figures if f.role == "share" and f.base == s.base and f.sentence == s.sentence
    ]
    return len(siblings) >= 2 and abs(sum(f.value for f in siblings) - 100) < 1e-6


# -- narrative.growth ------------------------------------------------------------------------


@check(
    "narrative.growth",
    "error",
    "增减幅度与增减额不符",
    "说明中“较上年增加/减少X万元，增长/下降Y%”：上年数＝本年数∓X，Y应等于X÷上年数；同时印出"
    "两年（或预算与决算）金额时，增减额应等于两数之差。上年数为零时增长率无从计算，印成100%"
    "以外的数为疑似。",
)
def growth(ctx: Context) -> Iterator[Finding]:
    a = analyse(ctx.report)
    for rel in a.relations:
        if rel.kind == "growth":
            yield from _growth_finding(a, rel)
        elif rel.kind == "change":
            yield from _change_finding(a, rel)


def _growth_finding(a: Analysis, rel: Relation) -> Iterator[Finding]:
    g, (change, amount) = rel.target, rel.operands
    alternatives = [amount, *_alias_amounts(a, change, amount)]
    if any(_growth_holds(g, change, other) for other in alternatives):
        return  # ``收、支总计各增加``: either total may be the one the rate is about
    versus = "预算数" if g.versus == "预算" else "上年数"
    said, rate = _words(change.direction if change.direction is not None else g.direction)
    if all(last.lo <= 0 for last in growth_options(g, change, amount, plain_reader)):
        # no previous amount (a new item): 100 % is how reports write it, anything else is odd
        message = (
            f"{name(amount)}{shown(amount)}较{versus}{said}{shown(change)}，{versus}为零，"
            f"{rate}幅度无从计算，却印为{shown(g)}"
        )
        yield finding(
            "narrative.growth", "warning", message + "。", g, shown(g), "无法计算", [change, amount]
        )
        return
    settled = a.settle(rel)
    if settled is None:
        return
    reader, _ = settled
    _, expected = rel.compute(reader)
    if expected is None:
        return
    last = next(x for x in growth_options(g, change, amount, reader) if x.lo > 0)
    exp = shown_span(expected, "%", g.decimals)
    decimals = max(amount.decimals, change.decimals)
    message = (
        f"{_what_changed(change, amount)}较{versus[:-1]}{said}{shown(change)}，{rate}幅度印为{shown(g)}，"
        f"按{shown(change)}÷{versus}{shown_span(last, amount.unit, decimals)}计算应为{exp}"
    )
    severity = _severity("error", g, expected)
    yield finding("narrative.growth", severity, message + "。", g, shown(g), exp, [change, amount])


def _what_changed(change: Figure, amount: Figure) -> str:
    """The subject the change names itself (``收、支总计各减少``), else its amount's."""
    return name(change) if change.subject and not change.inferred else name(amount)


def _words(direction: int | None) -> tuple[str, str]:
    if direction == 1:
        return "增加", "增长"
    if direction == -1:
        return "减少", "下降"
    return "增减", "增减"


def _growth_holds(g: Figure, change: Figure, amount: Figure) -> bool:
    lasts = growth_options(g, change, amount, plain_reader)
    if all(last.lo <= 0 for last in lasts):
        return g.value in (0, 100)
    return _growth_relation(g, change, amount).holds()


def _alias_amounts(a: Analysis, change: Figure, amount: Figure) -> list[Figure]:
    """Other amounts a ``收、支总计各增加`` change may be about: the paragraph's 收入总计 and
    支出总计 alike."""
    if change.subject != "收支总计":
        return []
    return [
        f
        for f in a.figures
        if f.paragraph == amount.paragraph
        and f.id != amount.id
        and f.subject in ("收入总计", "支出总计", "收支总计")
        and f.role in ("value", "total")
        and is_money(f)
    ]


def _change_finding(a: Analysis, rel: Relation) -> Iterator[Finding]:
    change, (_, amount, base) = rel.target, rel.operands
    settled = a.settle(rel)
    if settled is None:
        return
    reader, _ = settled
    _, expected = rel.compute(reader)
    assert expected is not None
    decimals = max(f.decimals for f in (change, amount, base))
    exp = shown_span(expected, change.unit, decimals)
    message = (
        f"{name(amount)}{shown(amount)}与{name(base)}{shown(base)}相差{exp}，"
        f"说明中的增减额却印为{shown(change)}"
    )
    severity = _severity("error", change, expected)
    yield finding(
        "narrative.growth", severity, message + "。", change, shown(change), exp, [amount, base]
    )


# -- narrative.completion --------------------------------------------------------------------


@check(
    "narrative.completion",
    "error",
    "完成预算比例与决算÷预算不符",
    "说明中“预算数X万元，决算数Y万元，完成预算的Z%”（或预算执行率）：Z应等于Y÷X（按印刷精度"
    "允许舍入误差）。",
)
def completion(ctx: Context) -> Iterator[Finding]:
    a = analyse(ctx.report)
    for rel in a.relations:
        if rel.kind != "completion":
            continue
        settled = a.settle(rel)
        if settled is None:
            continue
        reader, _ = settled
        c, (actual, budget) = rel.target, rel.operands
        _, expected = rel.compute(reader)
        assert expected is not None
        exp = shown_span(expected, "%", c.decimals)
        message = (
            f"{name(actual)}完成预算的比例印为{shown(c)}，按决算{shown(actual)}÷预算{shown(budget)}"
            f"计算应为{exp}"
        )
        severity = _severity("error", c, expected)
        yield finding(
            "narrative.completion", severity, message + "。", c, shown(c), exp, [actual, budget]
        )


# -- narrative.direction ---------------------------------------------------------------------


@check(
    "narrative.direction",
    "error",
    "增减方向与数字不符",
    "说明称“决算数大于/小于/等于预算数”，或“较上年增加/减少”，而紧邻印出的两个金额的大小关系"
    "与此相反。",
)
def direction(ctx: Context) -> Iterator[Finding]:
    a = analyse(ctx.report)
    for f in a.figures:
        if f.claim in ("大于", "小于", "等于"):
            budget = a.get(f.base)
            if budget is None:
                continue
            diff = read(f) - read(budget)
            wrong = (
                (f.claim == "大于" and diff.hi <= 0)
                or (f.claim == "小于" and diff.lo >= 0)
                or (f.claim == "等于" and (diff.lo > 0 or diff.hi < 0))
            )
            if wrong:
                fact = "小于" if diff.hi < 0 else "大于" if diff.lo > 0 else "等于"
                what = f"{name(f)}的" if f.subject else ""
                message = f"说明称{what}决算数{f.claim}预算数，但所列决算{shown(f)}{fact}预算{shown(budget)}"
                yield Finding(
                    check="narrative.direction",
                    severity="error",
                    message=message + "。",
                    loc=f.loc,
                    evidence=f.claim_text or f.text,
                    reported=f"决算数{f.claim}预算数",
                    expected=f"决算数{fact}预算数",
                    related=[budget.loc] if budget.loc and budget.loc != f.loc else [],
                )
        elif f.role == "change" and f.direction in (1, -1):
            amount, base = a.get(f.of), a.get(f.base)
            if amount is None or base is None:
                continue
            diff = read(amount) - read(base)
            if (f.direction == 1 and diff.hi < 0) or (f.direction == -1 and diff.lo > 0):
                said = "增加" if f.direction == 1 else "减少"
                fact = "减少" if said == "增加" else "增加"
                message = (
                    f"说明称{name(amount)}较{name(base)}{said}{shown(f)}，但{shown(amount)}与"
                    f"{shown(base)}相比实为{fact}"
                )
                yield finding(
                    "narrative.direction", "error", message + "。", f, said, fact, [amount, base]
                )
