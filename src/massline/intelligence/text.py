"""Text as the models see it: normalised, bounded, and judged for whether there is anything to read at all."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

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


def title_and_text(title: str, text: str) -> str:
    """What the models read of an appeal: its title, then its description."""
    return f"{title}。{text}"


def appeal_text(appeal: Any) -> str:
    return title_and_text(appeal.title, appeal.description)


def has_signal(text: str) -> bool:
    """Whether a message has words a text model can read: at least two Chinese characters or one Latin word.
    Emoji, digits and punctuation alone have none, and such a message goes to a person."""
    return len(_CJK.findall(text)) >= 2 or bool(_LATIN.search(text))


_CJK_RUN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]+")
_WORD = re.compile(r"[0-9a-z]{3,}")
# Bigrams in almost every appeal; sharing them says nothing.
STOP_BIGRAMS = frozenset(
    {"我们", "你们", "他们", "问题", "反映", "希望", "请求", "要求", "解决", "处理", "没有", "现在", "已经",
     "这个", "那个", "什么", "可以", "一下", "市民", "来电", "咨询", "情况", "相关", "部门", "一个", "因为",
     "所以", "但是", "如何", "怎么", "是否", "的问", "题。", "了。"}
)  # fmt: skip


def text_bigrams(text: str) -> frozenset[str]:
    """Character bigrams of every run of Chinese characters, and the lower-cased Latin words of 3+ letters."""
    grams: set[str] = set()
    for run in _CJK_RUN.findall(text):
        grams.update(run[i : i + 2] for i in range(len(run) - 1))
    grams.update(_WORD.findall(text.lower()))
    return frozenset(grams - STOP_BIGRAMS)
