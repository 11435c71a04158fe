"""Acceptance and exactness of the text parser over the test corpus (tests/strategy/corpus.py).

    python bench/parser_corpus.py [--corpus tests/strategy/corpus.py] [--show-failures]

For the descriptions that must give a spec: *accepted* = parsed without error, *exact* = parsed
to exactly the expected spec, *misread* = accepted with a different spec (the worst outcome). For
the descriptions that must be refused: *refused* = refused with the expected reason in the
message, *accepted* = wrongly read as a strategy. Figures per language and in total.
"""

from __future__ import annotations

import argparse
import importlib.util
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def _load(path: Path):
    spec = importlib.util.spec_from_file_location("parser_corpus_data", path)
    if spec is None or spec.loader is None:
        raise SystemExit(f"{path}: cannot load the corpus")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=ROOT / "tests" / "strategy" / "corpus.py")
    parser.add_argument("--show-failures", action="store_true", help="print every text that is not exact")
    args = parser.parse_args(argv)

    import mas.strategy.parse as parse_module
    from mas.strategy.parse import ParseError, parse_text
    from mas.strategy.parse.lexer import detect_language
    from mas.strategy.spec import spec_from_dict

    corpus = _load(args.corpus)
    accept: list[tuple[str, dict]] = list(corpus.CORPUS)
    refuse: list[tuple[str, str]] = list(getattr(corpus, "REFUSED", []))
    counts: Counter[tuple[str, str]] = Counter()
    failures: list[str] = []
    for text, expected in accept:
        lang = detect_language(text)
        counts[(lang, "total")] += 1
        try:
            got = parse_text(text).spec
        except ParseError as exc:
            failures.append(f"REFUSED  {text!r}\n         {exc}")
            continue
        counts[(lang, "accepted")] += 1
        if got == spec_from_dict(expected):
            counts[(lang, "exact")] += 1
        else:
            counts[(lang, "misread")] += 1
            failures.append(f"MISREAD  {text!r}\n         {got.model_dump_json(exclude_defaults=True)}")
    for text, reason in refuse:
        lang = detect_language(text)
        counts[(lang, "must_refuse")] += 1
        try:
            parse_text(text)
        except ParseError as exc:
            if reason.lower() in str(exc).lower():
                counts[(lang, "refused")] += 1
            else:
                counts[(lang, "refused_other")] += 1
                failures.append(f"REASON   {text!r}\n         {exc} (expected: {reason})")
            continue
        counts[(lang, "wrongly_accepted")] += 1
        failures.append(f"ACCEPTED {text!r} (must be refused: {reason})")

    print(f"parser: {Path(parse_module.__file__).parent}")
    print(f"{'language':8} {'texts':>6} {'accepted':>9} {'exact':>9} {'misread':>8} | {'to refuse':>9} "
          f"{'refused':>9} {'other reason':>12} {'accepted':>9}")

    def pct(part: int, whole: int) -> str:
        return f"{100 * part / whole:5.1f}%" if whole else "    -"

    for lang in ("en", "zh-tw", "zh-cn", "all"):
        def c(key: str, lang: str = lang) -> int:
            return sum(v for (lg, k), v in counts.items() if k == key and (lang == "all" or lg == lang))

        total, must = c("total"), c("must_refuse")
        print(f"{lang:8} {total:6d} {pct(c('accepted'), total):>9} {pct(c('exact'), total):>9} {c('misread'):8d} | "
              f"{must:9d} {pct(c('refused'), must):>9} {c('refused_other'):12d} {c('wrongly_accepted'):9d}")
    if args.show_failures and failures:
        print("\n" + "\n".join(failures))
    return 0


if __name__ == "__main__":
    sys.exit(main())
