"""Mosaic exports: SVG is safe XML, GraphML and Cytoscape JSON round-trip through networkx."""

from __future__ import annotations

import datetime as dt
import io
import json
import xml.etree.ElementTree as ET

import networkx as nx
import pytest

from mentoring_mosaic.analysis.layout import ME_ID
from mentoring_mosaic.exports import FORMATS, export
from mentoring_mosaic.exports.mosaic import mosaic_graph, mosaic_svg, to_cyjs, to_graphml, to_svg
from mentoring_mosaic.model import Person, Position, Profile, Workbook

SVG_NS = "{http://www.w3.org/2000/svg}"
HOSTILE = 'Dr <script>alert("x")</script> & "Ana"'


@pytest.fixture
def workbook() -> Workbook:
    return Workbook(
        profile=Profile(display_name="Sam <b>"),
        people=[
            Person(
                id="a1",
                name=HOSTILE,
                domains=["research", "teaching", "sponsorship"],
                tie_strength=3,
                frequency="monthly",
                qualities=["honest", "reachable"],
                next_step="Coffee <next> week",
                next_step_date=dt.date(2026, 12, 3),
                notes="met at <conf>",
            ),
            Person(id="b2", name="Bo", level="peer", status="potential", domains=["feedback"],
                   place="external", tie_strength=1),
            Person(id="c3", name="Kid", role="mentee", level="junior", place="division",
                   position=Position(x=12.5, y=300.0)),
        ],
    )


def test_svg_is_xml_with_title_desc_and_escaped_text(workbook, content) -> None:
    text = mosaic_svg(workbook, content)
    root = ET.fromstring(text.encode("utf-8"))
    assert root.tag == f"{SVG_NS}svg"
    assert root.find(f"{SVG_NS}title") is not None and root.find(f"{SVG_NS}desc") is not None
    assert root.get("role") == "img"
    assert "<script" not in text and "&lt;script&gt;" in text
    assert root.find(f".//{SVG_NS}script") is None
    assert "<b>" not in text
    assert not [el for el in root.iter() if el.tag.endswith("foreignObject")]
    # no external references: nothing loads from anywhere
    assert "href" not in text and "url(" not in text and "@import" not in text
    # each person is drawn, with the full name (escaped) in its title
    titles = [t.text for t in root.iter(f"{SVG_NS}title")]
    assert any(t and t.startswith(HOSTILE) for t in titles)
    assert float(root.get("width")) > 0 and float(root.get("height")) > 0


def test_svg_draws_pies_outlines_and_legend(workbook, content) -> None:
    text = mosaic_svg(workbook, content)
    for domain_id in ("research", "teaching", "sponsorship", "feedback"):
        assert content.domain_colors[domain_id] in text
    assert 'stroke-dasharray="5 4"' in text, "potential mentors are dashed"
    assert 'class="person mentee existing"' in text
    for domain in content.domains:
        assert domain.name.replace("&", "&amp;") in text, "legend lists every domain"


def test_svg_of_empty_workbook_and_bytes_export(content) -> None:
    root = ET.fromstring(to_svg(Workbook(), content))
    assert root.tag == f"{SVG_NS}svg"
    assert export(Workbook(), content, "svg").startswith(b"<?xml")


def test_graphml_round_trip_has_identical_attributes(workbook, content) -> None:
    original = mosaic_graph(workbook, content, flat=True)
    back = nx.read_graphml(io.BytesIO(to_graphml(workbook, content)))
    assert set(back.nodes) == set(original.nodes)
    for node in original.nodes:
        assert dict(back.nodes[node]) == dict(original.nodes[node]), node
    for u, v in original.edges:
        assert dict(back.edges[u, v]) == dict(original.edges[u, v])
    a1 = back.nodes["a1"]
    assert a1["level"] == "senior" and a1["status"] == "existing" and a1["role"] == "mentor"
    assert a1["domains"] == "research;teaching;sponsorship"
    assert a1["tie_strength"] == 3 and a1["frequency"] == "monthly"
    assert a1["next_step_date"] == "2026-12-03"
    assert back.nodes["c3"]["x"] == 12.5 and back.nodes["c3"]["position_saved"] is True
    assert back.nodes[ME_ID]["role"] == "me"


def test_cyjs_round_trip_has_identical_attributes(workbook, content) -> None:
    original = mosaic_graph(workbook, content)
    data = json.loads(to_cyjs(workbook, content))
    back = nx.cytoscape_graph(data)
    assert set(back.nodes) == set(original.nodes)
    for node in original.nodes:
        got = dict(back.nodes[node])
        # the Cytoscape JSON format itself carries the node key as "value"
        assert got.pop("value") == node
        assert got == dict(original.nodes[node]), node
    for u, v in original.edges:
        got = dict(back.edges[u, v])
        # ... and each edge's ends as "source" and "target"
        assert {got.pop("source"), got.pop("target")} == {u, v}
        assert got == dict(original.edges[u, v])
    assert back.nodes["a1"]["domains"] == ["research", "teaching", "sponsorship"]
    assert back.nodes["a1"]["level"] == "senior"
    # Cytoscape desktop reads node positions from "position"
    node = next(n for n in data["elements"]["nodes"] if n["data"]["id"] == "c3")
    assert node["position"] == {"x": 12.5, "y": 300.0}
    assert data["data"]["name"] == "Mentoring mosaic"


def test_formats_are_registered(workbook, content) -> None:
    for fmt in ("svg", "graphml", "cyjs"):
        assert fmt in FORMATS
        assert export(workbook, content, fmt)


def test_cli_exports_mosaic(tmp_path, store, content) -> None:
    from mentoring_mosaic.serve import cli
    from mentoring_mosaic.session import Session

    session = Session(store=store, key="cli")
    session.save_person(Person(name="Ana", domains=["research"]))
    for fmt in ("svg", "graphml", "cyjs"):
        out = tmp_path / f"m.{fmt}"
        code = cli.main(["export", "--participant", "cli", "--format", fmt, "--output", str(out)])
        assert code == 0, fmt
        assert out.stat().st_size > 100
    names = dict(nx.read_graphml(tmp_path / "m.graphml").nodes(data="name"))
    assert "Ana" in names.values()


def test_control_characters_cannot_break_the_files(content) -> None:
    odd = Workbook(
        profile=Profile(display_name="Me\x07"),
        people=[Person(id="z", name="Ana\x01\x0b Ruiz", next_step="call\x1f", domains=["x\x02"])],
    )
    root = ET.fromstring(to_svg(odd, content))
    assert root.tag == f"{SVG_NS}svg"
    back = nx.read_graphml(io.BytesIO(to_graphml(odd, content)))
    assert back.nodes["z"]["name"] == "Ana Ruiz"
    assert back.nodes["z"]["next_step"] == "call"
    assert json.loads(to_cyjs(odd, content))["elements"]["nodes"][1]["data"]["name"] == (
        "Ana\x01\x0b Ruiz"
    )
