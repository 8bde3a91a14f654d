"""Bedside: offline-first care documentation for elder-care homes."""
from .app import create_app

__all__ = ["create_app"]
