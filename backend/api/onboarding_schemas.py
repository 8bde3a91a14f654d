"""Schemas of the CSV import (api/onboarding.py)."""
from marshmallow import Schema, fields, validate

from ..domain.csv_import import MAX_ROWS
from .schemas import LOCALES, Int
from .translated import Translated

#: The most text an import may send (about 2,000 rows of a dozen columns, with room to spare).
MAX_CSV_CHARS = 2_000_000


class ImportBodySchema(Schema):
    csv = fields.Str(required=True, validate=validate.Length(min=1, max=MAX_CSV_CHARS), metadata={
        "description": f"the file's text (UTF-8; header row in ru, zh_Hans or en; `,` or `;`); at most {MAX_CSV_CHARS} "
                       f"characters, {MAX_ROWS['residents']} rows of residents or {MAX_ROWS['staff']} of staff"})
    dry_run = fields.Bool(load_default=True, metadata={
        "description": "true (the default): check and list every problem, write nothing"})


class TemplateQuerySchema(Schema):
    lang = fields.Str(load_default=None, allow_none=True, validate=validate.OneOf(LOCALES),
                      metadata={"description": "the headers' language (default: hers, else the home's)"})


class ImportProblemSchema(Schema):
    line = Int(metadata={"description": "line of the file (1: the header row)"})
    column = fields.Str(metadata={"description": "the column's header as written in the file ('' for the row)"})
    message = Translated()


class ImportRowSchema(Schema):
    line = Int()
    name = fields.Str(metadata={"description": "the row's full name"})
    key = fields.Str(metadata={"description": "what identifies the row: the login (staff) or the full name"})
    status = fields.Str(metadata={"description": "new, unchanged or invalid"})


class ImportedAccountSchema(Schema):
    username = fields.Str()
    full_name = fields.Str()
    role = fields.Str(metadata={"description": "her main role"})
    roles = fields.List(fields.Str(), metadata={"description": "every role she holds, the main one first"})
    post = fields.Str(allow_none=True, metadata={"description": "her post (job title, domain/posts.py); null: none "
                                                                "given"})
    unit_ids = fields.List(Int(), metadata={"description": "her units; empty: the whole home"})
    temporary_password = fields.Str(metadata={"description": "shown once; she must change it at her first sign-in"})


class ImportResultSchema(Schema):
    kind = fields.Str(metadata={"description": "staff or residents"})
    dry_run = fields.Bool()
    valid = fields.Bool(metadata={"description": "every row is valid (a real import wrote the new rows)"})
    problems = fields.List(fields.Nested(ImportProblemSchema))
    rows = fields.List(fields.Nested(ImportRowSchema))
    to_create = Int(metadata={"description": "rows that are new (created by a real import)"})
    created = Int(metadata={"description": "rows written (0 on a dry run)"})
    unchanged = Int(metadata={"description": "rows the home already holds as they are"})
    accounts = fields.List(fields.Nested(ImportedAccountSchema), metadata={
        "description": "new staff accounts with their one-time passwords (a real staff import only; shown once)"})
