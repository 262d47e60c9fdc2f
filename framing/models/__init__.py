"""Small shipped models (plain JSON) and their model cards; training scripts live in ``scripts/``."""
