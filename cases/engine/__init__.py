"""The pure case engine: case schema and validation, attempt state machine, scoring (no Django)."""
