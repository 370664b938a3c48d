"""Which unit a goal's number is in, by metric (goal spec §3)."""

from __future__ import annotations

from typing import Final

UNIT_BY_METRIC: Final = {
    "followers": "people",
    "subscribers": "people",
    "reach": "people",
    "views": "views",
    "engagement": "units",
    "ctr": "percent",
    "conversion": "percent",
    "traffic": "units",
    "leads": "leads",
    "sales": "units",
    "units_sold": "units",
    "content": "posts",
}
MONEY_METRICS: Final = frozenset({"revenue", "cpl"})


def unit_for(metric: str, *, percent: bool, currency: str = "rub") -> str:
    """A number typed with '%' is a percent whatever the metric; money metrics take a currency."""
    if percent:
        return "percent"
    if metric in MONEY_METRICS:
        return currency
    return UNIT_BY_METRIC[metric]
