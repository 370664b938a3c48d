"""The check-in chart: a goal's values so far against its straight line, as PNG bytes.

Drawn with matplotlib's object API on the Agg canvas (no pyplot, no global figure state, no
display), so it is safe to call from a worker thread while the bot runs; callers wrap it in
``asyncio.to_thread`` because drawing takes a noticeable fraction of a second.

Words on the chart (title, legend) come in as ``ChartLabels`` from the caller's catalogs: this
module never produces text of its own, never reads the clock and never sends anything.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from bot.reminders.goal_line import Line

SIZE_INCHES = (6.4, 3.6)
DPI = 100
_LINE_COLOUR = "#9aa0a6"
_VALUE_COLOUR = "#1a73e8"


@dataclass(frozen=True, slots=True)
class ChartLabels:
    title: str
    values: str
    line: str


def progress_chart(line: Line, points: Sequence[tuple[date, float]], labels: ChartLabels) -> bytes:
    """PNG of ``points`` (day, value; any order) over the line from baseline to target."""
    # Imported here: matplotlib (and numpy under it) costs ~1 s and ~40 MB at start-up, and only
    # a check-in with a goal line ever draws.
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    figure = Figure(figsize=SIZE_INCHES, dpi=DPI, layout="constrained")
    FigureCanvasAgg(figure)
    axes = figure.add_subplot()

    def day(number: float, _position: int | None = None) -> str:
        return f"{line.start + timedelta(days=round(number)):%d.%m}"

    axes.plot(
        [0, (line.deadline - line.start).days],
        [line.baseline, line.target],
        linestyle="--",
        color=_LINE_COLOUR,
        label=labels.line,
    )
    ordered = sorted(points)
    if ordered:
        axes.plot(
            [(moment - line.start).days for moment, _ in ordered],
            [value for _, value in ordered],
            marker="o",
            color=_VALUE_COLOUR,
            label=labels.values,
        )
    # Days since the start on the axis, printed as day.month: no locale-dependent month names.
    axes.xaxis.set_major_locator(MaxNLocator(nbins=6, integer=True))
    axes.xaxis.set_major_formatter(FuncFormatter(day))
    axes.set_title(labels.title, fontsize=11)
    axes.grid(alpha=0.3)
    axes.legend(loc="best", fontsize=9)
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")
    return buffer.getvalue()
