"""Expert panels (专家评分表): recomputed means, expert totals and 失分率 per group.

Each row's mean over the experts who scored it (or a trimmed mean that drops the highest
and the lowest score, as some rule packs require) is compared with the 平均分 the table
prints; each expert's column is summed and compared with the 总分 printed under it; 失分率
= 1 − score ÷ weight is given for every level-1 and level-2 group.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from jixiao.model import Evaluation
from jixiao.numbers import clean_float


@dataclass
class RowMean:
    name: str
    printed: float | None  # the 平均分 / 得分 column
    mean: float | None
    trimmed_mean: float | None
    printed_sum: float | None  # the 合计 column, where printed
    sum: float | None


@dataclass
class ExpertTotal:
    name: str
    printed: float | None
    recomputed: float | None


@dataclass
class GroupLoss:
    level: int  # 1 or 2
    name: str
    weight: float
    score: float  # Σ of the printed row scores (平均分)
    loss_rate: float  # 1 − score ÷ weight
    recomputed_loss_rate: float | None  # from the recomputed means


@dataclass
class PanelStats:
    rows: list[RowMean] = field(default_factory=list)
    experts: list[ExpertTotal] = field(default_factory=list)
    groups: list[GroupLoss] = field(default_factory=list)


def panel_stats(ev: Evaluation) -> PanelStats:
    stats = PanelStats()
    for k, ind in enumerate(ev.indicators):
        scores = [e.scores[k] for e in ev.experts if k < len(e.scores) and e.scores[k] is not None]
        printed_sum = ev.row_sums[k] if k < len(ev.row_sums) else None
        stats.rows.append(
            RowMean(
                name=ind.name,
                printed=ind.score,
                mean=_round(sum(scores) / len(scores)) if scores else None,
                trimmed_mean=trimmed_mean(scores),
                printed_sum=printed_sum,
                sum=_round(sum(scores)) if scores else None,
            )
        )
    n = len(ev.indicators)
    for expert in ev.experts:
        column = [s for s in expert.scores[:n] if s is not None]
        stats.experts.append(
            ExpertTotal(expert.name, expert.total, _round(sum(column)) if column else None)
        )
    stats.groups = _group_losses(ev, stats.rows)
    return stats


def trimmed_mean(scores: list[float]) -> float | None:
    """Drop one highest and one lowest score; needs at least three scores."""
    if len(scores) < 3:
        return None
    kept = sorted(scores)[1:-1]
    return _round(sum(kept) / len(kept))


def _group_losses(ev: Evaluation, rows: list[RowMean]) -> list[GroupLoss]:
    groups: dict[tuple[int, str], list[tuple[float, float | None, float | None]]] = {}
    for ind, row in zip(ev.indicators, rows, strict=True):
        if ind.weight is None:
            continue
        for level, name in ((1, ind.level1), (2, ind.level2)):
            if name:
                groups.setdefault((level, name), []).append((ind.weight, ind.score, row.mean))
    out = []
    for (level, name), members in groups.items():
        weight = sum(w for w, _, _ in members)
        if not weight:
            continue
        printed = sum(s for _, s, _ in members if s is not None)
        means = [m for _, _, m in members]
        recomputed = _round(1 - sum(means) / weight) if all(m is not None for m in means) else None
        out.append(
            GroupLoss(
                level,
                name,
                _round(weight),
                _round(printed),
                _round(1 - printed / weight),
                recomputed,
            )
        )
    return sorted(out, key=lambda g: g.level)


def _round(x: float) -> float:
    return clean_float(round(x, 6))
