"""Files -> text -> clean -> articles -> chunks -> knowledge store (`ingest_paths`, `python -m ingest`)."""
