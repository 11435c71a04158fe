"""Make the web app's CJK fonts: Noto Sans CJK TC and SC (SIL Open Font License 1.1) cut down to the characters of
the web UI's catalogs (src/mas/web/static/i18n/*.json), its pages, the server's messages (mas.i18n: the API's errors
are said in the page's language) and common punctuation, as WOFF2.

    pip install "fonttools[woff]" noto-cjk-sans-otc    # the font collection ships in that PyPI package
    python tools/subset_cjk_font.py [--source NotoSansCJK-Regular.ttc]

Writes src/mas/web/static/fonts/mas-cjk-tc.woff2, mas-cjk-sc.woff2 and OFL.txt (the license, with the fonts'
copyright line). Run it again after adding Chinese strings to the catalogs (tests/web/test_font.py tells).
"""

from __future__ import annotations

import argparse
import importlib.util
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
STATIC = ROOT / "src" / "mas" / "web" / "static"
FONTS = STATIC / "fonts"
FACES = {"tc": "Noto Sans CJK TC", "sc": "Noto Sans CJK SC"}
PUNCTUATION = ("，。、；：？！「」『』（）《》〈〉【】〔〕—…·～‧“”‘’％＋－＝／＜＞｜・　"
               "０１２３４５６７８９")
"""Common full-width punctuation and digits, kept whether or not a catalog uses them yet."""


def catalog_text(lang: str) -> str:
    """Every string of a web UI catalog, joined."""
    data = json.loads((STATIC / "i18n" / f"{lang}.json").read_text(encoding="utf-8"))
    out: list[str] = []

    def walk(node: object) -> None:
        if isinstance(node, dict):
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)
        elif isinstance(node, str):
            out.append(node)

    walk(data)
    return "".join(out)


def server_text() -> str:
    """The Chinese texts of the server's message catalog (:data:`mas.i18n.MESSAGES`): the API says its errors in the
    page's language, so the page draws them too."""
    sys.path.insert(0, str(ROOT / "src"))
    from mas.i18n import MESSAGES

    return "".join(texts.get(lang, "") for texts in MESSAGES.values() for lang in ("zh-tw", "zh-cn"))


def page_text() -> str:
    """The page's own text (the language menu names 繁體中文 and 简体中文 on every page), every catalog of the page and
    the server's messages."""
    pages = "".join((STATIC / name).read_text(encoding="utf-8") for name in ("index.html", "login.html"))
    return pages + "".join(catalog_text(lang) for lang in ("en", "zh-tw", "zh-cn")) + server_text()


def characters() -> list[int]:
    """The code points both fonts keep: the non-ASCII characters of the pages and catalogs, and the punctuation
    (each face draws them in its own region's forms)."""
    return sorted({ord(c) for c in page_text() + PUNCTUATION if (ord(c) > 0x7F and not c.isspace())
                   or c == "\u3000"})


def default_source() -> Path:
    """The collection of the ``noto-cjk-sans-otc`` package, when it is installed."""
    spec = importlib.util.find_spec("noto_cjk_sans_otc")
    if spec is None or spec.origin is None:
        sys.exit('no font collection: pip install noto-cjk-sans-otc (or give --source NotoSansCJK-Regular.ttc)')
    return Path(spec.origin).parent / "NotoSansCJK-Regular.ttc"


def subset(source: Path, family: str, codepoints: list[int], out: Path) -> None:
    """Write the face ``family`` of the collection ``source``, cut to ``codepoints``, as WOFF2 to ``out``."""
    from fontTools import subset as fts
    from fontTools.ttLib import TTCollection

    collection = TTCollection(str(source))
    font = next((f for f in collection.fonts if f["name"].getDebugName(1) == family), None)
    if font is None:
        sys.exit(f"{source}: no face {family!r}")
    options = fts.Options()
    options.flavor = "woff2"
    options.layout_features = ["kern", "palt", "halt", "vert", "vkrn"]  # spacing and vertical forms only
    options.name_IDs = ["*"]
    options.name_languages = ["*"]
    options.hinting = False
    options.desubroutinize = True
    subsetter = fts.Subsetter(options=options)
    subsetter.populate(unicodes=codepoints)
    subsetter.subset(font)
    out.parent.mkdir(parents=True, exist_ok=True)
    temp = out.with_suffix(".tmp")
    fts.save_font(font, str(temp), options)
    temp.replace(out)


def write_license(source: Path) -> None:
    """OFL.txt beside the fonts: the fonts' copyright line and the license text of the package they come from."""
    from fontTools.ttLib import TTCollection

    copyright_line = TTCollection(str(source)).fonts[3]["name"].getDebugName(0) or ""
    license_file = next(source.parent.parent.glob("noto_cjk_sans_otc-*.dist-info/licenses/LICENSE"), None)
    text = license_file.read_text(encoding="utf-8") if license_file else (FONTS / "OFL.txt").read_text(
        encoding="utf-8").split("\n\n", 2)[2]
    header = ("mas-cjk-tc.woff2 and mas-cjk-sc.woff2 are subsets of Noto Sans CJK TC and SC (Regular), made by "
              "tools/subset_cjk_font.py.\n")
    (FONTS / "OFL.txt").write_text(f"{header}{copyright_line}\n\n{text}", encoding="utf-8")


def main() -> None:
    """Parse the options and write the fonts and the license."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--source", type=Path, help="NotoSansCJK-Regular.ttc (default: the installed package's)")
    args = parser.parse_args()
    source = args.source or default_source()
    for face, family in FACES.items():
        out = FONTS / f"mas-cjk-{face}.woff2"
        subset(source, family, characters(), out)
        print(f"{out.relative_to(ROOT)}: {out.stat().st_size:,} bytes, {len(characters())} characters")
    write_license(source)


if __name__ == "__main__":
    main()
