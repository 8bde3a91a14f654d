"""The home's own figures: the monthly monitoring page (with CSV and PDF copies), the satisfaction comparison and
the caregiver load (carers' assignments per shift).

The figures are for the head of the home and the heads of unit: administrators, supervisors and planners read
them; activity staff, nurses and relatives do not (the page holds the care documentation's completion and the
reassessment backlog). Supervisors set a shift's carers; planners and administrators may look.
"""
from flask import Blueprint, Response
from flask_login import current_user

from .. import i18n
from ..domain import roles
from ..services import carers as carer_service
from ..services import monitoring as monitoring_service
from . import context
from .monitoring_schemas import (
    MonitoringFileQuerySchema,
    MonitoringQuerySchema,
    MonitoringSchema,
    ShiftInSchema,
    ShiftQuerySchema,
    ShiftSchema,
)
from .registry import route

bp = Blueprint("monitoring", __name__, url_prefix="/api/monitoring")
READ = roles.MONITORS
ASSIGN = roles.CARER_ASSIGNERS


def _lang(query):
    lang = query["lang"] or current_user.locale or current_user.home.locale or "ru"
    return lang if lang in ("ru", "zh_Hans", "en") else "ru"


@route(bp, "/month", roles=READ, query=MonitoringQuerySchema, response=MonitoringSchema,
       summary="The month's figures (whole home or one unit), each with its definition and target")
def month(query):
    return monitoring_service.month_page(context.ctx(), query["month"], query["unit_id"], i18n.translator,
                                         query["baseline"])


@route(bp, "/month.csv", roles=READ, query=MonitoringFileQuerySchema,
       summary="The month's figures as CSV (text/csv): key, figure, value, numerator, denominator, target, definition")
def month_csv(query):
    text, name = monitoring_service.month_csv(context.ctx(), query["month"], query["unit_id"], _lang(query),
                                              i18n.translator, query["baseline"])
    response = Response("\ufeff" + text, mimetype="text/csv")
    response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@route(bp, "/month.pdf", roles=READ, query=MonitoringFileQuerySchema,
       summary="The month's figures as a printable PDF (application/pdf)")
def month_pdf(query):
    return context.pdf_reply(*monitoring_service.month_pdf(
        context.ctx(), query["month"], query["unit_id"], _lang(query), context.pdf_fonts(), i18n.translator,
        query["baseline"]))


@route(bp, "/carers", roles=READ, query=ShiftQuerySchema, response=ShiftSchema,
       summary="A shift's carers (the unit's sitters): each resident's carer, the load per carer, warnings above "
               "10, residents without")
def shift(query):
    return carer_service.shift_view(current_user, query["unit_id"], query["day"], query["shift"])


@route(bp, "/carers", ["POST"], roles=ASSIGN, body=ShiftInSchema, response=ShiftSchema,
       summary="Set a shift's carers (replaces the shift's assignments; a resident left out has no carer)")
def set_shift(body):
    return carer_service.set_shift(context.ctx(), body["unit_id"], body["day"], body["shift"], body["assignments"])
