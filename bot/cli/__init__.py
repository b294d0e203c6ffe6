"""The `adviser` command: wiring only. Each room registers its own subcommands module."""

from __future__ import annotations

import click

from bot.cli import (
    agent_cmds,
    bot_cmds,
    governance_cmds,
    ingest_cmds,
    model_cmds,
    notes_cmds,
    playbook_cmds,
    search_cmds,
    tracker_cmds,
)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Adviser Desk: training knowledge, coaching and a client tracker for wealth advisers."""


for module in (model_cmds, ingest_cmds, search_cmds, notes_cmds, tracker_cmds, governance_cmds, agent_cmds,
               bot_cmds, playbook_cmds):
    module.register(main)


def invoke() -> int:
    """Run the command line; its exit status. A malformed data file or an unreachable store is told in its
    own words (which name the file and entry, or where and what to do), not as a traceback."""
    import sys

    from knowledge.errors import DataFileError, ServiceUnavailable

    try:
        main()
    except SystemExit as stop:  # click ends every command this way
        if stop.code is not None and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
        return stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
    except (DataFileError, ServiceUnavailable) as error:
        print(f"错误：{error}", file=sys.stderr)
        return 1
    return 0


def run() -> None:
    """The console script: `main`, then a quick exit.

    Freeing the embedding model's tokenizer (a 250,000-entry trie) takes about 2 s at interpreter
    shutdown, after everything has been written and closed. A one-shot command like `adviser ask` should
    not make its caller wait for that, so once the command has finished and the output is flushed, the
    process ends without the teardown.
    """
    import logging
    import os
    import sys

    code = invoke()
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
