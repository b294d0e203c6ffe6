"""`python -m ingest [PATH...]`: the same as `adviser ingest`."""

from __future__ import annotations

import argparse
import sys

from ingest.run import run_ingest


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m ingest",
        description="Ingest .txt .md .pdf .docx .html files into the knowledge base "
                    "(default: the shipped training material).",
    )
    parser.add_argument("paths", nargs="*", help="files or folders")
    prune = parser.add_mutually_exclusive_group()
    prune.add_argument("--prune", dest="prune", action="store_true", default=None,
                       help="remove sources from the store that are not among the files given")
    prune.add_argument("--no-prune", dest="prune", action="store_false",
                       help="never remove other sources (default when files, not folders, are given)")
    args = parser.parse_args(argv)
    return run_ingest(args.paths, prune=args.prune)


if __name__ == "__main__":
    sys.exit(main())
