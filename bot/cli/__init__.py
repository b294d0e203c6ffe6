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

    try:
        main()
        code = 0
    except SystemExit as stop:  # click ends every command this way
        code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        if stop.code is not None and not isinstance(stop.code, int):
            print(stop.code, file=sys.stderr)
    logging.shutdown()
    sys.stdout.flush()
    sys.stderr.flush()
    os._exit(code)
