import xml.etree.ElementTree as ET

from b2b_portal.lib.svg_chart import bar_chart, hbar_chart, nice_ticks, shorten

SVG = "{http://www.w3.org/2000/svg}"


def texts(svg, css_class):
    root = ET.fromstring(svg)
    return [node.text for node in root.iter(SVG + "text") if node.get("class") == css_class]


def test_bar_chart_is_valid_svg_with_labels_values_and_axis():
    svg = bar_chart([("01.26", 1000), ("02.26", 0), ("03.26", 2500.5)],
                    value_text=lambda v: "%.2f" % v, title="Закупки")
    root = ET.fromstring(svg)
    assert root.tag == SVG + "svg"
    assert root.get("width") == "100%" and root.get("viewBox") == "0 0 480 240"
    assert root.find(SVG + "title").text == "Закупки"
    assert texts(svg, "o_b2b_chart_label") == ["01.26", "02.26", "03.26"]
    assert texts(svg, "o_b2b_chart_value") == ["1000.00", "2500.50"], "no value over an empty bar"
    assert texts(svg, "o_b2b_chart_tick")[0] == "0.00"
    heights = [float(r.get("height")) for r in root.iter(SVG + "rect")]
    assert heights[1] == 0 and heights[2] > heights[0] > 0
    assert "script" not in svg.lower()


def test_text_from_the_data_is_escaped():
    evil = '<script>alert("x")</script> & «Ванны»'
    for svg in (bar_chart([(evil, 5)], title=evil), hbar_chart([(evil, 5)], title=evil,
                                                               label_chars=200)):
        assert "<script>" not in svg
        root = ET.fromstring(svg)   # still well-formed XML
        assert evil in [node.text for node in root.iter(SVG + "text")]
        assert root.get("aria-label") == evil


def test_empty_series_draw_the_empty_text():
    for svg in (bar_chart([], empty_text="Нет закупок"), bar_chart([("01.26", 0)],
                                                                   empty_text="Нет закупок"),
                hbar_chart([], empty_text="Нет закупок")):
        root = ET.fromstring(svg)
        assert texts(svg, "o_b2b_chart_empty") == ["Нет закупок"]
        assert not list(root.iter(SVG + "rect"))


def test_horizontal_bars_are_proportional_and_long_names_cut():
    svg = hbar_chart([("Смесители для ванной комнаты с душем и лейкой", 300), ("Ванны", 150)],
                     value_text=lambda v: "%d" % v, label_chars=20)
    root = ET.fromstring(svg)
    widths = [float(r.get("width")) for r in root.iter(SVG + "rect")]
    assert abs(widths[0] - 2 * widths[1]) < 0.2
    assert texts(svg, "o_b2b_chart_label")[0] == "Смесители для ванно…"
    assert texts(svg, "o_b2b_chart_value") == ["300", "150"]
    assert root.get("width") == "100%"


def test_ticks_are_round_and_cover_the_top():
    assert nice_ticks(2500.5) == [0, 1000, 2000, 3000]
    assert nice_ticks(9) == [0, 2.5, 5, 7.5, 10]
    assert nice_ticks(0) == [0, 1]
    assert shorten("abc", 5) == "abc"
