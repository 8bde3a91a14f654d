"""Bedside: offline-first care documentation for elder-care homes.

The application factory is `backend.app.create_app`. This package file imports nothing, so that the
pure rules in `backend.domain` load without Flask or SQLAlchemy.
"""
