"""Home and community care (issue 18): the dispatcher's people at home (their details and home code), the service
catalogue, the service contracts and the card a month's contracts make. Only in a community home: elsewhere every
route answers 404. Services: services/homecare.py and services/contracts.py."""
from flask import Blueprint
from flask_login import current_user

from ..domain import roles
from ..services import contracts as contract_service
from ..services import homecare as service
from ..services import service_sheet
from . import context
from .homecare_schemas import (CatalogueQuerySchema, ContractCardInputSchema, ContractInputSchema,
                               ContractPatchSchema, ContractSchema, HomeCareCardSchema, HomeCodeInputSchema,
                               HomeCodeSchema, PeopleQuerySchema, PersonPatchSchema, PersonSchema,
                               ServiceInputSchema, ServicePatchSchema, ServiceSchema, ServiceSheetInputSchema)
from .registry import route

bp = Blueprint("homecare", __name__, url_prefix="/api")
KEEPERS = roles.HOMECARE_KEEPERS


# --- people at home ----------------------------------------------------------------------------------------------

@route(bp, "/homecare/people", roles=KEEPERS, query=PeopleQuerySchema, response=PersonSchema, many=True,
       summary="A station's people at home with their home-care details and the contract in force today")
def people(query):
    reply = service.people(current_user, query["unit_id"], context.now())
    context.audit_read("homecare_people", query["unit_id"] or "all", {"count": len(reply)})
    return reply


@route(bp, "/homecare/people/<int:resident_id>", roles=KEEPERS, response=PersonSchema,
       summary="A person at home: address, phone, location, eligibility, care level (never her home code)")
def person(resident_id):
    reply = service.person(current_user, resident_id, context.now())
    context.audit_read("resident", resident_id, {"view": "homecare"})
    return reply


@route(bp, "/homecare/people/<int:resident_id>", ["PATCH"], roles=KEEPERS, body=PersonPatchSchema,
       response=PersonSchema, summary="Change a person at home's details")
def update_person(resident_id, body):
    return service.update_person(context.ctx(), resident_id, body)


@route(bp, "/homecare/people/<int:resident_id>/home-code", ["POST"], roles=KEEPERS, body=HomeCodeInputSchema,
       response=HomeCodeSchema, status=201,
       summary="Set her home code (given, or generated): shown in this reply only, only its salted hash is kept")
def set_home_code(resident_id, body):
    return service.set_home_code(context.ctx(), resident_id, body["code"])


@route(bp, "/homecare/people/<int:resident_id>/sheet.pdf", ["POST"], roles=KEEPERS, body=ServiceSheetInputSchema,
       summary="Her service sheet printed (application/pdf, A4): services, standards, prices, schedules, the station; "
               "her home code as a QR code when it is given and matches")
def service_sheet_pdf(resident_id, body):
    lang = body["lang"] or current_user.locale or current_user.home.locale or "ru"
    return context.pdf_reply(*service_sheet.printable_sheet(context.ctx(), resident_id, lang, context.pdf_fonts(),
                                                            body["code"]))


# --- the catalogue -----------------------------------------------------------------------------------------------

@route(bp, "/homecare/catalogue", roles=KEEPERS, query=CatalogueQuerySchema, response=ServiceSchema, many=True,
       summary="The home's service catalogue (inactive services marked)")
def catalogue(query):
    return service.catalogue(current_user, query["include_inactive"])


@route(bp, "/homecare/catalogue", ["POST"], roles=KEEPERS, body=ServiceInputSchema, response=ServiceSchema,
       status=201, summary="Add a service to the catalogue (price as text: \"40.00\")")
def create_service(body):
    return service.create_service(context.ctx(), body)


@route(bp, "/homecare/catalogue/<int:service_id>", ["PATCH"], roles=KEEPERS, body=ServicePatchSchema,
       response=ServiceSchema, summary="Change a catalogue service (active false takes it out)")
def update_service(service_id, body):
    return service.update_service(context.ctx(), service_id, body)


# --- contracts ---------------------------------------------------------------------------------------------------

@route(bp, "/homecare/people/<int:resident_id>/contracts", roles=KEEPERS, response=ContractSchema, many=True,
       summary="A person's service contracts, the newest first")
def contracts(resident_id):
    reply = contract_service.contracts_of(current_user, resident_id)
    context.audit_read("resident", resident_id, {"view": "contracts"})
    return reply


@route(bp, "/homecare/people/<int:resident_id>/contracts", ["POST"], roles=KEEPERS, body=ContractInputSchema,
       response=ContractSchema, status=201,
       summary="A new service contract (one at a time: its dates may not overlap another's)")
def create_contract(resident_id, body):
    return contract_service.create_contract(context.ctx(), resident_id, body)


@route(bp, "/homecare/contracts/<int:contract_id>", ["PATCH"], roles=KEEPERS, body=ContractPatchSchema,
       response=ContractSchema, summary="Change a contract: end it (ends_on), its dates, papers, or replace its items")
def update_contract(contract_id, body):
    return contract_service.update_contract(context.ctx(), contract_id, body)


@route(bp, "/homecare/people/<int:resident_id>/card", ["POST"], roles=KEEPERS, body=ContractCardInputSchema,
       response=HomeCareCardSchema,
       summary="Make (or refresh, while a draft) her month's care card from her contracts; publish it if asked")
def card_from_contract(resident_id, body):
    return contract_service.card_from_contract(context.ctx(), resident_id, body["month"], body["publish"])
