"""kit: plain-text workshop content in, print-ready PDFs (and calendars) out."""

__version__ = "0.1.0"
