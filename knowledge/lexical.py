"""BM25 over Chinese tokens (bm25s): jieba words plus CJK character bigrams, English words and numbers.

Bigrams make the ranking robust to paraphrases that jieba segments differently ("资产配置" vs
"配置资产"); jieba words keep precision. bm25s stores the index as a sparse score matrix, saved and
loaded as numpy files (memory-mapped), so reopening a large store does not re-tokenize it.
"""

from __future__ import annotations

import json
import logging
import re
import shutil
from array import array
from bisect import bisect_left
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from functools import lru_cache
from itertools import count
from pathlib import Path

import numpy as np

from knowledge.keyed_arrays import pack_strings
from knowledge.types import Chunk, heading_of

_CJK_RUN = re.compile(r"[\u4e00-\u9fff]+")
_LATIN = re.compile(r"[A-Za-z]+|\d+(?:\.\d+)?")
_STOPWORDS = frozenset(
    "的 了 和 与 及 或 是 在 有 为 对 等 也 都 就 而 之 其 这 那 个 中 上 下 不 要 会 能 "
    "可以 一个 我们 你们 他们 客户 什么 怎么 哪些 如何 吗 呢 吧 啊 "
    "how what which the a an of to and or is are for in on with".split()
)
K1 = 1.5
B = 0.75
_META = "adviser-lexical.json"
# The vocabulary, saved next to bm25s's score matrix (whose own vocabulary file is left empty).
_TERM_FILES = {"blob": "terms.npy", "offsets": "term_offsets.npy", "ids": "term_ids.npy"}
# Bump when `tokenize` or `lexical_document` change: tokens stored by an older version are then ignored
# (the passage is tokenized again when the index is built) and saved indexes are rebuilt.
LEXICAL_VERSION = 1


@lru_cache(maxsize=1)
def _jieba():  # noqa: ANN202 - jieba has no types
    import jieba

    jieba.setLogLevel(logging.WARNING)  # it prints its dictionary loading otherwise
    jieba.initialize()
    return jieba


def tokenize(text: str) -> list[str]:
    """Tokens for BM25: jieba words (search mode), CJK bigrams, lower-cased Latin words and numbers."""
    jieba = _jieba()
    tokens: list[str] = []
    for run in _CJK_RUN.findall(text):
        tokens.extend(w for w in jieba.lcut_for_search(run) if w not in _STOPWORDS)
        tokens.extend(run[i:i + 2] for i in range(len(run) - 1))
    tokens.extend(w.lower() for w in _LATIN.findall(text) if w.lower() not in _STOPWORDS)
    return tokens


@lru_cache(maxsize=4096)
def _heading_tokens(heading: str) -> tuple[str, ...]:
    # Many passages share a heading: tokenizing it once saves a sixth of a large index's build.
    return tuple(tokenize(heading))


def lexical_document(chunk: Chunk) -> list[str]:
    """What BM25 indexes for a passage: its heading (title, section) and its text."""
    return [*_heading_tokens(heading_of(chunk)), *tokenize(chunk.text)]


def document_tokens(chunk: Chunk, stored: str) -> list[str]:
    """The passage's BM25 tokens: those stored with it at ingest (`stored`, space-joined) when current, else
    tokenized now."""
    return stored.split(" ") if stored else lexical_document(chunk)


# Documents per block when building the score matrix: bounds the build's temporary arrays (tens of MB).
_BUILD_BLOCK = 4096


def _block_pairs(documents: Sequence[array], lengths: np.ndarray,
                 n_vocab: int) -> Iterator[tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """Per block of documents: the (document, token) pairs that occur, document-major, and their counts."""
    for start in range(0, len(documents), _BUILD_BLOCK):
        block = documents[start:start + _BUILD_BLOCK]
        end = start + len(block)
        # array("i") holds C ints: read in place, no copy per document.
        tokens = np.concatenate([np.frombuffer(d, dtype=np.intc) for d in block]).astype(np.int64)
        docs = np.repeat(np.arange(start, end, dtype=np.int64), lengths[start:end])
        pairs, tf = np.unique(docs * n_vocab + tokens, return_counts=True)
        yield (pairs // n_vocab).astype(np.int32), (pairs % n_vocab).astype(np.int32), tf.astype(np.float32)


def lucene_score_matrix(documents: Sequence[array], n_vocab: int, k1: float,
                        b: float) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """The BM25 (Lucene idf) score of each (document, token) pair as a CSC matrix's data, indices and
    indptr (a column per token, its documents ascending), built with numpy.

    The same numbers as bm25s's own build, which counts every document in a Python loop: that loop was
    most of a 100,000-passage index's build. Two passes over the documents, a block at a time: the first
    counts each token's documents (its idf and its column's length), the second writes each block's
    scores straight into their columns. The build so holds the finished arrays and one block's
    temporaries, never the whole corpus's (document, token, count) triples and their concatenation,
    which were most of a large store's peak memory on first open.
    """
    lengths = np.fromiter((len(d) for d in documents), dtype=np.int64, count=len(documents))
    n_docs = len(documents)
    df = np.zeros(n_vocab, dtype=np.int64)
    for _, tokens, _ in _block_pairs(documents, lengths, n_vocab):
        df += np.bincount(tokens, minlength=n_vocab)
    indptr = np.zeros(n_vocab + 1, dtype=np.int64)
    np.cumsum(df, out=indptr[1:])
    data = np.empty(indptr[-1], dtype=np.float32)
    indices = np.empty(indptr[-1], dtype=np.int32)
    idf = np.log(1 + (n_docs - df + 0.5) / (df + 0.5)).astype(np.float32)
    norm = (k1 * ((1 - b) + b * lengths / max(lengths.mean(), 1e-9))).astype(np.float32)
    free = indptr[:-1].copy()  # each column's next free slot
    for docs, tokens, tf in _block_pairs(documents, lengths, n_vocab):
        scores = idf[tokens] * (tf / (norm[docs] + tf))
        # Column-major; a stable sort keeps each column's documents ascending, as the blocks come.
        order = np.argsort(tokens, kind="stable")
        docs, tokens, scores = docs[order], tokens[order], scores[order]
        counts = np.bincount(tokens, minlength=n_vocab)
        # An entry's slot: its column's next free one plus its rank among this block's entries of the column.
        rank = np.arange(len(tokens)) - (np.cumsum(counts) - counts)[tokens]
        slots = free[tokens] + rank
        data[slots] = scores
        indices[slots] = docs
        free += counts
    return data, indices, indptr


@lru_cache(maxsize=1)
def _bm25_class() -> type:
    import bm25s

    class VectorizedBM25(bm25s.BM25):
        """bm25s with its documented build hook (`build_index_from_ids`) done by numpy."""

        def build_index_from_ids(self, unique_token_ids: list[int], corpus_token_ids: list[array],
                                 show_progress: bool = True, leave_progress: bool = False) -> dict:
            data, indices, indptr = lucene_score_matrix(corpus_token_ids, len(unique_token_ids), self.k1,
                                                        self.b)
            self.nonoccurrence_array = None  # as bm25s's build sets it for Lucene scoring
            # astype(copy=False): the arrays are already of bm25s's default dtypes; no second copy.
            return {"data": data.astype(self.dtype, copy=False),
                    "indices": indices.astype(self.int_dtype, copy=False),
                    # scipy's rule, as bm25s's own build saves it: 32-bit offsets while they fit.
                    "indptr": indptr.astype(np.int32) if indptr[-1] <= np.iinfo(np.int32).max else indptr,
                    "num_docs": len(corpus_token_ids)}

    return VectorizedBM25


class TermIds:
    """Each indexed token's id, found by binary search over the tokens' UTF-8 bytes in sorted order (code
    point order is UTF-8 byte order). bm25s keeps its vocabulary as a dict and a set of ids: for the half
    a million tokens of a 100,000-passage store that took 107 MB; these arrays take 10 MB, memory-mapped
    when loaded, so only the pages a search reads are held."""

    def __init__(self, blob: np.ndarray, offsets: np.ndarray, ids: np.ndarray) -> None:
        self._blob = blob
        self._view = memoryview(blob)
        self._offsets = offsets
        self._ids = ids
        self._positions = range(len(ids))

    @classmethod
    def of(cls, vocabulary: dict[str, int]) -> TermIds:
        terms = sorted(vocabulary)
        blob, offsets = pack_strings(terms)
        return cls(blob, offsets, np.fromiter(map(vocabulary.__getitem__, terms), dtype=np.int32,
                                              count=len(terms)))

    @classmethod
    def load(cls, folder: Path) -> TermIds:
        arrays = {name: np.load(folder / file, mmap_mode="r") for name, file in _TERM_FILES.items()}
        return cls(**arrays)

    def save(self, folder: Path) -> None:
        arrays = {"blob": self._blob, "offsets": self._offsets, "ids": self._ids}
        for name, file in _TERM_FILES.items():
            np.save(folder / file, arrays[name])

    def ids(self, tokens: Iterable[str]) -> list[int]:
        """The ids of the tokens that were indexed, in order (a repeated token again)."""
        found = []
        for token in tokens:
            wanted = token.encode("utf-8", "surrogatepass")
            at = bisect_left(self._positions, wanted, key=self._term)
            if at < len(self._ids) and self._term(at) == wanted:
                found.append(int(self._ids[at]))
        return found

    def _term(self, position: int) -> bytes:
        return self._view[self._offsets[position]:self._offsets[position + 1]].tobytes()


class BM25Index:
    """Okapi BM25 (k1=1.5, b=0.75, Lucene idf) over a fixed list of documents, backed by bm25s."""

    def __init__(self, documents: Iterable[Sequence[str]]) -> None:
        # Each document becomes a compact array of token ids as it arrives, so 100,000 chunks never
        # hold every token string (or a Python int per token) at once. A defaultdict numbering new
        # tokens keeps the mapping in C (a Python call per token was a fifth of a large build).
        vocabulary: defaultdict[str, int] = defaultdict(count().__next__)
        ids_per_document = [array("i", map(vocabulary.__getitem__, tokens)) for tokens in documents]
        self.size = len(ids_per_document)
        self._model = None
        self._terms = TermIds.of(vocabulary)
        if self.size and vocabulary:
            model = _bm25_class()(k1=K1, b=B, method="lucene")
            model.index((ids_per_document, dict(vocabulary)), create_empty_token=False, show_progress=False)
            model.vocab_dict, model.unique_token_ids_set = {}, set()  # looked up in `TermIds` instead
            self._model = model

    @classmethod
    def load(cls, folder: Path) -> BM25Index:
        """An index saved by `save` (memory-mapped); raises OSError/ValueError when unreadable."""
        import bm25s

        meta = json.loads((folder / _META).read_text(encoding="utf-8"))
        index = cls.__new__(cls)
        index.size = int(meta["size"])
        index._model = (bm25s.BM25.load(str(folder), mmap=True, load_vocab=False, show_progress=False,
                                        verbosity=0) if meta["indexed"] else None)
        index._terms = TermIds.load(folder) if meta["indexed"] else TermIds.of({})
        return index

    def save(self, folder: Path) -> None:
        """Write the index to `folder` atomically (a sibling temp folder renamed into place)."""
        temporary = folder.with_name(folder.name + ".tmp")
        shutil.rmtree(temporary, ignore_errors=True)
        temporary.mkdir(parents=True)
        if self._model is not None:
            self._model.save(str(temporary), show_progress=False)
            self._terms.save(temporary)
        (temporary / _META).write_text(json.dumps({"size": self.size, "indexed": self._model is not None}),
                                       encoding="utf-8")
        shutil.rmtree(folder, ignore_errors=True)
        temporary.rename(folder)

    def scores(self, query_tokens: Sequence[str]) -> np.ndarray:
        """BM25 score of every document for these tokens (a repeated token counts again)."""
        if self._model is None:
            return np.zeros(self.size, dtype=np.float32)
        ids = self._terms.ids(query_tokens)
        if not ids:
            return np.zeros(self.size, dtype=np.float32)
        return self._model.get_scores_from_ids(ids)

    def top(self, query_tokens: Sequence[str], k: int, *, extra_tokens: Sequence[str] = (),
            extra_weight: float = 0.5) -> list[tuple[int, float]]:
        """Best (document index, score) pairs, highest first; documents sharing no token are left out.

        extra_tokens (synonyms of the query's terms) count `extra_weight` times a query token.
        """
        if not self.size:
            return []
        scores = self.scores(query_tokens)
        if extra_tokens:
            scores = scores + extra_weight * self.scores(extra_tokens)
        candidates = np.flatnonzero(scores > 0)
        if candidates.size > k:
            candidates = candidates[np.argpartition(-scores[candidates], k)[:k]]
        ranked = sorted(candidates.tolist(), key=lambda i: -scores[i])
        return [(i, float(scores[i])) for i in ranked]
