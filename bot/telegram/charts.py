"""/clients as a picture: the nine-grid (familiarity × emotion) and the next two weeks' follow-ups, one PNG.

Drawn with matplotlib's object API (no pyplot: no global state, safe in a worker thread). The Chinese
font comes from the noto-cjk-sans-otc package (or a system Noto/WenQuanYi font); without one the chart
would show boxes, so `clients_png` returns None and the adviser gets the text list alone.
"""

from __future__ import annotations

import io
from datetime import date, timedelta
from pathlib import Path
from typing import Any

from bot.agent.tools import EMOTION_CN, FAMILIARITY_CN
from bot.tracker.cn_calendar import format_day

ROWS = ("close", "acquainted", "new")  # familiarity, top to bottom
COLUMNS = ("positive", "neutral", "resistant")  # emotion, left to right
CELL_COLOURS = {"positive": "#e3f4e1", "neutral": "#f2f2f2", "resistant": "#fbe4e1"}
NAMES_PER_CELL = 6
FOLLOW_UP_DAYS = 14
FOLLOW_UP_LINES = 12
SYSTEM_FONTS = ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
                "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc")


def cjk_font() -> Path | None:
    """A font with Chinese glyphs: the one the package ships, else a system one, else None."""
    try:
        from noto_cjk_sans_otc import FONT_PATH
    except ImportError:  # installed without it: look for the Debian fonts before giving up
        return next((Path(p) for p in SYSTEM_FONTS if Path(p).is_file()), None)
    return Path(str(FONT_PATH))


def clients_png(grid: dict[tuple[str, str], list[Any]], due: list[Any], today: date) -> bytes | None:
    """The picture, or None when no Chinese font is available."""
    font_path = cjk_font()
    if font_path is None:
        return None
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure
    from matplotlib.font_manager import FontProperties

    font = FontProperties(fname=str(font_path))
    figure = Figure(figsize=(8, 10), dpi=110)
    FigureCanvasAgg(figure)
    grid_axes = figure.add_axes((0.12, 0.42, 0.85, 0.52))
    _draw_grid(grid_axes, grid, font)
    list_axes = figure.add_axes((0.05, 0.02, 0.9, 0.34))
    _draw_follow_ups(list_axes, due, today, font)
    out = io.BytesIO()
    figure.savefig(out, format="png")
    return out.getvalue()


def _draw_grid(axes: Any, grid: dict[tuple[str, str], list[Any]], font: Any) -> None:
    axes.set_xlim(0, 3)
    axes.set_ylim(0, 3)
    axes.set_xticks([0.5, 1.5, 2.5], [EMOTION_CN[e] for e in COLUMNS], fontproperties=font, fontsize=12)
    axes.set_yticks([2.5, 1.5, 0.5], [FAMILIARITY_CN[f] for f in ROWS], fontproperties=font, fontsize=12)
    axes.tick_params(length=0)
    axes.xaxis.tick_top()
    axes.set_title("客户九宫格（熟悉程度 × 情绪）", fontproperties=font, fontsize=15, pad=28)
    for row, familiarity in enumerate(ROWS):
        for column, emotion in enumerate(COLUMNS):
            x, y = column, 2 - row
            axes.add_patch(_rectangle(x, y, CELL_COLOURS[emotion]))
            clients = grid.get((familiarity, emotion), [])
            names = [c.name for c in clients[:NAMES_PER_CELL]]
            if len(clients) > NAMES_PER_CELL:
                names.append(f"……等 {len(clients)} 位")
            axes.text(x + 0.06, y + 0.9, f"{len(clients)} 位", fontproperties=font, fontsize=10,
                      color="#666666", va="top")
            axes.text(x + 0.5, y + 0.42, "\n".join(names) or "—", fontproperties=font, fontsize=11,
                      ha="center", va="center", linespacing=1.4)


def _rectangle(x: float, y: float, colour: str) -> Any:
    from matplotlib.patches import Rectangle

    return Rectangle((x, y), 1, 1, facecolor=colour, edgecolor="white", linewidth=3)


def _draw_follow_ups(axes: Any, due: list[Any], today: date, font: Any) -> None:
    axes.axis("off")
    axes.set_title(f"未来两周的跟进（{format_day(today, today)} 起）", fontproperties=font, fontsize=15,
                   loc="left")
    last = today + timedelta(days=FOLLOW_UP_DAYS)
    by_day: dict[date, list[str]] = {}
    for item in due:
        if item.due_on <= last:
            overdue = "（逾期）" if item.due_on < today else ""
            by_day.setdefault(max(item.due_on, today), []).append(item.client.name + overdue)
    lines = [f"{format_day(day, today)}：{'、'.join(names)}" for day, names in sorted(by_day.items())]
    if len(lines) > FOLLOW_UP_LINES:
        lines = [*lines[:FOLLOW_UP_LINES], f"……还有 {len(lines) - FOLLOW_UP_LINES} 天，发 /followups 查看"]
    axes.text(0, 0.92, "\n".join(lines) or "未来两周没有到期的跟进。", fontproperties=font, fontsize=12,
              va="top", linespacing=1.7, transform=axes.transAxes)
