"""`adviser bot`: the assistant in Telegram (long polling, or a webhook when configured)."""

from __future__ import annotations

import logging

import click


@click.command("bot")
def bot_cmd() -> None:
    """Start the Telegram bot (TELEGRAM_BOT_TOKEN; see .env.example for webhook and base URL)."""
    from bot.agent.factory import build_agent
    from bot.telegram.app import BotConfigError, check_token, check_webhook, run_bot, secret_of
    from knowledge.settings import get_settings

    settings = get_settings()
    try:
        check_token(secret_of(settings.telegram_bot_token))
        check_webhook(settings)
    except BotConfigError as exc:
        raise click.ClickException(str(exc)) from None
    if not settings.allowed_user_ids and not settings.admin_user_ids:
        click.echo("warning: ALLOWED_USER_IDS and ADMIN_USER_IDS are empty, so the bot refuses everyone.",
                   err=True)
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    agent = build_agent(settings)
    try:
        run_bot(settings, agent)
    finally:
        agent.close()


def register(group: click.Group) -> None:
    """Add this module's commands to the `adviser` group."""
    group.add_command(bot_cmd)
