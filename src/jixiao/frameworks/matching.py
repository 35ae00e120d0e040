"""Which framework scores an evaluation, and which of its leaves each printed row is.

Printed indicator names vary in small ways (``立项依据 充分性``, ``立项依据的充分性``, a quote
mark, a trailing colon), so names are compared in a normal form. A framework fits a table
when most of the table's rows find their leaf; a form whose indicators each project writes
itself (the self-evaluation table) is scored by the framework's ``open`` rule.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jixiao.frameworks.loader import Framework, Node
    from jixiao.model import Evaluation, Indicator

_NOISE = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）:：,，.。、;；\-—_/]|的")
_MIN_FIT = 0.6  # share of rows that must find their leaf for a closed framework to apply


def normal_name(text: str | None) -> str:
    return _NOISE.sub("", text or "")


def leaves(nodes: list[Node], path: tuple[str, ...] = ()) -> Iterator[tuple[tuple[str, ...], Node]]:
    for node in nodes:
        here = (*path, node.name)
        if node.children:
            yield from leaves(node.children, here)
        else:
            yield here, node


def find_leaf(framework: Framework, name: str | None) -> tuple[tuple[str, ...], Node] | None:
    """The leaf this printed name denotes: exact normal form first, then containment."""
    key = normal_name(name)
    if not key:
        return None
    candidates = list(leaves(framework.indicators))
    for path, node in candidates:
        if key in {normal_name(n) for n in (node.name, *node.aliases)}:
            return path, node
    if len(key) >= 4:
        for path, node in candidates:
            for n in (node.name, *node.aliases):
                other = normal_name(n)
                if len(other) >= 4 and (other in key or key in other):
                    return path, node
    return None


def fit(framework: Framework, ev: Evaluation) -> float:
    """How well a framework fits an evaluation, 0..1 (open frameworks fit their kinds weakly)."""
    if ev.kind not in framework.kinds:
        return 0.0
    rows = [ind for ind in ev.indicators if ind.name]
    if not rows or not framework.indicators:
        return 0.5 if framework.open_rule is not None else 0.0
    matched = sum(1 for ind in rows if _same_leaf(framework, ind)) / len(rows)
    if framework.open_rule is not None:
        return max(0.5, matched)
    return matched if matched >= _MIN_FIT else 0.0


def _same_leaf(framework: Framework, ind: Indicator) -> bool:
    """The row is the leaf: same name, and the same weight where the table prints one (a
    sheet that reuses the names with other weights follows other rules)."""
    found = find_leaf(framework, ind.name)
    if found is None:
        return False
    return ind.weight is None or abs(ind.weight - found[1].weight) < 1e-6


def choose(frameworks: list[Framework], ev: Evaluation) -> Framework | None:
    best = max(frameworks, key=lambda f: fit(f, ev), default=None)
    return best if best is not None and fit(best, ev) > 0 else None
