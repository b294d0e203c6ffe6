"""m004: an audit trail written before cost metering upgrades in place; old answers read as no model calls."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

from sqlalchemy import create_engine, text

from bot.tracker import migrations
from bot.tracker.records import AuditRecord
from bot.tracker.service import Tracker


def test_an_old_audit_table_gains_the_cost_columns(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'tracker.db'}"
    engine = create_engine(url)
    migrations.migrate(engine, until="m003_client_changes")
    with engine.begin() as conn:
        conn.execute(text("INSERT INTO audit_records (adviser_id, at, intent, backend, source_ids, answer, "
                          "guardrails) VALUES (1, '2026-03-01 02:00:00', 'objection', 'offline', '[]', "
                          "'旧的回答', '[]')"))
    engine.dispose()
    tracker = Tracker(url)
    try:
        long_model = "m" * 60  # wider than the first schema's 40-character backend column
        tracker.record_audit(AuditRecord(adviser_id=1, at=datetime(2026, 3, 2, 10, 0), intent="knowledge",
                                         backend=f"openai:{long_model}", source_ids=[], answer="新的",
                                         guardrails=[], model_calls=3, tokens=1234, model=long_model))
        old, new = tracker.audit_records(1)
    finally:
        tracker.close()
    assert (old.model_calls, old.tokens, old.model, old.fallback_reason) == (0, 0, None, None)
    assert (new.model_calls, new.tokens, new.model) == (3, 1234, long_model)
