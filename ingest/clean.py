"""Cleaning rules for scraped training material: page furniture, PDF spacing, width forms, duplicates.

Rules are patterns about how web pages, slide exports and PDF extraction damage text, not a list of the
shipped corpus's sentences, so they also hold for the next document an adviser drops in.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

import numpy as np

# Han ideographs plus the CJK punctuation that survives NFKC (。、“”《》【】 ...).
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\u3001-\u303f\u2018\u2019\u201c\u201d\u2026\u2014"
_CJK_CHAR = re.compile(f"[{_CJK}]")
_SPACE_BETWEEN_CJK = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[{_CJK}])")
# "太多了 ,公司" / "( 客户" : no space before closing or after opening ASCII punctuation next to Chinese.
_SPACE_BEFORE_PUNCT = re.compile(f"(?<=[{_CJK}])[ \t]+(?=[,.;:!?)\\]%])")
_SPACE_AFTER_OPEN = re.compile(f"(?<=[(\\[])[ \t]+(?=[{_CJK}])")
_SPACE_AFTER_PUNCT = re.compile(f"(?<=[,;:!?])[ \t]+(?=[{_CJK}])")
_SPACE_BEFORE_PERCENT = re.compile(r"(?<=\d)[ \t]+(?=%)")
_INVISIBLE = re.compile("[\u200b-\u200f\u2028\u2029\u2060\ufeff\ufffd\ue000-\uf8ff]")
_RUNS_OF_SPACE = re.compile(r"[ \t\u00a0\u3000]+")
# Slide bullets glued inline ("•存款利率优惠:...;•消费信用额度提升:...") become one item per line.
_INLINE_BULLET = re.compile(r"\s*[•●■◆❖★▪►✓✔]\s*")
# Markdown markup around a line's text: "## 标题", "> 引用", "- 条目", "**重点**".
_MARKDOWN_PREFIX = re.compile(r"^(?:#{1,6}\s+|>\s*|[-*+]\s+(?=\S))")
_MARKDOWN_EMPHASIS = re.compile(r"\*\*|__")

# --- furniture --------------------------------------------------------------------------------------
_PAGE_NUMBER = re.compile(
    r"^(?:\d{1,3}|第\s*\d+\s*页|-\s*\d+\s*-|\d+\s*/\s*\d+|(?:page|p\.)\s*\d+(?:\s*(?:of|/)\s*\d+)?)$",
    re.IGNORECASE,
)
_TIMESTAMP_OR_DATE = re.compile(r"^(?:\d{1,2}:\d{2}(?::\d{2})?|\d{4}[-/.]\d{1,2}[-/.]\d{1,2})$")
# A line of empty form labels ("汇报人: 日期:").
_EMPTY_LABELS = re.compile(r"^(?:[^\s::]{1,5}[::]\s*)+$")
# Site navigation and slide-deck closers: a whole line that is nothing but one of these words.
_NAV_LINE = re.compile(
    r"^(?:首页|主页|会员|我的|客服|返回|提示|发布|登录|注册|目录|上一页|下一页|上一篇|下一篇"
    r"|分享|收藏|点赞|评论|举报|更多|展开|收起|全文|打印|关闭|确定|取消"
    r"|AI总结|讲师介绍|要点回顾|用户评价|关键词|全文摘要|章节速览|思维导图|要点"
    r"|课程咨询|课程介绍|继续教育|学习|立即学习"
    r"|(?:相关|最新|热门|推荐|精选)(?:文档|文章|资料|课程|推荐|阅读)|猜你喜欢"
    r"|(?:thanks?|thank you)(?: for (?:watching|listening|your attention))?"
    r"|谢谢(?:您的)?(?:观看|聆听|大家)?|感谢(?:您的)?(?:观看|聆听)|the end)[!!。.]*$",
    re.IGNORECASE,
)
# Phrases that only web shops, document sites and course platforms print.
_SITE_PHRASES = [re.compile(p, re.IGNORECASE) for p in (
    r"下载", r"购物车", r"(?:立即|已|您|直接)购买", r"登录|注册", r"学时", r"订单|付款|支付成功",
    r"扫码|二维码|公众号", r"vip|开通.{0,6}会员", r"(?:点击|展开|阅读)(?:全文|更多|查看)", r"版权|侵权",
    r"预览", r"个人信息|用户名|昵称|实名", r"认证讲师", r"商品", r"尚未完善|(?:完善|更新).{0,6}信息",
    r"\S返回$", r"进度条|弹窗", r"^(?:扩展|延伸|推荐|相关)阅读",
    r"浏览量|阅读量|\d+\s*人(?:已)?(?:阅读|下载|学习)",
)]
# Disclaimers of document-sharing sites: one of these anywhere marks the line.
_DISCLAIMER = re.compile(
    r"自行甄别|仅部分预览|侵犯您的权益|人工客服|来说两句|还没有评论|版权归|未经授权|转载请"
)


def normalize_width(text: str) -> str:
    """Full-width letters, digits and punctuation -> ASCII (NFKC), so one passage has one spelling.

    NFKC leaves 。、“”《》 alone, which is what we want: they have no ASCII twin a reader would accept.
    """
    return unicodedata.normalize("NFKC", text)


def repair_spacing(line: str) -> str:
    """Remove spaces PDF extraction put inside Chinese ("资产 私密性" -> "资产私密性").

    English words, and Chinese next to Latin letters or numbers, keep their spaces.
    """
    line = _RUNS_OF_SPACE.sub(" ", line).strip()
    line = _SPACE_BETWEEN_CJK.sub("", line)
    line = _SPACE_BEFORE_PUNCT.sub("", line)
    line = _SPACE_AFTER_OPEN.sub("", line)
    line = _SPACE_BEFORE_PERCENT.sub("", line)
    return _SPACE_AFTER_PUNCT.sub("", line)


def is_furniture(line: str) -> bool:
    """True for page numbers, navigation, shop/login/download text and site disclaimers."""
    stripped = line.strip(" -–—*>#|")
    if not stripped:
        return True
    if _PAGE_NUMBER.match(stripped) or _TIMESTAMP_OR_DATE.match(stripped) or _NAV_LINE.match(stripped):
        return True
    if _EMPTY_LABELS.match(stripped) or _DISCLAIMER.search(stripped):
        return True
    hits = sum(1 for pattern in _SITE_PHRASES if pattern.search(stripped))
    # A short line with one shop word is UI; a paragraph needs several before we call it an advert.
    return hits >= 1 and len(stripped) <= 40 or hits >= 3


def _split_bullets(line: str) -> list[str]:
    parts = [part.strip() for part in _INLINE_BULLET.split(line)]
    return [part for part in parts if part]


def clean_lines(text: str) -> list[str]:
    """Raw text -> cleaned lines. "" marks a paragraph break (kept: article detection reads it)."""
    text = normalize_width(text.replace("\r\n", "\n").replace("\r", "\n"))
    text = _INVISIBLE.sub("", text)
    lines: list[str] = []
    for raw in text.split("\n"):
        line = repair_spacing(_MARKDOWN_EMPHASIS.sub("", _MARKDOWN_PREFIX.sub("", raw.strip())))
        if not line:
            if lines and lines[-1] != "":
                lines.append("")
            continue
        for part in _split_bullets(line):
            part = repair_spacing(part)
            if part and not is_furniture(part):
                lines.append(part)
    while lines and lines[-1] == "":
        lines.pop()
    while lines and lines[0] == "":
        lines.pop(0)
    return lines


# --- duplicates -------------------------------------------------------------------------------------
_NOT_CONTENT = re.compile(r"[\s\W_]+", re.UNICODE)
_SHORT = 12          # below this many content characters a line is a heading/label, compared exactly
_NEAR_DUPLICATE = 0.8  # character-bigram Jaccard above which two paragraphs say the same thing


def content_key(line: str) -> str:
    """What a line says, without spacing and punctuation: the key duplicates are compared on."""
    return _NOT_CONTENT.sub("", line).lower()


# MinHash with locality-sensitive bands: a paragraph is compared only with the few earlier ones that share
# a band, so a file costs time linear in its length. 16 bands of 4 rows find a pair at Jaccard 0.8 with
# probability 0.9998; every candidate is confirmed with the exact Jaccard, so no false positives.
_BANDS = 16
_ROWS = 4
_PRIME = (1 << 31) - 1
_RANDOM = np.random.default_rng(20240607)  # fixed: the same file is deduplicated the same way every run
_MULTIPLIERS = _RANDOM.integers(1, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
_OFFSETS = _RANDOM.integers(0, _PRIME, size=_BANDS * _ROWS, dtype=np.uint64)
_MAX_CANDIDATES = 32  # per band: a bucket of many near-identical lines says enough after that many


def _bigrams(key: str) -> np.ndarray:
    """The distinct character bigrams of `key` as sorted integers (code points packed in 42 bits)."""
    codes = np.frombuffer(key.encode("utf-32-le"), dtype=np.uint32).astype(np.uint64)
    return np.unique((codes[:-1] << np.uint64(21)) | codes[1:])


def _jaccard(a: np.ndarray, b: np.ndarray) -> float:
    if not a.size or not b.size:
        return 0.0
    shared = np.intersect1d(a, b, assume_unique=True).size
    return shared / (a.size + b.size - shared)


def _band_keys(grams: np.ndarray) -> list[bytes]:
    values = (grams % np.uint64(_PRIME))[None, :]
    signature = ((_MULTIPLIERS[:, None] * values + _OFFSETS[:, None]) % np.uint64(_PRIME)).min(axis=1)
    return [signature[band * _ROWS:(band + 1) * _ROWS].tobytes() for band in range(_BANDS)]


class Deduplicator:
    """Drops lines already said: exact repeats (any length) and near repeats of longer paragraphs.

    One instance per file: a paragraph repeated in a later article of the same scrape is still a repeat.
    `reset_short()` at an article start lets headings recur in the next article.
    """

    def __init__(self) -> None:
        self._seen_short: set[str] = set()
        self._seen_long: set[str] = set()
        self._long_grams: list[np.ndarray] = []
        self._buckets: list[dict[bytes, list[int]]] = [{} for _ in range(_BANDS)]

    def reset_short(self) -> None:
        self._seen_short.clear()

    def _near_duplicate(self, grams: np.ndarray, keys: list[bytes]) -> bool:
        checked: set[int] = set()
        for band, key in enumerate(keys):
            for other in self._buckets[band].get(key, ())[:_MAX_CANDIDATES]:
                if other not in checked:
                    checked.add(other)
                    if _jaccard(grams, self._long_grams[other]) >= _NEAR_DUPLICATE:
                        return True
        return False

    def keep(self, line: str) -> bool:
        key = content_key(line)
        if not key:
            return False
        if len(key) < _SHORT:
            if key in self._seen_short:
                return False
            self._seen_short.add(key)
            return True
        if key in self._seen_long:
            return False
        grams = _bigrams(key)
        keys = _band_keys(grams)
        if self._near_duplicate(grams, keys):
            return False
        self._seen_long.add(key)
        index = len(self._long_grams)
        self._long_grams.append(grams)
        for band, band_key in enumerate(keys):
            self._buckets[band].setdefault(band_key, []).append(index)
        return True

    def filter(self, lines: Iterable[str]) -> list[str]:
        return [line for line in lines if self.keep(line)]


def has_cjk(text: str) -> bool:
    return bool(_CJK_CHAR.search(text))
