"""The application factory."""
import os
from datetime import datetime, timezone

from flask import Flask, g, session

from . import api, compression, config as config_module, database, errors, i18n, security, web
from .domain import vitals
from .extensions import babel, db, login_manager, migrate
from .services import auth as auth_service

MIGRATIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "migrations")



def _utc_now():
    return datetime.now(timezone.utc)


def create_app(config=None):
    """Create the app. `config` overrides defaults and the environment (tests pass their own)."""
    app = Flask(__name__, instance_path=os.environ.get("BEDSIDE_INSTANCE") or None, static_folder=None)
    app.url_map.converters["int"] = errors.IdConverter  # before any route is added
    app.config.update(config_module.load(os.environ, app.instance_path, config))
    app.config.setdefault("CLOCK", _utc_now)
    if app.config["CLOCK"] is None:
        app.config["CLOCK"] = _utc_now
    app.json.ensure_ascii = False
    app.json.sort_keys = False
    app.extensions["bedside.vitals"] = vitals.load_definition()
    i18n.compile_catalogs(app.config["BABEL_TRANSLATION_DIRECTORIES"])

    db.init_app(app)
    with app.app_context():
        database.bound_answers(db.engine, app.config["DATABASE_ANSWER_TIMEOUT"])
    migrate.init_app(app, db, directory=MIGRATIONS, render_as_batch=True)
    login_manager.init_app(app)
    babel.init_app(app, locale_selector=i18n.select_locale, default_translation_directories=app.config[
        "BABEL_TRANSLATION_DIRECTORIES"])

    @login_manager.request_loader
    def load_from_session(_request):
        user, record = auth_service.resolve(session.get("sid"), app.config["CLOCK"](),
                                            app.config["SESSION_IDLE_SECONDS"], app.config["SESSION_ABSOLUTE_SECONDS"])
        g.user_session = record
        return user

    errors.register(app)
    api.register_boundary(app)  # first: the CSRF check audits the tablet's header
    security.register(app)
    compression.register(app)
    api.register(app)
    app.register_blueprint(web.bp)
    return app
