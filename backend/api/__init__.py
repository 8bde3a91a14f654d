"""The JSON API: one blueprint per resource, registered in one place."""
from . import auth, cards, days, openapi, organisation, sync

BLUEPRINTS = (auth.bp, organisation.bp, cards.bp, sync.bp, days.bp, openapi.bp)


def register(app):
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
