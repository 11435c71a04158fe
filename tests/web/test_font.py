"""The CJK fonts the package serves (Chinese pages never depend on the machine's fonts): every character of the web
catalogs and pages is in both fonts, which are WOFF2 served as font/woff2 from the package, with their license."""

from __future__ import annotations

import importlib.util
import io
import json
import re
import sys
from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from mas.i18n import MESSAGES

STATIC = Path(__file__).resolve().parents[2] / "src" / "mas" / "web" / "static"
FONTS = ("mas-cjk-tc.woff2", "mas-cjk-sc.woff2")
CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\ufe30-\ufe4f\uff00-\uffef]")


def catalog_characters() -> set[str]:
    """Every CJK character (ideographs and full-width punctuation) of the three catalogs, the two pages and the
    server's messages (the API says its errors in the page's language)."""
    text = "".join(json.dumps(json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8")),
                              ensure_ascii=False) for lang in ("en", "zh-tw", "zh-cn"))
    text += "".join((STATIC / page).read_text(encoding="utf-8") for page in ("index.html", "login.html"))
    text += "".join(texts[lang] for texts in MESSAGES.values() for lang in ("zh-tw", "zh-cn"))  # the API's errors
    return set(CJK.findall(text))


@pytest.mark.parametrize("name", FONTS)
def test_every_cjk_character_of_the_catalogs_is_in_the_font(name):
    need = catalog_characters()
    assert len(need) > 300  # the catalogs really are read
    font = TTFont(STATIC / "fonts" / name)
    assert font.flavor == "woff2"
    cmap = font.getBestCmap()
    missing = sorted(c for c in need if ord(c) not in cmap)
    assert not missing, f"{name} lacks {''.join(missing)!r}: run python tools/subset_cjk_font.py"
    family = font["name"].getDebugName(1)
    assert family == {"mas-cjk-tc.woff2": "Noto Sans CJK TC", "mas-cjk-sc.woff2": "Noto Sans CJK SC"}[name]
    assert (STATIC / "fonts" / name).stat().st_size < 400_000  # a subset, not the 16 MB collection


def test_the_license_is_beside_the_fonts_and_the_stylesheet_uses_them():
    license_text = (STATIC / "fonts" / "OFL.txt").read_text(encoding="utf-8")
    assert "SIL Open Font License" in license_text and "Adobe" in license_text
    css = (STATIC / "app.css").read_text(encoding="utf-8")
    for name in FONTS:
        assert f'url("fonts/{name}") format("woff2")' in css
    assert re.search(r':root:lang\(zh-Hant\) \{ font-family: "MAS CJK TC"', css)
    assert re.search(r':root:lang\(zh-Hans\) \{ font-family: "MAS CJK SC"', css)


def test_the_fonts_are_served_with_their_content_type(session):
    for name in FONTS:
        response = session.get(f"/static/fonts/{name}")
        assert response.status_code == 200
        assert response.headers["content-type"] == "font/woff2"
        assert response.content == (STATIC / "fonts" / name).read_bytes()
        assert TTFont(io.BytesIO(response.content)).getBestCmap()[ord("策")]
    assert session.get("/static/fonts/OFL.txt").status_code == 200


def test_the_package_data_ships_the_fonts():
    text = (STATIC.parents[3] / "pyproject.toml").read_text(encoding="utf-8")
    assert '"web/static/fonts/*.woff2"' in text and '"web/static/fonts/OFL.txt"' in text


@pytest.mark.skipif(importlib.util.find_spec("brotli") is None, reason="making WOFF2 needs brotli (fonttools[woff])")
def test_the_generator_keeps_every_catalog_character(monkeypatch):
    sys.path.insert(0, str(STATIC.parents[3] / "tools"))
    try:
        import subset_cjk_font
    finally:
        sys.path.remove(str(STATIC.parents[3] / "tools"))
    kept = {chr(c) for c in subset_cjk_font.characters()}
    assert catalog_characters() <= kept
    assert "繁" in kept and "简" in kept and "，" in kept
