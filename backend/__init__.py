"""Bedside: offline-first care documentation for elder-care homes."""

__all__ = ["create_app"]


def __getattr__(name):
    # Lazy, so that importing backend.domain (pure rules) does not pull in Flask and SQLAlchemy.
    if name == "create_app":
        from .app import create_app
        return create_app
    raise AttributeError(name)
