"""Charts that older eyes can read: dark labels (at least 4.5:1, 7:1 in the 长辈版), large type."""

from __future__ import annotations

import altair as alt

from webui.theme import elder_mode

TEXT = "#1a1a1a"  # 17:1 on white
GREEN = "#1b5e20"  # bars: 7.9:1 on white
GREY = "#546e7a"  # the second bar (e.g. 本市目标): 5.3:1 on white, not the 2.6:1 of #90a4ae


def font_size() -> int:
    """Label size in pixels: 14 (Streamlit's charts use 11–12), 18 in the 长辈版."""
    return 18 if elder_mode() else 14


def readable(chart: alt.TopLevelMixin, description: str) -> alt.TopLevelMixin:
    """Axis labels and titles in dark, large type; one Chinese description for screen readers.

    Vega's own per-mark and per-axis labels are English ("Y-axis for a discrete scale…"),
    so they are switched off and the chart is described once, in Chinese, with its values.
    """
    size = font_size()
    return chart.properties(description=description).configure(aria=False).configure_mark(aria=False).configure_axis(
        labelColor=TEXT, titleColor=TEXT, labelFontSize=size, titleFontSize=size, domainColor="#555", tickColor="#555",
    ).configure_title(color=TEXT, fontSize=size, aria=False)


def describe(title: str, values: dict, unit: str = "") -> str:
    """A chart's values as one Chinese sentence: 标题：甲 3人；乙 1人。"""
    parts = [f"{name} {value:g}{unit}" if isinstance(value, int | float) else f"{name}{value}" for name, value in values.items()]
    return f"图表，{title}：" + "；".join(parts) + "。"
