"""Where a search's words are in a shown text, as (start, end) offsets for the UI to paint.

Matching follows the index (store/search_index.py): a word matches at the start of a word of
the text, case and accents not counting ("jose" marks "José" in "Hi José!"). Computed for the
rows of one page only: ASCII text (most of it) is folded by one str.lower(), other text one
character at a time with a map back to the original offsets.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from functools import lru_cache


def _fold_char(char: str) -> str:
    decomposed = unicodedata.normalize("NFKD", char)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def fold(text: str) -> tuple[str, list[int] | None]:
    """`text` without accents, case folded, and for each folded character its index in
    `text` (None when that is the same index: ASCII text)."""
    if text.isascii():
        return text.lower(), None
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = char.lower() if char.isascii() else _fold_char(char)
        out.append(piece)
        origin.extend([index] * len(piece))
    return "".join(out), origin


@lru_cache(maxsize=64)
def _pattern(words: tuple[str, ...]) -> re.Pattern[str] | None:
    folded = sorted({fold(w)[0] for w in words if w}, key=len, reverse=True)
    if not folded:
        return None
    # At a word start: not right after a letter or digit.
    return re.compile(r"(?<![^\W_])(?:" + "|".join(re.escape(w) for w in folded) + ")")


def spans(text: str, words: Sequence[str]) -> tuple[tuple[int, int], ...]:
    """Sorted, merged (start, end) offsets in `text` of each of `words` found at a word start."""
    if not text or not words:
        return ()
    pattern = _pattern(tuple(words))
    if pattern is None:
        return ()
    folded, origin = fold(text)
    found: list[tuple[int, int]] = []
    for match in pattern.finditer(folded):
        start, end = match.span()
        if origin is not None:
            start, end = origin[start], origin[end - 1] + 1
        if found and start <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((start, end))
    return tuple(found)
