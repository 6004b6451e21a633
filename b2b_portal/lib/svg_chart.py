"""Charts of the dealer portal as SVG markup, drawn on the server: no JavaScript, no library in the
browser, the same picture in every browser and in a screenshot.

- ``bar_chart``: vertical bars, one per point (the purchases of each month): the value above each
  bar, the label under it, a value axis with round ticks on the left.
- ``hbar_chart``: horizontal bars, one per row (product groups, top goods): the label on the left,
  the bar, the value at its end.

Each answer is one ``<svg>`` element with a ``viewBox`` and ``width="100%"``, so the picture scales
to the width of its column (a phone's screen included) and keeps its proportions. Every text that
comes from the data (labels, values, the title) is escaped. An empty series (no points, or every
value zero) draws the frame with the caller's ``empty_text`` instead of bars.

``value_text`` formats a value for the chart (the page passes its money formatter, so the chart
reads like the page: '12 345,50'); ``tick_text`` the axis ticks (default: ``value_text``).
"""
import math
from xml.sax.saxutils import escape, quoteattr

BAR_COLOR = "#337ab7"
AXIS_COLOR = "#999999"
GRID_COLOR = "#e5e5e5"
TEXT_COLOR = "#333333"
FONT = "font-family=\"Helvetica, Arial, sans-serif\""


def _text(value):
    return escape("" if value is None else str(value))


def _attr(value):
    return quoteattr("" if value is None else str(value))


def _number(value):
    """A coordinate as SVG writes it (at most one decimal)."""
    text = ("%.1f" % value).rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def nice_ticks(top, count=4):
    """Round values of the value axis from 0 up to at least ``top`` (``count`` steps or fewer):
    steps of 1, 2, 2.5 or 5 times a power of ten. ``top`` <= 0: [0, 1]."""
    if not top or top <= 0:
        return [0, 1]
    raw = float(top) / count
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 2.5, 5, 10):
        step = factor * power
        if step >= raw:
            break
    steps = int(math.ceil(top / step - 1e-9))
    return [round(step * index, 10) for index in range(steps + 1)]


def shorten(text, limit):
    """``text`` cut to ``limit`` characters with an ellipsis (a long product name on a bar)."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[:max(limit - 1, 1)].rstrip() + "…"


def _open(width, height, title, css_class):
    # as wide as its column, at most one and a half times its own size (a wide page does not
    # blow the texts up)
    return ['<svg xmlns="http://www.w3.org/2000/svg" class=%s viewBox="0 0 %d %d" width="100%%" '
            'style="max-width: %dpx" preserveAspectRatio="xMinYMin meet" role="img" '
            'aria-label=%s %s font-size="12">'
            % (_attr(css_class), width, height, width * 3 // 2, _attr(title or ""), FONT),
            "<title>%s</title>" % _text(title or "")]


def _empty(parts, width, height, empty_text):
    parts.append('<text class="o_b2b_chart_empty" x="%d" y="%d" text-anchor="middle" fill="%s">'
                 '%s</text>' % (width // 2, height // 2, AXIS_COLOR, _text(empty_text)))
    parts.append("</svg>")
    return "".join(parts)


def bar_chart(points, value_text=str, tick_text=None, title="", empty_text="",
              width=480, height=240, css_class="o_b2b_chart o_b2b_chart_bars"):
    """SVG markup of a vertical bar chart of ``points`` [(label, value)], in their order."""
    tick_text = tick_text or value_text
    parts = _open(width, height, title, css_class)
    values = [float(value or 0) for _label, value in points]
    if not points or not any(values):
        return _empty(parts, width, height, empty_text)
    ticks = nice_ticks(max(max(values), 0))
    left, right, top, bottom = 66, 6, 20, 36
    plot_w, plot_h = width - left - right, height - top - bottom
    scale = plot_h / float(ticks[-1] or 1)
    base = top + plot_h
    for tick in ticks:
        y = base - tick * scale
        parts.append('<line x1="%d" y1="%s" x2="%d" y2="%s" stroke="%s"/>'
                     % (left, _number(y), width - right, _number(y),
                        GRID_COLOR if tick else AXIS_COLOR))
        parts.append('<text class="o_b2b_chart_tick" x="%d" y="%s" text-anchor="end" fill="%s" '
                     'font-size="11">%s</text>' % (left - 6, _number(y + 4), AXIS_COLOR,
                                                  _text(tick_text(tick))))
    slot = plot_w / float(len(points))
    bar_w = max(min(slot * 0.7, 60), 2)
    label_size = 11 if slot >= 40 else 9
    for index, (label, value) in enumerate(points):
        value = float(value or 0)
        x = left + slot * index + (slot - bar_w) / 2
        h = max(value, 0) * scale
        middle = left + slot * index + slot / 2
        parts.append('<g class="o_b2b_chart_bar"><title>%s: %s</title>'
                     % (_text(label), _text(value_text(value))))
        parts.append('<rect x="%s" y="%s" width="%s" height="%s" fill="%s"/>'
                     % (_number(x), _number(base - h), _number(bar_w), _number(h), BAR_COLOR))
        if value:
            parts.append('<text class="o_b2b_chart_value" x="%s" y="%s" text-anchor="middle" '
                         'fill="%s" font-size="%d">%s</text>'
                         % (_number(middle), _number(base - h - 4), TEXT_COLOR, label_size - 1,
                            _text(value_text(value))))
        parts.append('<text class="o_b2b_chart_label" x="%s" y="%d" text-anchor="middle" '
                     'fill="%s" font-size="%d">%s</text></g>'
                     % (_number(middle), base + 16, TEXT_COLOR, label_size, _text(label)))
    parts.append("</svg>")
    return "".join(parts)


def hbar_chart(points, value_text=str, title="", empty_text="", width=480, bar_height=22,
               label_chars=26, css_class="o_b2b_chart o_b2b_chart_hbars"):
    """SVG markup of a horizontal bar chart of ``points`` [(label, value)], one row each, in
    their order (the longest label is cut to ``label_chars`` characters; the whole one shows as
    the row's tooltip)."""
    rows = len(points)
    height = max(rows, 1) * (bar_height + 8) + 12
    parts = _open(width, height if rows else 80, title, css_class)
    values = [float(value or 0) for _label, value in points]
    if not points or not any(values):
        return _empty(parts, width, 80, empty_text)
    left, value_w = 170, 78
    plot_w = width - left - value_w
    top_value = max(max(values), 0) or 1.0
    parts.append('<line x1="%d" y1="6" x2="%d" y2="%d" stroke="%s"/>'
                 % (left, left, height - 6, AXIS_COLOR))
    for index, (label, value) in enumerate(points):
        value = float(value or 0)
        y = 6 + index * (bar_height + 8)
        w = max(value, 0) / top_value * plot_w
        middle = y + bar_height / 2 + 4
        parts.append('<g class="o_b2b_chart_row"><title>%s: %s</title>'
                     % (_text(label), _text(value_text(value))))
        parts.append('<text class="o_b2b_chart_label" x="%d" y="%s" text-anchor="end" fill="%s">'
                     '%s</text>' % (left - 6, _number(middle), TEXT_COLOR,
                                    _text(shorten(label, label_chars))))
        parts.append('<rect x="%d" y="%d" width="%s" height="%d" fill="%s"/>'
                     % (left, y, _number(w), bar_height, BAR_COLOR))
        parts.append('<text class="o_b2b_chart_value" x="%s" y="%s" fill="%s">%s</text></g>'
                     % (_number(left + w + 6), _number(middle), TEXT_COLOR,
                        _text(value_text(value))))
    parts.append("</svg>")
    return "".join(parts)
