"""The page's browser module speaks anywidget's protocol (widgets/browser_actions.py): its
synced names are those of the pinned ``anywidget.AnyWidget``, its ES module ships in the
package, and it carries no user text."""

from __future__ import annotations

from importlib import resources

import pytest

from mentoring_mosaic.widgets.browser_actions import BrowserActions, browser_actions


def test_the_protocol_is_that_of_the_installed_anywidget() -> None:
    anywidget = pytest.importorskip("anywidget")

    class Reference(anywidget.AnyWidget):
        _esm = "export default {}"

    ours, theirs = BrowserActions(), Reference()
    try:
        for name in ("_model_name", "_model_module", "_model_module_version",
                     "_view_name", "_view_module", "_view_module_version"):
            assert getattr(ours, name) == getattr(theirs, name), name
        synced = set(theirs.keys) - set(ours.keys)
        assert synced <= {"_css"}, synced  # every trait the front-end reads, but the optional CSS
        assert {"_esm", "_anywidget_id"} <= set(ours.keys)
    finally:
        ours.close()
        theirs.close()


def test_the_es_module_is_a_package_file() -> None:
    source = resources.files("mentoring_mosaic.widgets").joinpath("browser_actions.js")
    text = source.read_text("utf-8")
    actions = BrowserActions()
    assert actions._esm == text
    actions.close()
    assert "export default { initialize }" in text
    for banned in ("eval(", "new Function", "innerHTML", "onerror", "onclick"):
        assert banned not in text, banned


def test_commands_carry_data_as_message_fields(monkeypatch: pytest.MonkeyPatch) -> None:
    got: list = []
    monkeypatch.setattr(BrowserActions, "send",
                        lambda self, msg, buffers=None: got.append((msg, buffers)))
    actions = browser_actions()
    assert browser_actions() is actions  # one per kernel
    actions.download(b"\x00<b>bytes</b>", 'a "name".txt', "text/plain")
    actions.scroll(".mm-drawer", "nearest")
    assert got == [
        ({"do": "download", "name": 'a "name".txt', "mime": "text/plain"},
         [b"\x00<b>bytes</b>"]),
        ({"do": "scroll", "target": ".mm-drawer", "block": "nearest"}, None),
    ]
    with pytest.raises(ValueError):
        actions.scroll(".mm-app", "somewhere")
    actions.close()
    assert browser_actions() is not actions  # a closed one is replaced
