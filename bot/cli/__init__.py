"""The `adviser` command: wiring only. Each room registers its own subcommands module."""

from __future__ import annotations

import click

from bot.cli import agent_cmds, bot_cmds, ingest_cmds, model_cmds, notes_cmds, search_cmds, tracker_cmds


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
def main() -> None:
    """Adviser Desk: training knowledge, coaching and a client tracker for wealth advisers."""


for module in (model_cmds, ingest_cmds, search_cmds, notes_cmds, tracker_cmds, agent_cmds, bot_cmds):
    module.register(main)
