"""scripts/screenshots.py: the real app over the demo database, saved as valid SVG (and PNG)."""

from __future__ import annotations

import importlib.util
import shutil
import sys
import xml.etree.ElementTree as ET
from pathlib import Path
from types import ModuleType

import pytest

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "screenshots.py"
SVG = "{http://www.w3.org/2000/svg}"


def _load() -> ModuleType:
    spec = importlib.util.spec_from_file_location("screenshots", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["screenshots"] = module
    spec.loader.exec_module(module)
    return module


def _text(svg: Path) -> str:
    """The characters the terminal showed (Textual writes one <text> per styled run)."""
    root = ET.parse(svg).getroot()
    assert root.tag == SVG + "svg"
    return "".join(node.text or "" for node in root.iter(SVG + "text")).replace("\xa0", " ")


@pytest.mark.slow
def test_screenshots_are_valid_svgs_of_each_view(tmp_path: Path) -> None:
    shots = _load()
    written = shots.make_screenshots(tmp_path / "out", size=(120, 40), png=False)
    names = sorted(path.name for path in written)
    assert names == sorted(f"{name}.svg" for name in shots.SHOTS)
    text = {path.stem: _text(path) for path in written}
    assert "Meridian Wire" in text["main"] or "Circuitry" in text["main"]
    assert "Nvidia loses nearly $600 billion" in text["reader"]
    assert "deepseek +china" in text["filter"]
    assert "DeepSeek R1 launch" in text["follow"]
    assert "filter" in text["help"].lower()
    assert "[b]markup[/b]" in text["safety"] and "<script>" in text["safety"]
    for path in written:  # hostile feed text never reaches the SVG as markup or escapes
        raw = path.read_text(encoding="utf-8")
        assert "\x1b" not in raw and "<script" not in raw and "javascript:alert" not in raw


@pytest.mark.skipif(shutil.which("rsvg-convert") is None, reason="rsvg-convert not installed")
def test_png_copies_when_a_converter_exists(tmp_path: Path) -> None:
    shots = _load()
    svg = tmp_path / "tiny.svg"
    svg.write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" width="20" height="10">'
        '<rect width="20" height="10" fill="red"/></svg>'
    )
    png = shots.to_png(svg)
    assert png == tmp_path / "tiny.png"
    assert png.read_bytes().startswith(b"\x89PNG\r\n\x1a\n")
