"""The resident's personal file («личное дело по СДУ», 004 §3.3): on screen and as a PDF."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import personal_file as service
from . import context
from .personal_file_schemas import PdfQuerySchema, PersonalFileSchema
from .registry import route

bp = Blueprint("personal_file", __name__, url_prefix="/api/residents")
READ = roles.FILE_READERS


@route(bp, "/<int:resident_id>/file", roles=READ, response=PersonalFileSchema,
       summary="A resident's personal file: her record, assessments, care-group decisions, plan versions with their "
               "changes, closed cards")
def personal_file(resident_id):
    return service.personal_file(context.ctx(), resident_id)


@route(bp, "/<int:resident_id>/file.pdf", roles=READ, query=PdfQuerySchema,
       summary="The personal file printed (application/pdf)")
def personal_file_pdf(resident_id, query):
    lang = query["lang"] or current_user.locale or current_user.home.locale or "ru"
    return context.pdf_reply(*service.printable_file(context.ctx(), resident_id, lang, context.pdf_fonts()))
