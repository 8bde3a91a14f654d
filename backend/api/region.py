"""The inspector (issue 18, section 3): her region's month by provider, its settlement export (资金结算) as JSON or CSV,
and blocking or unblocking a carer of the region (黑名单). Inspectors only (roles.INSPECTORS); a person whose home is
in no region is answered 404, and a carer of another region 404. The rules are in backend/services/region.py and
backend/domain/region_month.py."""
from flask import Blueprint, Response, current_app
from flask_login import current_user

from .. import i18n
from ..domain import roles
from ..services import region as service
from . import context
from .region_schemas import RegionMonthQuerySchema, RegionMonthSchema, SettlementQuerySchema, SettlementSchema
from .registry import route
from .visit_schemas import BlockSchema, CarerSchema

bp = Blueprint("region", __name__, url_prefix="/api/region")
INSPECT = roles.INSPECTORS


@route(bp, "/month", roles=INSPECT, query=RegionMonthQuerySchema, response=RegionMonthSchema,
       summary="The region's month by provider: people served, family care beds, visits planned / delivered / "
               "verified, flags, alarm acknowledgement times, follow-up calls, satisfaction, blocked carers")
def month(query):
    return service.month(context.ctx(), query["month"])


@route(bp, "/settlement", roles=INSPECT, query=SettlementQuerySchema,
       summary="The region's settlement of a month (资金结算) by provider and funding source: verified visits, minutes, "
               "items and amounts by service; unverified visits apart with why. format=json (SettlementSchema) or "
               "csv (text/csv, UTF-8 with a byte-order mark, a header row, amounts as exact decimal text)")
def settlement(query):
    if query["format"] == "csv":
        lang = query["lang"] or current_user.locale or current_user.home.locale or "en"
        lang = lang if lang in ("ru", "zh_Hans", "en") else "en"
        text, name = service.settlement_csv(context.ctx(), query["month"], lang, i18n.translator)
        response = Response("\ufeff" + text, mimetype="text/csv")
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return current_app.json.response(SettlementSchema().dump(service.settlement(context.ctx(), query["month"])))


@route(bp, "/carers/<int:carer_id>/block", ["POST"], roles=INSPECT, body=BlockSchema, response=CarerSchema,
       summary="Block a carer of a community home of the region (黑名单): she cannot be assigned until unblocked")
def block_carer(carer_id, body):
    return service.block(context.ctx(), carer_id, body["reason"])


@route(bp, "/carers/<int:carer_id>/unblock", ["POST"], roles=INSPECT, response=CarerSchema,
       summary="Lift the block of a carer of the region")
def unblock_carer(carer_id):
    return service.unblock(context.ctx(), carer_id)
