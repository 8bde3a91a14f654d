"""Serves the PWA: the app shell, the service worker with its version, and catalogs as JSON."""
import hashlib
import os

from flask import Blueprint, abort, current_app, jsonify, send_from_directory

from . import i18n

bp = Blueprint("web", __name__)
#: Files served from frontend/ (the app shell). Anything else there is not served.
SHELL_SUFFIXES = (".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".svg", ".png", ".woff2")


def shell_files(frontend_dir):
    """Relative paths of every app-shell file under frontend/, sorted."""
    out = []
    for root, _dirs, files in os.walk(frontend_dir):
        for name in files:
            if name.endswith(SHELL_SUFFIXES):
                out.append(os.path.relpath(os.path.join(root, name), frontend_dir).replace(os.sep, "/"))
    return sorted(out)


def shell_version(frontend_dir, translations_dir):
    """A hash of every shell file and catalog: any change makes a new service-worker version."""
    digest = hashlib.sha256()
    for rel in shell_files(frontend_dir):
        digest.update(rel.encode())
        with open(os.path.join(frontend_dir, rel), "rb") as fh:
            digest.update(fh.read())
    for locale in i18n.LOCALES:
        path = os.path.join(translations_dir, locale, "LC_MESSAGES", "messages.po")
        if os.path.exists(path):
            with open(path, "rb") as fh:
                digest.update(fh.read())
    return digest.hexdigest()[:12]


def _version():
    cfg = current_app.config
    if "SHELL_VERSION" not in current_app.extensions:
        current_app.extensions["SHELL_VERSION"] = shell_version(cfg["FRONTEND_DIR"], cfg["BABEL_TRANSLATION_DIRECTORIES"])
    return current_app.extensions["SHELL_VERSION"]


@bp.route("/")
def index():
    return _static("index.html")


@bp.route("/sw.js")
def service_worker():
    with open(os.path.join(current_app.config["FRONTEND_DIR"], "sw.js"), encoding="utf-8") as fh:
        body = fh.read().replace("__SHELL_VERSION__", _version())
    response = current_app.response_class(body, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    response.headers["Service-Worker-Allowed"] = "/"
    return response


@bp.route("/version.json")
def version():
    response = jsonify({"version": _version()})
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/i18n/<locale>.json")
def catalog(locale):
    """/i18n/ru.json: the strings of the nurse's app; /i18n/ru.rest.json: the others (backend/i18n.py)."""
    locale, _dot, part = locale.partition(".")
    if locale not in i18n.LOCALES or part not in ("", "rest"):
        abort(404)
    response = jsonify(i18n.catalog_json(locale, part or "shell"))
    response.headers["Cache-Control"] = "no-cache"
    return response


@bp.route("/<path:path>")
def _static(path):
    if not path.endswith(SHELL_SUFFIXES) or path == "sw.js":
        abort(404)
    response = send_from_directory(current_app.config["FRONTEND_DIR"], path)
    response.headers["Cache-Control"] = "no-cache"
    return response
