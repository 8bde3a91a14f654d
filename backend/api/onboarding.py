"""Bulk onboarding: staff and residents imported from CSV (services/onboarding.py), by the home's administrators.

A template per kind and language; a dry run that lists every problem by line and column; a real import that
writes only a file whose every row is valid (else 400 `import_invalid`, with `problems` and `rows` in the error's
body) and changes nothing the second time.
"""
from flask import Blueprint, Response
from flask_babel import gettext as _
from flask_login import current_user

from ..domain import roles
from ..errors import ApiError
from ..services import onboarding as onboarding_service
from . import context
from .onboarding_schemas import ImportBodySchema, ImportResultSchema, TemplateQuerySchema
from .registry import route

bp = Blueprint("onboarding", __name__, url_prefix="/api/import")
MANAGERS = roles.ADMINISTRATION


def _kind(kind):
    if kind not in onboarding_service.KINDS:
        raise ApiError(404, "not_found", _("Import staff or residents."))
    return kind


@route(bp, "/<kind>/template.csv", roles=MANAGERS, query=TemplateQuerySchema,
       summary="The header row of an import file (kind: staff or residents) in a language, as CSV (text/csv, "
               "UTF-8 with a byte-order mark; `;` for Russian, `,` otherwise)")
def template(kind, query):
    kind = _kind(kind)
    lang = query["lang"] or current_user.locale or current_user.home.locale or "en"
    response = Response("\ufeff" + onboarding_service.template(kind, lang), mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="bedside-{kind}-{lang}.csv"'
    return response


@route(bp, "/<kind>", ["POST"], roles=MANAGERS, body=ImportBodySchema, response=ImportResultSchema,
       summary="Import staff or residents from CSV: a dry run lists every problem by line and column; a real "
               "import writes every new row in one transaction, only when all are valid (else 400 import_invalid "
               "with `problems`); rows already held count as unchanged")
def run(kind, body):
    return onboarding_service.run(context.ctx(), _kind(kind), body["csv"], body["dry_run"])
