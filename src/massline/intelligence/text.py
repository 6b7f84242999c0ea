"""Text as the models see it: normalised, bounded, and judged for whether there is anything to read at all."""

from __future__ import annotations

import re
import unicodedata

MAX_CHARS = 4000  # the intake limit; a 100 KB paste is cut here, never fed whole to a model
_URL = re.compile(r"https?://\S+|www\.\S+", re.IGNORECASE)
_SPACE = re.compile(r"\s+")
_CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")
_LATIN = re.compile(r"[a-zA-Z]{2,}")


def normalise(text: str) -> str:
    """NFKC (full-width letters and digits to half-width), lower case, links dropped, white space collapsed,
    at most ``MAX_CHARS`` characters."""
    text = unicodedata.normalize("NFKC", (text or "")[: MAX_CHARS * 2])
    text = _URL.sub(" ", text.lower())
    return _SPACE.sub(" ", text).strip()[:MAX_CHARS]


def has_signal(text: str) -> bool:
    """Whether a message has words a text model can read: at least two Chinese characters or one Latin word.
    Emoji, digits and punctuation alone have none, and such a message goes to a person."""
    return len(_CJK.findall(text)) >= 2 or bool(_LATIN.search(text))
