"""Error message catalog of strategies: the text parser, spec files, indicators and the LLM reader (mas.strategy): key -> {language: template}.

Same rules as :mod:`mas.i18n.error_messages`: ``str.format`` fields, the same in every language; the user's own
input, numbers, names and commands stay as written; only the sentence around them is translated.
"""

from __future__ import annotations

ERRORS: dict[str, dict[str, str]] = {
}
