"""Consistency checks: one figure printed differently in two places (DESIGN.md).

Within a 决算说明 the same amount is often printed more than once (支出总计 in the overview
and again in the 支出 section; 基本支出 with its shares and again with its 人员/公用经费), and
the 收入支出决算总表 balances: 收入总计 = 支出总计. Figures count as the same only when their
own clause names the same subject with the same scope (财政拨款…) and period (预算/决算/上年):
a subject carried over from an earlier clause is not evidence enough.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks.narrative import (
    Analysis,
    Reader,
    Relation,
    analyse,
    finding,
    is_money,
    name,
    one_digit_off,
    plain_reader,
    read,
    shown,
    shown_span,
)
from jixiao.checks.precision import Span
from jixiao.checks.registry import Context, check
from jixiao.extract.narrative import SCOPED_NAMES, period_class
from jixiao.model import Figure, Finding, Severity

# amounts a 决算说明 states once for the whole department: two values are a contradiction
_TOP = frozenset({"收入总计", "支出总计", "收支总计", "本年收入合计", "本年支出合计"})
_ONCE = _TOP | frozenset(
    {
        "年初结转和结余", "年末结转和结余", "财政拨款收入", "基本支出", "项目支出",
        "三公经费", "因公出国（境）费", "公务用车购置及运行维护费", "公务接待费",
        "机关运行经费", "政府采购支出总额", "授予中小企业合同金额",
        "一般公共预算财政拨款支出", "人员经费", "公用经费",
    }
)  # fmt: skip
# what a total always includes, wherever the text prints it (结余分配 etc. only add)
_INCLUDES = {
    "支出总计": ("本年支出合计", "年末结转和结余"),
    "收入总计": ("本年收入合计", "年初结转和结余"),
}
_SCOPED_PARTS = ("基本支出", "项目支出", "人员经费", "公用经费")
# a total is never below one of these amounts of the same scope, wherever each is printed
_AT_LEAST: dict[str, tuple[str, ...]] = {
    "收支总计": ("本年收入合计", "本年支出合计", "财政拨款收入", "一般公共预算财政拨款支出"),
    "收入总计": ("本年收入合计",),
    "支出总计": ("本年支出合计",),
    "本年收入合计": ("财政拨款收入",),
    "本年支出合计": ("一般公共预算财政拨款支出",),
}


def _stated(a: Analysis) -> list[Figure]:
    """Amounts whose own clause names their subject."""
    return [
        f
        for f in a.figures
        if is_money(f) and f.role in ("value", "total", "part") and not f.inferred and f.subject
    ]


def _key(f: Figure) -> tuple[str | None, str | None, str]:
    return f.subject, f.scope, period_class(f.period)


def same_relations(a: Analysis) -> list[Relation]:
    """Each later printing of a once-stated amount against its first printing (made once per
    analysis: units.magnitude asks too, and the slip cache knows relations by identity)."""
    cached = a.derived.get("same_relations")
    if cached is None:
        cached = a.derived["same_relations"] = _same_relations(a)
    return cached  # type: ignore[return-value]


def _same_relations(a: Analysis) -> list[Relation]:
    first: dict[tuple, Figure] = {}
    out: list[Relation] = []
    for f in _stated(a):
        if f.subject not in _ONCE:
            continue
        key = _key(f)
        if key not in first:
            first[key] = f
        elif not _equal(first[key], f):
            out.append(_same(first[key], f))
    return out


def _equal(a: Figure, b: Figure) -> bool:
    return read(a).meets(read(b))


def _same(earlier: Figure, later: Figure) -> Relation:
    def compute(reader: Reader) -> tuple[Span, Span | None]:
        return reader(later), reader(earlier)

    return Relation("same", later, (earlier, later), compute)


@check(
    "consistency.same_figure",
    "error",
    "同一数字前后不一致",
    "说明中同一事项（同一口径、同一期间）的金额在两处印得不同，如支出总计、本年支出合计、基本"
    "支出前后不一；收入总计应等于支出总计；财政拨款口径的基本/项目支出不应大于全口径数；支出"
    "总计不应小于本年支出合计与年末结转和结余之和。",
)
def same_figure(ctx: Context) -> Iterator[Finding]:
    a = analyse(ctx.report)
    identity = list(_balance(a))
    yield from identity
    for rel in same_relations(a):
        if a.settle(rel) is None:
            continue  # a unit slip: units.magnitude
        earlier, later = rel.operands
        severity: Severity = "error" if later.subject in _TOP else "warning"
        if one_digit_off(later, read(earlier)):
            severity = "info"
        message = f"{name(later)}在前文印为{shown(earlier)}，此处印为{shown(later)}，两处不一致"
        yield finding(
            "consistency.same_figure", severity, message + "。", later, shown(later),
            shown(earlier), [earlier],
        )  # fmt: skip
    if not identity:
        yield from _includes(a)
    yield from _below_its_part(a)
    yield from _scoped_above_whole(a)


def _balance(a: Analysis) -> Iterator[Finding]:
    """收入总计 = 支出总计 (the 收入支出决算总表 balances), per scope."""
    stated = [f for f in _stated(a) if period_class(f.period) == "actual"]
    for scope in {f.scope for f in stated}:
        income = next((f for f in stated if f.subject == "收入总计" and f.scope == scope), None)
        spent = next((f for f in stated if f.subject == "支出总计" and f.scope == scope), None)
        if income is None or spent is None or _equal(income, spent):
            continue
        wrong, right = _which_total(a, income, spent, stated)
        expected = shown_span(read(right), wrong.unit, wrong.decimals)
        message = (
            f"{name(wrong)}印为{shown(wrong)}，与{name(right)}{shown(right)}不一致"
            f"（收入支出决算总表中收入总计与支出总计应相等）"
        )
        severity: Severity = "info" if one_digit_off(wrong, read(right)) else "error"
        yield finding(
            "consistency.same_figure", severity, message + "。", wrong, shown(wrong), expected,
            [right],
        )  # fmt: skip


def _which_total(
    a: Analysis, income: Figure, spent: Figure, stated: list[Figure]
) -> tuple[Figure, Figure]:
    """(wrong, right): the total that its own parts do not add up to is the wrong one; when
    nothing tells, the one printed later."""
    for wrong, right in ((spent, income), (income, spent)):
        parts = _included(wrong, stated)
        if parts and _sum(parts).meets(read(right)) and not _sum(parts).meets(read(wrong)):
            return wrong, right
    return (spent, income) if spent.id > income.id else (income, spent)


def _included(total: Figure, stated: list[Figure]) -> list[Figure]:
    names = _INCLUDES.get(total.subject or "", ())
    out = []
    for subject in names:
        found = [f for f in stated if f.subject == subject and f.scope == total.scope]
        if len({f.value for f in found}) != 1:
            return []  # missing, or printed with two values: nothing to lean on
        out.append(found[0])
    return out


def _sum(figs: list[Figure], reader: Reader = plain_reader) -> Span:
    acc = Span(0.0, 0.0)
    for f in figs:
        acc = acc + reader(f)
    return acc


def _includes(a: Analysis) -> Iterator[Finding]:
    """支出总计 ≥ 本年支出合计 + 年末结转和结余 (and the same for 收入), wherever printed."""
    stated = [f for f in _stated(a) if period_class(f.period) == "actual"]
    for total in stated:
        if total.subject not in _INCLUDES or total.id in a.children:
            continue
        parts = _included(total, stated)
        if not parts or any(p.of == total.id for p in parts):
            continue
        acc = _sum(parts)
        if acc.lo <= read(total).hi:
            continue
        decimals = max(f.decimals for f in (total, *parts))
        expected = shown_span(acc, total.unit, decimals)
        listed = "与".join(f"{name(p)}{shown(p)}" for p in parts)
        message = f"{listed}之和为{expected}，大于{name(total)}{shown(total)}"
        severity: Severity = "info" if one_digit_off(total, acc) else "error"
        yield finding(
            "consistency.same_figure", severity, message + "。", total, shown(total), expected,
            parts,
        )  # fmt: skip


def _scoped_above_whole(a: Analysis) -> Iterator[Finding]:
    """The 财政拨款 part of an amount cannot exceed the amount from all sources."""
    stated = [f for f in _stated(a) if period_class(f.period) == "actual"]
    for subject in _SCOPED_PARTS:
        whole = [f for f in stated if f.subject == subject and f.scope is None]
        if len({f.value for f in whole}) != 1:
            continue
        for f in stated:
            if f.subject == subject and f.scope and read(f).lo > read(whole[0]).hi:
                message = f"{name(f)}印为{shown(f)}，大于全部资金来源的{subject}{shown(whole[0])}"
                yield finding(
                    "consistency.same_figure", "warning", message + "。", f, shown(f),
                    f"≤{shown(whole[0])}", [whole[0]],
                )  # fmt: skip


def _below_its_part(a: Analysis) -> Iterator[Finding]:
    """A total printed smaller than an amount it contains (``收入支出总计0.3万元`` while
    财政拨款收入 is 2940.05万元): one of the two is wrong."""
    stated = [f for f in _stated(a) if period_class(f.period) == "actual"]
    for total in stated:
        for subject in _AT_LEAST.get(total.subject or "", ()):
            if subject in SCOPED_NAMES:  # 财政拨款收入: in a whole total or a 财政拨款 one
                if total.scope not in (None, "财政拨款"):
                    continue
                scope = None
            else:
                scope = total.scope
            parts = [f for f in stated if f.subject == subject and f.scope == scope]
            if len({f.value for f in parts}) != 1:
                continue
            part = parts[0]
            if read(part).lo <= read(total).hi or a.settle(_same(part, total)) is None:
                continue
            message = f"{name(total)}印为{shown(total)}，小于其中包含的{name(part)}{shown(part)}"
            yield finding(
                "consistency.same_figure", "error", message + "。", total, shown(total),
                f"≥{shown(part)}", [part],
            )  # fmt: skip
            break
