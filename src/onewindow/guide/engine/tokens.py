"""Turning text into the terms the index counts: jieba words and character bigrams."""

import re
import unicodedata
from functools import lru_cache

# Words of a question that say nothing about which item is meant. Kept short on purpose:
# everything else is left to inverse document frequency.
STOPWORDS = frozenset({
    "我", "我们", "你", "你们", "他", "她", "想", "想要", "要", "需要",
    "得", "办", "办理", "办个", "办下", "去", "来", "的", "了", "吗",
    "呢", "吧", "啊", "呀", "么", "嘛", "什么", "啥", "哪些", "哪个",
    "哪里", "哪儿", "在哪", "在哪里", "怎么", "怎么办", "怎样", "如何", "怎么样",
    "请问", "问", "请", "一下", "一个", "个", "一家", "家", "能", "能不能",
    "可以", "可不可以", "是", "有", "没有", "和", "与", "及", "或", "还",
    "也", "都", "就", "该", "应该", "多久", "多长时间", "需要哪些", "手续",
    "流程", "材料", "什么样", "这个", "那个", "这", "那", "给", "被", "把",
    "对", "向", "从", "到", "后", "前", "时候", "现在", "相关", "有关",
    "关于", "等", "之", "其", "上", "下", "里", "中", "啥子", "咋",
    "咋办", "准备",
})
_WORD = re.compile(r"[0-9a-z\u3400-\u9fff]")
_RUN = re.compile(r"[0-9a-z\u3400-\u9fff]+")


def normalize(text: str) -> str:
    """Full-width to half-width, lower case, control characters to spaces, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    chars = (" " if unicodedata.category(c).startswith("C") else c for c in text)
    return " ".join("".join(chars).split())


def has_words(text: str) -> bool:
    """Whether there is anything to search for: a Chinese character, a letter or a digit."""
    return bool(_WORD.search(normalize(text)))


def words(text: str) -> tuple[str, ...]:
    """jieba's search-mode words (long words and their parts), without stopwords and symbols."""
    return _words(normalize(text))


# A pure function of its argument (the same text always gives the same words), so caching it
# cannot go stale; department names and common material names repeat across many items.
@lru_cache(maxsize=8192)
def _words(text: str) -> tuple[str, ...]:
    import jieba  # about 20 MB: loaded by a worker's first search, not by every worker

    out = []
    for token in jieba.lcut_for_search(text):
        token = token.strip()
        if token and token not in STOPWORDS and _WORD.search(token):
            out.append(token)
    return tuple(out)


def bigrams(text: str) -> list[str]:
    """Overlapping pairs of characters within each run of letters, digits and Chinese."""
    out = []
    for run in _RUN.findall(normalize(text)):
        if len(run) == 1:
            continue
        out.extend(run[i:i + 2] for i in range(len(run) - 1))
    return out
