"""The toolkit's version (also reported by ``framing --version`` and recorded in every run)."""

__version__ = "0.1.0"
