"""A mentor's role or title (``Person.title``) reaches every export that lists people.

Stage 2 asks for it ("program director"); a participant who types it expects to find it in the
spreadsheet, the mosaic files for network tools, the take-home pack and the notebook copy.
"""

from __future__ import annotations

import csv
import io
import json

import nbformat
import networkx as nx
import pytest

from mentoring_mosaic.analysis.layout import ME_ID
from mentoring_mosaic.exports.basic import to_csv, to_json
from mentoring_mosaic.exports.mosaic import mosaic_svg, to_cyjs, to_graphml
from mentoring_mosaic.exports.notebook import to_ipynb
from mentoring_mosaic.exports.pack import to_html
from mentoring_mosaic.model import ManagingUpPlan, Person, Workbook

TITLE = "program director <b>&</b>"


@pytest.fixture
def workbook() -> Workbook:
    lee = Person(id="lee", name="Dr Lee", title=TITLE, domains=["research"])
    kim = Person(id="kim", name="Sam Kim", level="peer")
    return Workbook(
        people=[lee, kim],
        managing_up={"lee": ManagingUpPlan(one_ask="Read my aims", agenda_setter="mentor")},
    )


def test_csv_has_a_title_row_per_person(workbook, content) -> None:
    rows = dict(csv.reader(io.StringIO(to_csv(workbook, content).decode())))
    assert rows["people[1].title"] == TITLE
    assert rows["people[2].title"] == ""
    assert json.loads(to_json(workbook))["people"][0]["title"] == TITLE


def test_graphml_and_cytoscape_carry_the_title(workbook, content) -> None:
    graph = nx.read_graphml(io.BytesIO(to_graphml(workbook, content)))
    assert graph.nodes["lee"]["title"] == TITLE
    assert graph.nodes["kim"]["title"] == "" and graph.nodes[ME_ID]["title"] == ""
    back = nx.cytoscape_graph(json.loads(to_cyjs(workbook, content)))
    assert back.nodes["lee"]["title"] == TITLE


def test_the_mosaic_picture_names_the_title_in_the_tooltip(workbook, content) -> None:
    svg = mosaic_svg(workbook, content)
    assert "<title>Dr Lee, program director &lt;b&gt;&amp;&lt;/b&gt;: existing" in svg


def test_pack_lists_the_title_with_the_name_escaped(workbook, content) -> None:
    page = to_html(workbook, content).decode()
    label = "Dr Lee, program director &lt;b&gt;&amp;&lt;/b&gt;"
    assert page.count(label) >= 2  # the people table and the managing-up card
    assert TITLE not in page  # never raw markup


def test_notebook_copy_lists_the_title_and_says_who_sets_the_agenda(workbook, content) -> None:
    nb = nbformat.reads(to_ipynb(workbook, content).decode(), as_version=4)
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "### Dr Lee, program director" in text
    assert "- **Who sets the agenda:** my mentor" in text  # in words, not the stored key
    assert "<b>" not in text
