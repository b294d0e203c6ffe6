"""`python -m ingest [PATH...]`: the same as `adviser ingest`."""

from __future__ import annotations

import argparse
import sys

from ingest.run import run_ingest
from ingest.wording import HELP_HELP, INGEST_HELP, NO_PRUNE_HELP, PATHS_HELP, PRUNE_HELP


def main(argv: list[str] | None = None) -> int:
    # add_help=False: argparse's own -h says "show this help message and exit"; ours says it in Chinese.
    # The raw formatter keeps the help's two paragraphs apart (the default one joins them).
    parser = argparse.ArgumentParser(prog="python -m ingest", description=INGEST_HELP, add_help=False,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-h", "--help", action="help", help=HELP_HELP)
    parser.add_argument("paths", nargs="*", help=PATHS_HELP)
    prune = parser.add_mutually_exclusive_group()
    prune.add_argument("--prune", dest="prune", action="store_true", default=None, help=PRUNE_HELP)
    prune.add_argument("--no-prune", dest="prune", action="store_false", help=NO_PRUNE_HELP)
    args = parser.parse_args(argv)
    return run_ingest(args.paths, prune=args.prune)


if __name__ == "__main__":
    sys.exit(main())
