"""Unit checks: an amount printed in the wrong unit (DESIGN.md, family units).

``6401.78亿元`` where the parts, the total and the shares around it are all in 万元; ``3179.1元``
for a department's total spending. Such a figure breaks every relation it stands in by a
factor of 10⁴ (or 10³, 10⁸), and the relations hold again once it is read in another unit:
that is the evidence, so a lone large number is never flagged for being large.

The relations are those of the narrative checks (parts and totals, shares, growth and
completion rates, one amount printed twice); the narrative checks leave a relation alone when
a slip explains it, so the slip is reported once, here.
"""

from __future__ import annotations

from collections.abc import Iterator

from jixiao.checks.consistency import same_relations
from jixiao.checks.narrative import FACTORS, analyse, finding, name, shown
from jixiao.checks.registry import Context, check
from jixiao.model import Finding
from jixiao.numbers import format_number

_TIMES = {1e3: "一千", 1e4: "一万", 1e5: "十万", 1e7: "一千万", 1e8: "一亿"}


@check(
    "units.magnitude",
    "error",
    "金额单位错误（相差万倍等）",
    "说明中某一金额与其构成项、合计、占比或同一数字的另一处相差10⁴（或10³、10⁸）倍，且换用"
    "另一金额单位（如亿元→万元、元→万元）后各项算式即成立：单位印错。换算后完全吻合为错误；"
    "换算后仍有少许出入（数字本身也有误）为疑似。",
)
def magnitude(ctx: Context) -> Iterator[Finding]:
    a = analyse(ctx.report)
    found: dict[int, tuple[bool, Finding]] = {}
    for rel in [*a.relations, *same_relations(a)]:
        if rel.holds():
            continue
        slip = a.slip(rel)
        if slip is None:
            continue
        f = slip.figure
        if f.id in found and (found[f.id][0] or not slip.exact):
            continue
        ratio = FACTORS[f.unit or "元"] / FACTORS[slip.unit]
        times = _TIMES.get(max(ratio, 1 / ratio), format_number(max(ratio, 1 / ratio)))
        others = [g for g in rel.operands if g.id != f.id]
        context = "、".join(f"{name(g)}{shown(g)}" for g in others[:3])
        meant = f"{format_number(f.value, f.decimals)}{slip.unit}"
        message = (
            f"{name(f)}印为{shown(f)}，与{context}相差{times}倍，"
            f"按{slip.unit}读才与之相符，应为{meant}"
        )
        severity = "error" if slip.exact else "warning"
        found[f.id] = (
            slip.exact,
            finding("units.magnitude", severity, message + "。", f, shown(f), meant, others),
        )
    for _, item in sorted(found.items()):
        yield item[1]
