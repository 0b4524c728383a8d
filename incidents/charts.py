"""Bar charts as data for a server-rendered SVG (templates/incidents/_bar_chart.svg.html). No chart library:
each chart is a handful of rectangles, and the same numbers are shown as a table next to it."""

from dataclasses import dataclass, field

PALETTE = ["#1b4f72", "#b03a2e", "#7d6608", "#196f3d", "#6c3483", "#a04000", "#117864", "#515a5a"]
WIDTH, HEIGHT, LEFT, BOTTOM, TOP = 640, 240, 40, 40, 10


@dataclass
class Rect:
    x: float
    y: float
    width: float
    height: float
    colour: str
    label: str


@dataclass
class Chart:
    title: str
    description: str
    rects: list[Rect] = field(default_factory=list)
    x_labels: list[tuple[float, str]] = field(default_factory=list)
    y_max: int = 0
    legend: list[tuple[str, str]] = field(default_factory=list)
    width: int = WIDTH
    height: int = HEIGHT


def stacked_bars(*, title: str, description: str, labels: list[str], series: list[tuple[str, list[int]]]) -> Chart:
    """One bar per label; each series stacked in its own colour. Series with no values are left out."""
    series = [(name, values) for name, values in series if any(values)]
    totals = [sum(values[i] for _name, values in series) for i in range(len(labels))]
    y_max = max(totals + [1])
    plot_h = HEIGHT - BOTTOM - TOP
    slot = (WIDTH - LEFT) / max(len(labels), 1)
    chart = Chart(title=title, description=description, y_max=y_max)
    for i, label in enumerate(labels):
        x = LEFT + i * slot + slot * 0.15
        y: float = HEIGHT - BOTTOM
        for s, (name, values) in enumerate(series):
            h = values[i] / y_max * plot_h
            if h:
                y -= h
                chart.rects.append(
                    Rect(
                        round(x, 1),
                        round(y, 1),
                        round(slot * 0.7, 1),
                        round(h, 1),
                        PALETTE[s % len(PALETTE)],
                        f"{label}: {name} {values[i]}",
                    )
                )
        chart.x_labels.append((round(LEFT + i * slot + slot / 2, 1), label))
    chart.legend = [(name, PALETTE[s % len(PALETTE)]) for s, (name, _values) in enumerate(series)]
    return chart
