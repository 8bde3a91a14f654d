"""Reading an import file and checking its rows (domain/csv_import.py): headers in any of the three languages,
`;` or `,`, a byte-order mark, and every problem listed by line and column."""
from datetime import date

import pytest

from backend.domain import csv_import as ci

TODAY = date(2026, 11, 25)
UNITS = [
    ci.UnitInfo(1, "Первое отделение", {"Пост А": 11, "Пост АБ": 12},
                {"101": ci.RoomInfo("101", 11, ("1", "2")), "102": ci.RoomInfo("102", None, ())}),
    ci.UnitInfo(2, "Второе отделение", {"Пост Б": 21}, {}),
]


def residents(text, existing=()):
    return ci.check(ci.read(ci.RESIDENTS, text), UNITS, TODAY, residents=existing)


def staff(text, users=()):
    return ci.check(ci.read(ci.STAFF, text), UNITS, TODAY, users=users)


def triples(outcome):
    return [(p.line, p.column, str(p.message)) for p in outcome.problems]


@pytest.mark.parametrize("header", [
    "Full name,Date of birth,Unit,Duty post,Room,Bed",
    "ФИО,Дата рождения,Отделение,Пост,Палата,Койка",
    "姓名,出生日期,科室,护理站,房间,床位",
    "  full NAME ,出生日期,ОТДЕЛЕНИЕ,post,Комната,床位",  # any mix, any case, spaces
])
def test_headers_in_each_language(header):
    outcome = residents(f"{header}\nАнна Ершова,1940-02-01,Второе отделение,Пост Б,205,1\n")
    assert outcome.valid, triples(outcome)
    assert outcome.new == [{"full_name": "Анна Ершова", "birth_date": date(1940, 2, 1), "admitted_on": TODAY,
                            "unit_id": 2, "post_id": 21, "room": "205", "bed": "1", "line": 2}]


def test_semicolons_a_bom_and_russian_dates():
    text = ("\ufeffФИО;Дата рождения;Отделение;Пост;Палата;Койка;Дата поступления\r\n"
            "\"Гришина; Мария\";03.04.1938;второе отделение;ПОСТ Б;;;01.10.2026\r\n")
    outcome = residents(text)
    assert outcome.valid, triples(outcome)
    row = outcome.new[0]
    assert (row["full_name"], row["birth_date"], row["admitted_on"]) == ("Гришина; Мария", date(1938, 4, 3),
                                                                        date(2026, 10, 1))


def test_excel_s_sep_line_and_tabs():
    outcome = residents("sep=;\nФИО;Дата рождения;Отделение\nА, Б;1.2.1940;Второе отделение\n")
    assert outcome.valid and outcome.new[0]["full_name"] == "А, Б" and outcome.new[0]["line"] == 3
    outcome = residents("ФИО\tДата рождения\tОтделение\nА\t1940-02-01\tВторое отделение\n")
    assert outcome.valid and outcome.new[0]["birth_date"] == date(1940, 2, 1)


def test_templates_name_the_columns_in_each_language():
    assert ci.template_headers(ci.STAFF, "ru") == ["Логин", "ФИО", "Должность", "Роль", "Отделение", "Язык"]
    assert ci.template_headers(ci.STAFF, "zh_Hans") == ["登录名", "姓名", "职务", "角色", "科室", "语言"]
    assert ci.template_headers(ci.STAFF, "en") == ["Login", "Full name", "Post", "Role", "Unit", "Language"]
    assert ci.template_headers(ci.RESIDENTS, "en")[:6] == ["Full name", "Date of birth", "Unit", "Duty post",
                                                           "Room", "Bed"]
    assert ci.template_headers(ci.RESIDENTS, "zh_Hans")[:6] == ["姓名", "出生日期", "科室", "护理站", "房间", "床位"]
    for kind in ci.KINDS:
        for lang in ci.LOCALES:  # a template reads back as itself, with no problem but "no rows"
            table = ci.read(kind, ci.template_separator(lang).join(ci.template_headers(kind, lang)) + "\n")
            assert [p.line for p in table.problems] == [2] and not table.missing


def test_every_problem_is_listed_with_its_line_and_column():
    text = ("ФИО;Дата рождения;Отделение;Пост;Палата;Койка\n"
            "Анна Ершова;1940-02-01;Первое отделение;Пост А;101;1\n"       # 2: fine
            "\n"                                                                 # 3: blank, skipped
            ";31.02.1940;Нет такого;Пост Я;;2\n"                                # 4: four problems
            "Борис Гришин;2030-01-01;Первое отделение;Пост Б;999;1\n"       # 5: future, post, room
            "анна  ершова;01.02.1940;Первое отделение;Пост А;101;2\n"      # 6: same person as line 2
            "Вера Сидорова;1941-05-05;Первое отделение;Пост А;101;3\n"      # 7: no such bed
            "Галина Орлова;1942-06-06;Первое отделение;;101;1\n"            # 8: same bed as line 2
            "Дарья Котова;1943-07-07;Первое отделение;Пост АБ;101;2\n")     # 9: the room's post is Пост А
    outcome = residents(text)
    assert not outcome.valid
    assert [(line, column) for line, column, _m in triples(outcome)] == [
        (4, "ФИО"), (4, "Дата рождения"), (4, "Отделение"), (4, "Палата"),
        (5, "Дата рождения"), (5, "Пост"), (5, "Палата"),
        (6, "ФИО"),
        (7, "Койка"),
        (8, "Койка"),
        (9, "Пост"),
    ]
    messages = dict(((line, column), message) for line, column, message in triples(outcome))
    assert messages[(4, "Палата")] == "A bed needs its room."
    assert messages[(5, "Дата рождения")] == "The date cannot be in the future."
    assert messages[(6, "ФИО")] == "The same person as line 2."
    assert messages[(7, "Койка")] == "No such bed in room 101. Its beds are: 1, 2."
    assert messages[(8, "Койка")] == "The same bed as line 2."
    assert outcome.statuses == {2: "new", 4: "invalid", 5: "invalid", 6: "invalid", 7: "invalid", 8: "invalid",
                                9: "invalid"}


def test_header_problems_are_on_line_one_and_a_missing_column_is_named_once():
    text = "姓名,出生日期,护理站,Comment,姓名\nA,1940-01-01,Пост Б,x,B\nC,1941-01-01,Пост Б,y,D\n"
    outcome = residents(text)
    assert triples(outcome) == [
        (1, "Comment", "Unknown column. The columns are: 姓名, 出生日期, 科室, 护理站, 房间, 床位, 入住日期."),
        (1, "姓名", "This column appears twice."),
        (1, "科室", "This column is missing."),
    ]
    assert len(outcome.problems) == 3  # the unit's cells are not reported row by row


def test_line_numbers_count_the_file_s_lines_even_inside_quotes():
    text = ('Full name,Date of birth,Unit\n"Anna\nIvanova",1940-01-01,Второе отделение\nBoris,bad,Второе отделение\n'
            '"Vera,1940-01-01,Второе отделение\n')
    assert triples(residents(text)) == [
        (2, "Full name", 'This line cannot be read: is a quote (") left open?'),
        (4, "Date of birth", "Write the date as YYYY-MM-DD or DD.MM.YYYY."),
        (5, "Full name", 'This line cannot be read: is a quote (") left open?')]
    huge = 'Full name,Date of birth,Unit\nA,1940-01-01,Второе отделение\n"' + "x" * 200_000 + "\n"
    assert triples(residents(huge)) == [(3, "", 'This line cannot be read: is a quote (") left open?')]


def test_a_post_comes_from_the_room_or_the_unit_s_only_post():
    text = "ФИО;Дата рождения;Отделение;Палата\nА;1940-01-01;Первое отделение;101\nБ;1940-01-01;Второе отделение;\n"
    assert [r["post_id"] for r in residents(text).new] == [11, 21]
    outcome = residents("ФИО;Дата рождения;Отделение;Палата\nА;1940-01-01;Первое отделение;102\n")
    assert triples(outcome) == [(2, "Пост", "Fill this in.")]  # room 102 has no post; the unit has two


def test_a_resident_already_in_the_home_is_unchanged_or_a_problem():
    anna = ci.ExistingResident("Анна Ершова", date(1940, 2, 1), 2, 21, "205", "1")
    header = "ФИО;Дата рождения;Отделение;Палата;Койка\n"
    same = residents(header + "Анна  Ершова;01.02.1940;Второе отделение;205;1\n", [anna])
    assert same.valid and same.unchanged == [2] and same.new == []
    moved = residents(header + "Анна Ершова;01.02.1940;Второе отделение;206;1\n", [anna])
    assert triples(moved) == [(2, "ФИО", "Already in the home (another unit, post, room or bed); move her on her "
                                        "record instead.")]
    namesake = residents(header + "Анна Ершова;01.02.1950;Второе отделение;205;1\n", [anna])
    assert triples(namesake) == [(2, "Койка", "This bed is taken by Анна Ершова.")]


def test_staff_roles_and_languages_in_any_language():
    text = ("Логин;ФИО;Роль;Отделение;Язык\n"
            "O.Zimina;Ольга Зимина;Младшая медсестра по уходу;Первое отделение;русский\n"
            "li.na;李娜;护理组长;;中文\n"
            "j.smith;John Smith;care planner;;EN\n"
            "boss;Главный;admin;;\n")
    outcome = staff(text)
    assert outcome.valid, triples(outcome)
    assert [(r["username"], r["roles"], r["unit_ids"], r["locale"]) for r in outcome.new] == [
        ("o.zimina", ("nurse",), (1,), "ru"), ("li.na", ("supervisor",), (), "zh_Hans"),
        ("j.smith", ("planner",), (), "en"), ("boss", ("admin",), (), None)]


def test_staff_of_several_roles_and_units():
    """A social-rehabilitation specialist plans and does the daily control (004 §3.1-3.2): her roles in one cell,
    the main one first; a unit cell may name several units."""
    text = ("Login;ФИО;Роль;Отделение\n"
            'spec;Анна Рыбкина;Составитель карт ухода, Палатная медсестра;"Второе отделение; Первое отделение"\n'
            "night;Ночная;nurse + supervisor;\n")
    outcome = staff(text)
    assert outcome.valid, triples(outcome)
    assert [(r["roles"], r["unit_ids"]) for r in outcome.new] == [(("planner", "supervisor"), (1, 2)),
                                                                  (("nurse", "supervisor"), ())]
    twice = staff("Login,Full name,Role\nxx,X,nurse/nurse\n")
    assert triples(twice) == [(2, "Role", "A role is listed twice.")]
    wrong = staff('Login,Full name,Role,Unit\nxx,X,nurse,"Первое отделение;Nowhere"\n')
    assert [(line, column) for line, column, _m in triples(wrong)] == [(2, "Unit")]


def test_staff_problems():
    users = [ci.ExistingUser("o.kim", True, "Ольга Ким", ("nurse",), (1,)),
             ci.ExistingUser("other", False, "Someone", ("nurse",), ())]
    text = ("Login,Full name,Role,Unit,Language\n"
            "two words,A,nurse,,\n"
            "x,,king,Nowhere,Klingon\n"
            "o.kim,Ольга  Ким,nurse,Первое отделение,\n"   # unchanged
            "O.KIM,Ольга Ким,nurse,Первое отделение,\n"    # twice in the file
            "other,Someone,nurse,,\n"
            "new.one,New One,relative,,\n")
    outcome = staff(text, users)
    assert [(line, column) for line, column, _m in triples(outcome)] == [
        (2, "Login"), (3, "Login"), (3, "Full name"), (3, "Role"), (3, "Unit"), (3, "Language"), (5, "Login"),
        (6, "Login"), (7, "Role")]
    assert triples(outcome)[6][2] == "The same login as line 4."
    assert triples(outcome)[7][2] == "This login is taken."
    assert outcome.statuses[4] == "unchanged"
    changed = staff("Login,Full name,Role\no.kim,Ольга Ким,supervisor\n", users)
    assert [m for _l, _c, m in triples(changed)] == [
        "This login already belongs to a member of staff with another name, post, role or unit; change her account "
        "on the Staff page instead."]


def test_empty_files_and_too_many_rows():
    assert triples(staff("")) == [(1, "", "The file is empty: it needs a header row and a row per person.")]
    assert triples(staff("\ufeff\n\n")) == [(1, "", "The file is empty: it needs a header row and a row per person.")]
    big = "Login,Full name,Role\n" + "".join(f"u{i},N {i},nurse\n" for i in range(201))
    outcome = staff(big)
    assert triples(outcome) == [(202, "", "A file may hold at most 200 rows: split it.")]
    many = "ФИО;Дата рождения;Отделение\n" + "".join(f"Ж {i};1940-01-01;Второе отделение\n" for i in range(2001))
    outcome = residents(many)
    assert triples(outcome) == [(2002, "", "A file may hold at most 2000 rows: split it.")]
    assert len(outcome.new) == 2000
    extra = staff("Login,Full name,Role\nu1,N,nurse,surplus\n")
    assert triples(extra) == [(2, "", "This row has more cells than the header has columns.")]


def test_messages_keep_their_template_for_translation():
    problem = staff("Login,Full name,Role\nu1,N,king\n").problems[0]
    assert problem.message.template.startswith("Not a staff role. Write one of: %(names)s.")


def test_a_unit_and_a_post_named_in_another_of_their_languages():
    """A unit's or a post's name in the home's languages (domain/places.py) names it in a file too: an English
    administrator writes the English names she sees."""
    units = [ci.UnitInfo(3, "Третье отделение", {"Пост В": 31, "Пост Г": 32}, {}, aliases=("Third unit",),
                         post_aliases={"Post C": 31, "Post D": 32})]
    outcome = ci.check(ci.read(ci.RESIDENTS, "Full name,Date of birth,Unit,Duty post\n"
                                             "Anna Ershova,1940-02-01,third UNIT,Post D\n"), units, TODAY)
    assert outcome.valid, triples(outcome)
    assert (outcome.new[0]["unit_id"], outcome.new[0]["post_id"]) == (3, 32)
    outcome = ci.check(ci.read(ci.STAFF, "User name,Full name,Role,Unit\nmaria,Maria,nurse,Third unit\n"),
                       units, TODAY)
    assert outcome.valid, triples(outcome)


def test_staff_post_by_its_code_or_its_name_in_any_language():
    """The post column («Должность»: the staff screen's word) names her post (domain/posts.py) by its code or its
    name in ru, zh_Hans or en; a filled-in role cell stands beside it."""
    text = ("Логин;ФИО;Должность;Роль\n"
            "a.feld;Анна Фельдман;feldsher;nurse\n"
            "o.zim;Ольга Зимина;медицинская сестра палатная (постовая);Составитель карт ухода\n"
            "li.na;李娜;心理咨询师;activities\n"
            "j.doe;Jane Doe;  social WORKER ;activities\n")
    outcome = staff(text)
    assert outcome.valid, triples(outcome)
    assert [(r["username"], r["post"], r["roles"]) for r in outcome.new] == [
        ("a.feld", "feldsher", ("nurse",)), ("o.zim", "ward_nurse", ("planner",)),
        ("li.na", "psychologist", ("activities",)), ("j.doe", "social_worker", ("activities",))]
    assert staff("Login,Full name,Role\nxx,X,nurse\n").new[0]["post"] is None  # no post column: none chosen


def test_staff_post_brings_its_roles_when_the_role_cell_is_empty():
    text = ("Login,Full name,Post,Role\n"
            "s.spec,Sofia,Специалист по социальной реабилитации,\n"   # two roles, the main one first
            "h.sit,Halina,护工,\n"
            "n.none,Nina,,\n")                                         # neither: fill in the role
    outcome = staff(text)
    assert triples(outcome) == [(4, "Role", "Fill this in.")]
    outcome = staff(text.replace("n.none,Nina,,", "n.none,Nina,,admin"))
    assert outcome.valid, triples(outcome)
    assert [(r["post"], r["roles"]) for r in outcome.new] == [
        ("social_rehabilitation_specialist", ("planner", "supervisor")), ("sitter", ("nurse",)), (None, ("admin",))]
    # a file with a post column may leave out the role column; with neither, the role column is missing
    outcome = staff("职务,登录名,姓名\nsitter,w.wang,王芳\n")
    assert outcome.valid and outcome.new[0]["roles"] == ("nurse",), triples(outcome)
    assert triples(staff("Login,Full name\nxx,X\n")) == [(1, "Role", "This column is missing.")]


def test_a_wrong_post_is_a_problem_on_the_post_column():
    outcome = staff("Логин;ФИО;Должность;Роль\nxx;Икс;Дворник;\nyy;Игрек;Дворник;nurse\n")
    assert [(line, column) for line, column, _m in triples(outcome)] == [(2, "Должность"), (3, "Должность")]
    message = outcome.problems[0].message
    assert message.template == "Not a post (job title). Write one of: %(names)s."
    assert str(message).startswith("Not a post (job title). Write one of: Junior nurse, Sitter, Ward nurse, ")
    # the posts are listed by their labels (Msg): the reader sees them in her language
    assert [getattr(v, "template", None) for v in message.params["names"].params.values()][:2] == [
        "Junior nurse", "Sitter"]


def test_role_column_no_longer_takes_the_word_for_post():
    """«Должность» is the post column's header now, not a spelling of the role column."""
    assert "должность" not in next(c for c in ci.COLUMNS[ci.STAFF] if c.key == "role").spellings()
    outcome = staff("Логин;ФИО;Должность\nxx;Икс;Врач\n")
    assert outcome.valid, triples(outcome)
    assert (outcome.new[0]["post"], outcome.new[0]["roles"]) == ("physician", ("planner",))


def test_every_post_s_label_in_each_catalog_names_it():
    """POST_NAMES holds each post's label as the catalogs translate it (what the staff screen shows)."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    from backend.domain import posts
    root = Path(__file__).resolve().parents[2] / "translations"
    for lang in ("ru", "zh_Hans"):
        with open(root / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
            catalog = read_po(fh, locale=lang)
        for post in posts.POSTS:
            translated = catalog.get(str(post.label))
            assert translated is not None and translated.string, (lang, post.code)
            assert ci.check(ci.read(ci.STAFF, f"Login,Full name,Post\nxx,X,\"{translated.string}\"\n"), UNITS,
                            TODAY).new[0]["post"] == post.code, (lang, translated.string)
    named = {}
    for p in posts.POSTS:
        for name in {ci._fold(n) for n in (p.code, str(p.label), *ci.POST_NAMES[p.code])}:
            named.setdefault(name, []).append(p.code)
    assert not {name: codes for name, codes in named.items() if len(codes) > 1}  # no name names two posts


def test_an_existing_login_compares_her_post_when_the_row_names_one():
    users = [ci.ExistingUser("o.kim", True, "Ольга Ким", ("nurse",), (), "sitter")]
    assert staff("Login,Full name,Post,Role\no.kim,Ольга Ким,Сиделка,\n", users).statuses[2] == "unchanged"
    assert staff("Login,Full name,Role\no.kim,Ольга Ким,nurse\n", users).statuses[2] == "unchanged"
    other = staff("Login,Full name,Post,Role\no.kim,Ольга Ким,junior_nurse,\n", users)
    assert [(line, column) for line, column, _m in triples(other)] == [(2, "Login")]
