"""Bulk onboarding from CSV: the columns of a staff file and a residents file, reading the file, and checking
every row against the home (plain Python: the service loads the home and what it already holds).

A file's header row names its columns in Russian, Simplified Chinese or English (each column may be written in
any of the three; case and spaces do not matter; a byte-order mark is tolerated; the separator is `,` or `;` --
Russian Excel writes `;` -- or a tab, or the one Excel's `sep=` first line declares). Every problem is reported,
not only the first: (line of the file, the column's header as written in the file, message). A row is `new`
(written by a real import), `unchanged` (the home already holds exactly this person: importing the same file
twice changes nothing) or invalid.

A member of staff may hold several roles and work in several units: the cell lists them separated by `;` (roles
also by `,`, `/` or `+`: no role's name holds one), the main role (the screen she starts on) first. An empty unit
cell: she works across the whole home. Her post («должность», domain/posts.py) is named by its code or its name in
any of the three languages (POST_NAMES); an empty role cell takes the post's roles (as the staff screen fills them
from the post), a role cell that is filled in stands. A file with a post column may leave out the role column.

Who is the same person:
- staff: the login (user names are unique across the server). The same login in this home with the same name,
  roles and units (and post, where the row names one) is unchanged; with other details, or in another home, it is
  a problem on the login column.
- residents: an active resident of the home with the same full name and date of birth. Unchanged when her unit,
  post, room and bed agree; otherwise a problem (a move is made on her record, not by an import).
"""
import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date, datetime

from . import posts, roles
from .messages import Msg, joined

STAFF = "staff"
RESIDENTS = "residents"
KINDS = (STAFF, RESIDENTS)
LOCALES = ("ru", "zh_Hans", "en")
#: Rows of data a file may hold (the API also bounds the text's size). A staff file holds fewer: each new account's
#: one-time password is hashed with the slow password hash (about 0.1 s each), inside the request.
MAX_ROWS = {RESIDENTS: 2000, STAFF: 200}
#: Text bounds of the columns they are stored in (models: user, resident, room, bed).
MAX_NAME = 200
MAX_USERNAME = 80
MIN_USERNAME = 2
MAX_ROOM = 20
MAX_BED = 20
EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass(frozen=True)
class Column:
    key: str
    #: The header a template writes, per language.
    headers: dict
    #: Other spellings accepted on import (any language).
    aliases: tuple = ()
    required: bool = True
    #: A required column a file may leave out when it has this other one (the role column, given a post column).
    or_else: str | None = None

    def spellings(self):
        return {_fold(h) for h in (*self.headers.values(), *self.aliases)}


COLUMNS = {
    STAFF: (
        Column("username", {"en": "Login", "ru": "Логин", "zh_Hans": "登录名"},
               ("User name", "Username", "Имя пользователя", "用户名", "账号")),
        Column("full_name", {"en": "Full name", "ru": "ФИО", "zh_Hans": "姓名"},
               ("Name", "Ф.И.О.", "Фамилия Имя Отчество", "Полное имя")),
        #: her post («должность», domain/posts.py); the zh header is the staff screen's (glossary staff_post: 职务)
        Column("post", {"en": "Post", "ru": "Должность", "zh_Hans": "职务"},
               ("Post (job title)", "Job title", "Position", "Staff post", "Занимаемая должность", "岗位", "职位"),
               required=False),
        Column("role", {"en": "Role", "ru": "Роль", "zh_Hans": "角色"}, or_else="post"),
        Column("unit", {"en": "Unit", "ru": "Отделение", "zh_Hans": "科室"}, ("单元",), required=False),
        Column("locale", {"en": "Language", "ru": "Язык", "zh_Hans": "语言"}, ("Locale",), required=False),
    ),
    RESIDENTS: (
        Column("full_name", {"en": "Full name", "ru": "ФИО", "zh_Hans": "姓名"},
               ("Name", "Ф.И.О.", "Фамилия Имя Отчество", "Полное имя")),
        Column("birth_date", {"en": "Date of birth", "ru": "Дата рождения", "zh_Hans": "出生日期"},
               ("Birth date", "Birthdate", "DOB")),
        Column("unit", {"en": "Unit", "ru": "Отделение", "zh_Hans": "科室"}, ("单元",)),
        #: may be left out when the room's post or the unit's only post says it
        Column("post", {"en": "Duty post", "ru": "Пост", "zh_Hans": "护理站"}, ("Post", "岗位", "值班岗位"),
               required=False),
        Column("room", {"en": "Room", "ru": "Палата", "zh_Hans": "房间"}, ("Комната", "房号"), required=False),
        Column("bed", {"en": "Bed", "ru": "Койка", "zh_Hans": "床位"}, ("Кровать", "Место", "床号"), required=False),
        Column("admitted_on", {"en": "Admission date", "ru": "Дата поступления", "zh_Hans": "入住日期"},
               ("Admitted on", "Admitted", "Дата заселения", "Дата приёма", "Дата приема"), required=False),
    ),
}

#: A role as its code or its label (the app's labels, the sources' words) in any of the three languages.
ROLE_NAMES = {
    roles.NURSE: ("Nurse", "Junior nurse", "Nursing assistant", "Младшая медсестра по уходу", "Младшая медсестра",
                  "Младшая медицинская сестра по уходу за больными", "Младшая медицинская сестра", "护理员",
                  "医疗护理员"),
    roles.SUPERVISOR: ("Shift supervisor", "Supervisor", "Ward nurse", "Палатная медсестра",
                       "Медицинская сестра палатная", "Постовая медсестра", "护理组长", "病房护士"),
    roles.PLANNER: ("Care planner", "Planner", "Составитель карт ухода", "照护计划员"),
    roles.ACTIVITIES: ("Activities", "Activity organiser", "Activity staff", "Организатор досуга", "活动专员"),
    roles.ADMIN: ("Administrator", "Admin", "Администратор", "管理员"),
    roles.INSPECTOR: ("Inspector", "Инспектор", "督查员", "监督员"),
}

#: A post (domain/posts.py) as its code, its label (English) or one of these names: its label in the catalogs'
#: Russian and Chinese (translations/*: tests/domain/test_csv_import.py keeps them in this table), the sources'
#: spellings (004 «медицинская сестра палатная (постовая)») and other common ones.
POST_NAMES = {
    posts.JUNIOR_NURSE: ("Младшая медицинская сестра по уходу", "Младшая медсестра по уходу",
                         "Младшая медицинская сестра по уходу за больными", "Младшая медсестра", "护理员"),
    posts.SITTER: ("Сиделка", "护工"),
    posts.WARD_NURSE: ("Медицинская сестра палатная (постовая)", "Медицинская сестра палатная",
                       "Медицинская сестра постовая", "Палатная медсестра", "Постовая медсестра", "病房护士"),
    posts.FELDSHER: ("Фельдшер", "医士"),
    posts.HEAD_OF_UNIT: ("Заведующий отделением", "Заведующая отделением", "科室主任"),
    posts.PHYSICIAN: ("Doctor", "Врач", "医生", "医师"),
    posts.SOCIAL_REHABILITATION_SPECIALIST: ("Social rehabilitation specialist",
                                             "Специалист по социальной реабилитации", "社会康复专员"),
    posts.PSYCHOLOGIST: ("Психолог", "心理咨询师"),
    posts.WORK_INSTRUCTOR: ("Инструктор по труду", "劳动指导员"),
    posts.EXERCISE_INSTRUCTOR: ("Exercise instructor", "Инструктор по лечебной физкультуре (ЛФК)",
                                "Инструктор по лечебной физкультуре", "Инструктор ЛФК", "运动疗法指导员"),
    posts.LIBRARIAN: ("Библиотекарь", "图书管理员"),
    posts.SOCIAL_WORKER: ("Специалист по социальной работе", "Социальный работник", "社会工作者"),
    posts.ACTIVITY_ORGANISER: ("Activity organizer", "Организатор досуга", "活动专员"),
    posts.ADMINISTRATOR: ("Admin", "Администратор", "管理员"),
    posts.INSPECTOR: ("Инспектор", "督查员", "监督员"),
}

#: A language as its code or its name in any of the three languages.
LOCALE_NAMES = {
    "ru": ("ru", "ru-RU", "ru_RU", "Russian", "Русский", "俄语", "俄文"),
    "zh_Hans": ("zh_Hans", "zh-Hans", "zh", "zh-CN", "zh_CN", "Chinese", "Simplified Chinese", "Китайский", "中文",
                "简体中文", "汉语"),
    "en": ("en", "en-GB", "en-US", "English", "Английский", "英语", "英文"),
}

_SPACES = re.compile(r"\s+")


def _fold(text):
    """Compare case- and space-insensitively (ё as е: a name typed either way is the same name)."""
    return _SPACES.sub(" ", (text or "").replace("\ufeff", "").strip()).casefold().replace("ё", "е")


def _lookup(table):
    return {_fold(name): code for code, names in table.items() for name in (code, *names)}


_ROLES = _lookup(ROLE_NAMES)
_LOCALES = _lookup(LOCALE_NAMES)
_POSTS = _lookup({p.code: (str(p.label), *POST_NAMES.get(p.code, ())) for p in posts.POSTS})


def template_headers(kind, locale):
    """The header row of a template in `locale` (English for another)."""
    lang = locale if locale in LOCALES else "en"
    return [c.headers[lang] for c in COLUMNS[kind]]


def template_separator(locale):
    """Russian Excel reads `;` as the separator; the others `,` (the import reads both)."""
    return ";" if locale == "ru" else ","


@dataclass(frozen=True)
class Problem:
    line: int
    column: str
    message: Msg


@dataclass
class Row:
    line: int
    #: Cell text by column key (stripped); "" for an empty or missing cell.
    cells: dict
    #: Header as written in the file, by column key.
    headers: dict
    #: A cell ran over lines (a quote left open): reported by `read`, the row is not checked further.
    unreadable: bool = False


@dataclass
class Table:
    kind: str
    rows: list = field(default_factory=list)
    problems: list = field(default_factory=list)
    #: Column key -> header as written (a missing column: its header in the file's language).
    headers: dict = field(default_factory=dict)
    #: Keys of required columns the file lacks (their cells are not reported row by row).
    missing: set = field(default_factory=set)

    def values(self, key):
        return [r.cells.get(key, "") for r in self.rows]


OPEN_QUOTE = Msg("This line cannot be read: is a quote (\") left open?")


def _separator(header_line):
    counts = {sep: _outside_quotes(header_line).count(sep) for sep in (";", ",", "\t")}
    best = max(counts, key=lambda sep: counts[sep])
    return best if counts[best] else ","


def _outside_quotes(line):
    return re.sub(r'"[^"]*"', "", line)


def _language(headers):
    """The language most of the file's recognised headers are written in (for naming a missing column)."""
    votes = {lang: 0 for lang in LOCALES}
    for text in headers:
        for columns in COLUMNS.values():
            for c in columns:
                for lang, h in c.headers.items():
                    if _fold(h) == _fold(text):
                        votes[lang] += 1
    return max(LOCALES, key=lambda lang: (votes[lang], lang == "en"))


def read(kind, text):
    """Split the file into rows of cells by column, with the problems of its shape (header, cells)."""
    columns = COLUMNS[kind]
    table = Table(kind)
    text = (text or "").lstrip("\ufeff")
    lines = re.split(r"\r\n|\r|\n", text)  # as the csv module counts lines
    first = next((i for i, line in enumerate(lines) if line.strip()), None)
    if first is None:
        table.problems.append(Problem(1, "", Msg("The file is empty: it needs a header row and a row per person.")))
        return table
    declared = re.fullmatch(r"\s*sep=(.)\s*", lines[first], re.IGNORECASE)  # Excel's "sep=;" first line
    separator = declared.group(1) if declared else _separator(lines[first])
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=separator)
    header_line, header = None, None
    by_index = {}
    last_line = 0
    for record in _records(reader, table):
        line, last_line = last_line + 1, reader.line_num
        if not any(cell.strip() for cell in record) or (declared and line == first + 1):
            continue
        if header is None:
            header_line, header = line, [cell.strip() for cell in record]
            by_index = _columns(table, columns, header, header_line)
            continue
        if len(table.rows) >= MAX_ROWS[kind]:
            table.problems.append(Problem(line, "", Msg("A file may hold at most %(n)d rows: split it.",
                                                        n=MAX_ROWS[kind])))
            break
        row = Row(line, {c.key: "" for c in columns}, table.headers)
        for index, value in enumerate(record):
            key = by_index.get(index)
            if key is not None and ("\n" in value or "\r" in value):  # no name or date runs over lines
                table.problems.append(Problem(line, table.headers[key], OPEN_QUOTE))
                row.unreadable = True
            elif key is not None:
                row.cells[key] = value.strip()
            elif value.strip() and index >= len(header):
                table.problems.append(Problem(line, "", Msg("This row has more cells than the header has columns.")))
                row.unreadable = True
        table.rows.append(row)
    if header is not None and not table.rows and not table.problems:
        table.problems.append(Problem(header_line + 1, "", Msg("The file has a header row but no rows of people.")))
    return table


def _records(reader, table):
    """The reader's records; a line it cannot read (a cell beyond the csv module's size limit, which a quote left
    open makes of the rest of the file) ends the file with a problem on that line."""
    while True:
        try:
            yield next(reader)
        except StopIteration:
            return
        except csv.Error:
            table.problems.append(Problem(reader.line_num, "", OPEN_QUOTE))
            return


def _columns(table, columns, header, line):
    """Which column each header cell is; problems for unknown, repeated and missing columns."""
    by_spelling = {s: c for c in columns for s in c.spellings()}
    by_index = {}
    lang = _language(header)
    for index, text in enumerate(header):
        if not text:
            continue
        column = by_spelling.get(_fold(text))
        if column is None:
            table.problems.append(Problem(line, text, Msg("Unknown column. The columns are: %(names)s.",
                                                          names=", ".join(template_headers(table.kind, lang)))))
        elif column.key in table.headers:
            table.problems.append(Problem(line, text, Msg("This column appears twice.")))
        else:
            table.headers[column.key] = text
            by_index[index] = column.key
    for column in columns:
        if column.required and column.key not in table.headers and column.or_else not in table.headers:
            table.missing.add(column.key)
            table.problems.append(Problem(line, column.headers[lang], Msg("This column is missing.")))
    for column in columns:
        table.headers.setdefault(column.key, column.headers[lang])
    return by_index


# --- the home, as the service loads it ---------------------------------------------------------------------

@dataclass(frozen=True)
class RoomInfo:
    name: str
    post_id: int | None
    beds: tuple


@dataclass(frozen=True)
class UnitInfo:
    id: int
    name: str
    #: post name -> post id
    posts: dict
    #: room name -> RoomInfo (the unit's active rooms; empty: the unit keeps no rooms, room and bed are free text)
    rooms: dict
    #: the unit's name in the home's languages (domain/places.py): a file may name it in any of them
    aliases: tuple = ()
    #: a post's name in the home's languages -> post id
    post_aliases: dict = field(default_factory=dict)

    def named(self, text):
        return any(_fold(name) == _fold(text) for name in (self.name, *self.aliases))


@dataclass(frozen=True)
class ExistingUser:
    username: str
    same_home: bool
    full_name: str
    roles: tuple
    unit_ids: tuple
    #: her post's code (domain/posts.py), None: not chosen
    post: str | None = None


@dataclass(frozen=True)
class ExistingResident:
    full_name: str
    birth_date: date | None
    unit_id: int
    post_id: int
    room: str
    bed: str


@dataclass
class Outcome:
    problems: list
    #: Rows to create: dicts of clean values with their `line`.
    new: list
    #: Lines of rows the home already holds as they are.
    unchanged: list
    #: line -> "new", "unchanged" or "invalid", for every row
    statuses: dict = field(default_factory=dict)

    @property
    def valid(self):
        return not self.problems


class _Checker:
    def __init__(self, row, missing):
        self.row = row
        self.missing = missing
        self.problems = []

    def problem(self, key, message):
        if key in self.missing:  # reported once, on the header row
            self.problems.append(None)
            return
        self.problems.append(Problem(self.row.line, self.row.headers[key], message))

    def text(self, key, maximum, required=True):
        value = _SPACES.sub(" ", self.row.cells.get(key, ""))
        if not value and required:
            self.problem(key, Msg("Fill this in."))
        elif len(value) > maximum:
            self.problem(key, Msg("At most %(n)d characters.", n=maximum))
        return value


def parse_date(text):
    """YYYY-MM-DD or DD.MM.YYYY (what Russian Excel writes); None if neither."""
    for pattern in ("%Y-%m-%d", "%d.%m.%Y"):
        try:
            return datetime.strptime(text, pattern).date()
        except ValueError:
            continue
    return None


def _date(check, key, today, required):
    text = check.row.cells.get(key, "")
    if not text:
        if required:
            check.problem(key, Msg("Fill this in."))
        return None
    value = parse_date(text)
    if value is None:
        check.problem(key, Msg("Write the date as YYYY-MM-DD or DD.MM.YYYY."))
    elif value > today:
        check.problem(key, Msg("The date cannot be in the future."))
    elif value < EARLIEST_BIRTH:
        check.problem(key, Msg("Check the year."))
    else:
        return value
    return None


def _unit(check, units, required):
    text = check.row.cells.get("unit", "")
    if not text:
        if required:
            check.problem("unit", Msg("Fill this in."))
        return None
    unit = next((u for u in units if u.named(text)), None)
    if unit is None:
        check.problem("unit", Msg("No unit of this name in the home. The units are: %(names)s.",
                                  names=", ".join(u.name for u in units) or "-"))
    return unit


_ROLE_SEPARATORS = re.compile(r"[;,/+]")


def _post(check):
    """The post a staff row names (its code), None for none; False for a name that is no post's (a problem)."""
    text = check.row.cells.get("post", "")
    if not text:
        return None
    code = _POSTS.get(_fold(text))
    if code is None:
        check.problem("post", Msg("Not a post (job title). Write one of: %(names)s.",
                                  names=joined(", ", [p.label for p in posts.POSTS])))
        return False
    return code


def _roles(check, post):
    """The roles a staff row names, the main one first; none named: the roles its post brings (`post`: as _post)."""
    text = check.row.cells.get("role", "")
    names = [n for n in (_fold(part) for part in _ROLE_SEPARATORS.split(text)) if n]
    if not names:
        if post:
            return posts.roles_of(post)
        if post is None:  # a wrong post is the row's problem already
            check.problem("role", Msg("Fill this in."))
        return None
    found = [_ROLES.get(name) for name in names]
    if None in found:
        check.problem("role", Msg("Not a staff role. Write one of: %(names)s.",
                                  names=", ".join(ROLE_NAMES[r][0] for r in roles.STAFF)))
        return None
    if len(set(found)) != len(found):
        check.problem("role", Msg("A role is listed twice."))
        return None
    return tuple(found)


def _staff_units(check, units):
    """The units a staff row names (`;` between them), in the order of their ids; none: the whole home."""
    found = []
    for text in (part.strip() for part in check.row.cells.get("unit", "").split(";")):
        unit = next((u for u in units if u.named(text)), None) if text else None
        if text and unit is None:
            check.problem("unit", Msg("No unit of this name in the home. The units are: %(names)s.",
                                      names=", ".join(u.name for u in units) or "-"))
            return None
        if unit is not None and unit.id not in found:
            found.append(unit.id)
    return tuple(sorted(found))


def check(table, units, today, users=(), residents=()):
    """Check every row of a read file against the home. `units`: UnitInfo of the home's units; `users`:
    ExistingUser for the file's logins; `residents`: ExistingResident, the home's active residents."""
    problems = []
    checker = _staff_row if table.kind == STAFF else _resident_row
    known = ({u.username: u for u in users} if table.kind == STAFF
             else {(_fold(r.full_name), r.birth_date): r for r in residents})
    taken_beds = {} if table.kind == STAFF else {(r.unit_id, _fold(r.room), _fold(r.bed)): r for r in residents
                                                 if r.room and r.bed}
    seen, beds_in_file = {}, {}
    new, unchanged, statuses = [], [], {}
    for row in table.rows:
        c = _Checker(row, table.missing)
        if row.unreadable:
            statuses[row.line] = "invalid"
            continue
        clean = checker(c, units, today)
        status = None
        if clean is not None:
            if table.kind == STAFF:
                status = _staff_status(c, clean, known, seen)
            else:
                status = _resident_status(c, clean, known, seen, taken_beds, beds_in_file)
        problems.extend(p for p in c.problems if p is not None)
        if c.problems:
            statuses[row.line] = "invalid"
        elif status == "unchanged":
            statuses[row.line] = status
            unchanged.append(row.line)
        else:
            statuses[row.line] = "new"
            new.append(dict(clean, line=row.line))
    order = {table.headers.get(c.key): i for i, c in enumerate(COLUMNS[table.kind])}
    problems.sort(key=lambda p: (p.line, order.get(p.column, -1)))
    # the file's own problems (header, shape) first on their line, in the order found
    problems = sorted(table.problems + problems, key=lambda p: p.line)
    return Outcome(problems, new, unchanged, statuses)


def _staff_row(c, units, today):
    username = c.row.cells.get("username", "").strip().lower()
    if not username:
        c.problem("username", Msg("Fill this in."))
    elif any(ch.isspace() for ch in username):
        c.problem("username", Msg("A login is one word, without spaces."))
    elif not MIN_USERNAME <= len(username) <= MAX_USERNAME:
        c.problem("username", Msg("A login has %(min)d to %(max)d characters.", min=MIN_USERNAME, max=MAX_USERNAME))
    full_name = c.text("full_name", MAX_NAME)
    post = _post(c)
    held = _roles(c, post)
    unit_ids = _staff_units(c, units)
    locale = None
    locale_text = c.row.cells.get("locale", "")
    if locale_text:
        locale = _LOCALES.get(_fold(locale_text))
        if locale is None:
            c.problem("locale", Msg("Write ru, zh_Hans or en."))
    if c.problems:
        return None
    return {"username": username, "full_name": full_name, "post": post, "roles": held, "unit_ids": unit_ids,
            "locale": locale}


def _staff_status(c, clean, known, seen):
    login = clean["username"]
    if login in seen:
        c.problem("username", Msg("The same login as line %(line)d.", line=seen[login]))
        return None
    seen[login] = c.row.line
    existing = known.get(login)
    if existing is None:
        return "new"
    if not existing.same_home:
        c.problem("username", Msg("This login is taken."))
    elif (_fold(existing.full_name), existing.roles, existing.unit_ids) != (
            _fold(clean["full_name"]), clean["roles"], clean["unit_ids"]) or (
            clean["post"] is not None and clean["post"] != existing.post):  # a row without a post: any post
        c.problem("username", Msg("This login already belongs to a member of staff with another name, post, role or "
                                  "unit; change her account on the Staff page instead."))
    else:
        return "unchanged"
    return None


def _resident_row(c, units, today):
    full_name = c.text("full_name", MAX_NAME)
    birth = _date(c, "birth_date", today, required=True)
    admitted = _date(c, "admitted_on", today, required=False)
    if birth is not None and admitted is not None and admitted < birth:
        c.problem("admitted_on", Msg("The admission date is before the date of birth."))
    unit = _unit(c, units, required=True)
    room = c.text("room", MAX_ROOM, required=False)
    bed = c.text("bed", MAX_BED, required=False)
    if bed and not room:
        c.problem("room", Msg("A bed needs its room."))
    post_id = None
    if unit is not None:
        post_id, room, bed = _place(c, unit, room, bed)
    if c.problems:
        return None
    return {"full_name": full_name, "birth_date": birth, "admitted_on": admitted or today, "unit_id": unit.id,
            "post_id": post_id, "room": room, "bed": bed}


def _place(c, unit, room, bed):
    """The post, and room and bed as the unit names them (checked against its rooms when it keeps any)."""
    info = None
    if room and unit.rooms:
        info = next((r for r in unit.rooms.values() if _fold(r.name) == _fold(room)), None)
        if info is None:
            c.problem("room", Msg("No room of this name in the unit %(unit)s.", unit=unit.name))
        else:
            room = info.name
            if info.beds and bed:
                label = next((b for b in info.beds if _fold(b) == _fold(bed)), None)
                if label is None:
                    c.problem("bed", Msg("No such bed in room %(room)s. Its beds are: %(beds)s.", room=info.name,
                                         beds=", ".join(info.beds)))
                bed = label or bed
    post_text = c.row.cells.get("post", "")
    post_id = None
    if post_text:
        post_id = next((pid for name, pid in (*unit.posts.items(), *unit.post_aliases.items())
                        if _fold(name) == _fold(post_text)), None)
        if post_id is None:
            c.problem("post", Msg("No duty post of this name in the unit %(unit)s. Its posts are: %(names)s.",
                                  unit=unit.name, names=", ".join(unit.posts) or "-"))
        elif info is not None and info.post_id is not None and info.post_id != post_id:
            c.problem("post", Msg("Room %(room)s is covered by another duty post.", room=info.name))
    elif info is not None and info.post_id is not None:
        post_id = info.post_id
    elif len(unit.posts) == 1:
        post_id = next(iter(unit.posts.values()))
    else:
        c.problem("post", Msg("Fill this in."))
    return post_id, room, bed


def _resident_status(c, clean, known, seen, taken_beds, beds_in_file):
    key = (_fold(clean["full_name"]), clean["birth_date"])
    if key in seen:
        c.problem("full_name", Msg("The same person as line %(line)d.", line=seen[key]))
        return None
    seen[key] = c.row.line
    existing = known.get(key)
    place = (clean["unit_id"], _fold(clean["room"]), _fold(clean["bed"]))
    if existing is not None:
        if (existing.unit_id, existing.post_id, _fold(existing.room), _fold(existing.bed)) == (
                clean["unit_id"], clean["post_id"], _fold(clean["room"]), _fold(clean["bed"])):
            return "unchanged"
        c.problem("full_name", Msg("Already in the home (another unit, post, room or bed); move her on her record "
                                   "instead."))
        return None
    if clean["room"] and clean["bed"]:
        if place in beds_in_file:
            c.problem("bed", Msg("The same bed as line %(line)d.", line=beds_in_file[place]))
            return None
        beds_in_file[place] = c.row.line
        if place in taken_beds:
            c.problem("bed", Msg("This bed is taken by %(name)s.", name=taken_beds[place].full_name))
            return None
    return "new"
