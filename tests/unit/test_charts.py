"""The need-against-support chart: valid, accessible, escaped SVG."""

from __future__ import annotations

import xml.etree.ElementTree as ET

from mentoring_mosaic.content.loader import load_content
from mentoring_mosaic.exports.charts import needs_chart_svg, to_needs_svg
from mentoring_mosaic.model import DomainRating, Needs, Workbook

NS = {"svg": "http://www.w3.org/2000/svg"}


def parse(svg: str) -> ET.Element:
    return ET.fromstring(svg)


def test_chart_has_a_row_per_domain_with_bars_scaled_to_the_ratings(content) -> None:
    needs = Needs(
        ratings={"research": DomainRating(support=1, need=4), "teaching": DomainRating(need=2)},
        top_needs=["research"],
    )
    root = parse(needs_chart_svg(needs, content))
    rows = root.findall("svg:g", NS)
    assert [r.get("data-domain") for r in rows] == [d.id for d in content.domains]
    research = next(r for r in rows if r.get("data-domain") == "research")
    need_bar = research.find("svg:rect[@class='mm-bar-need']", NS)
    support_bar = research.find("svg:rect[@class='mm-bar-support']", NS)
    assert need_bar is not None and support_bar is not None
    assert float(need_bar.get("width")) == 4 * float(support_bar.get("width")) > 0
    assert need_bar.get("fill") == content.domain_colors["research"]
    texts = [t.text for t in research.findall("svg:text", NS)]
    assert "★ Research and scholarship" in texts
    assert "Need 4" in texts and "Support 1" in texts
    unrated = next(r for r in rows if r.get("data-domain") == "leadership")
    unrated_texts = ["".join(t.itertext()) for t in unrated.findall("svg:text", NS)]
    assert "Leadership and administration · not rated" in unrated_texts
    assert "Need –" in unrated_texts


def test_chart_is_accessible(content) -> None:
    needs = Needs(ratings={"research": DomainRating(support=1, need=4)})
    root = parse(needs_chart_svg(needs, content))
    assert root.get("role") == "img"
    assert "Largest gaps: Research and scholarship (need 4, support 1)" in root.get("aria-label")
    assert root[0].tag == "{http://www.w3.org/2000/svg}title"
    assert root.find("svg:desc", NS).text.count("not rated") == len(content.domains) - 1
    empty = parse(needs_chart_svg(Needs(), content))
    assert "No domain has a need larger" in empty.get("aria-label")


def test_all_text_is_escaped(tmp_path) -> None:
    (tmp_path / "domains.toml").write_text(
        '[[domain]]\nid = "research"\nname = "<script>alert(1)</script> & \\"Co\\""\n'
        'description = "x"\ncolor = "#332288"\nsource = "mentoring_mosaic_team"\n',
        encoding="utf-8",
    )
    content = load_content(tmp_path)
    needs = Needs(ratings={"research": DomainRating(support=0, need=3)})
    svg = needs_chart_svg(needs, content, title='Ana\'s "chart" <b>')
    assert "<script>" not in svg and "<b>" not in svg
    root = parse(svg)  # still well-formed XML
    assert root.find("svg:title", NS).text == 'Ana\'s "chart" <b>'
    label = next(
        t.text
        for t in root.iter("{http://www.w3.org/2000/svg}text")
        if t.text and "alert" in t.text
    )
    assert label == '<script>alert(1)</script> & "Co"'


def test_exporter_form_returns_utf8_bytes(content) -> None:
    data = to_needs_svg(Workbook(), content)
    assert data.startswith(b"<svg") and "★".encode() in data
