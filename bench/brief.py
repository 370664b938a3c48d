"""Brief rendering time: ``python bench/brief.py [RUNS]`` (targets: chat < 20 ms, PDF < 1.5 s).

Renders one brief with 5 goals and 8 channels (testkit/brief_sample.py) as Telegram messages
and as a PDF, RUNS times each after a warm-up (the first call pays for template compilation and
font loading, which a running bot pays once), and prints the median wall-clock time and the median
CPU time of this process. On a busy machine the wall clock includes waiting for a core; the CPU
time does not, so the two together tell slowness from contention.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from bot.briefs.render import render_chat, render_pdf
from bot.briefs.snapshot import brief_hash
from testkit.brief_sample import snapshot

ROOT = Path(__file__).resolve().parents[1]

CHAT_TARGET_MS = 20.0
PDF_TARGET_MS = 1500.0


@dataclass(frozen=True, slots=True)
class Timing:
    wall_ms: float
    cpu_ms: float


def measure(render: Callable[[], object], runs: int) -> Timing:
    render()
    wall, cpu = [], []
    for _ in range(runs):
        started, started_cpu = time.perf_counter(), time.process_time()
        render()
        wall.append((time.perf_counter() - started) * 1000)
        cpu.append((time.process_time() - started_cpu) * 1000)
    return Timing(statistics.median(wall), statistics.median(cpu))


def main(runs: int = 7) -> tuple[Timing, Timing]:
    brief = snapshot(goal_count=5, channels=8)
    digest = brief_hash(brief)
    chat = measure(lambda: render_chat(brief, "ru", content_hash=digest), runs * 10)
    pdf = measure(lambda: render_pdf(brief, "ru", content_hash=digest), runs)
    for name, timing, target in (("chat", chat, CHAT_TARGET_MS), ("pdf", pdf, PDF_TARGET_MS)):
        verdict = "ok" if timing.wall_ms < target else "SLOW"
        print(
            f"brief {name}: {timing.wall_ms:.1f} ms wall, {timing.cpu_ms:.1f} ms CPU "
            f"(median; target < {target:.0f} ms: {verdict}; 5 goals, 8 channels)"
        )
    return chat, pdf


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 7)
