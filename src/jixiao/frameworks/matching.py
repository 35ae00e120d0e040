"""Which framework scores an evaluation, and which of its leaves each printed row is.

Printed indicator names vary in small ways (``立项依据 充分性``, ``立项依据的充分性``, a quote
mark, a trailing colon), so names are compared in a normal form. A framework fits a table
when most of the table's rows find their leaf; a form whose indicators each project writes
itself (the self-evaluation table) is scored by the framework's ``open`` rule.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from jixiao.frameworks.loader import Framework, Node
    from jixiao.model import Evaluation, Indicator

_NOISE = re.compile(r"[\s\"'“”‘’「」『』《》〈〉()（）:：,，.。、;；\-—_/]|的")
_MIN_FIT = 0.6  # share of rows that must find their leaf for a closed framework to apply


@lru_cache(maxsize=8192)
def normal_name(text: str | None) -> str:
    return _NOISE.sub("", text or "")


Leaf = tuple[tuple[str, ...], "Node"]
# per framework (by identity; frameworks are loaded once): normal name -> leaf, in file order,
# and the first leaf of each normal name (the exact lookup, without a scan)
_INDEX: dict[int, tuple[Framework, list[tuple[str, Leaf]], dict[str, Leaf]]] = {}


def _names(framework: Framework) -> tuple[list[tuple[str, Leaf]], dict[str, Leaf]]:
    cached = _INDEX.get(id(framework))
    if cached is None or cached[0] is not framework:
        names = [
            (normal_name(n), (path, node))
            for path, node in framework.leaves()
            for n in (node.name, *node.aliases)
        ]
        exact: dict[str, Leaf] = {}
        for other, leaf in names:
            exact.setdefault(other, leaf)
        cached = _INDEX[id(framework)] = (framework, names, exact)
    return cached[1], cached[2]


def find_leaf(framework: Framework, name: str | None) -> Leaf | None:
    """The leaf this printed name denotes: exact normal form first, then containment."""
    key = normal_name(name)
    if not key:
        return None
    names, exact = _names(framework)
    found = exact.get(key)
    if found is not None:
        return found
    if len(key) >= 4:
        for other, leaf in names:
            if len(other) >= 4 and (other in key or key in other):
                return leaf
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
    fits = [(fit(f, ev), k) for k, f in enumerate(frameworks)]
    best, k = max(fits, key=lambda x: (x[0], -x[1]), default=(0.0, -1))
    return frameworks[k] if best > 0 else None
