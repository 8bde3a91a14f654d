"""Bulk onboarding from CSV (api/onboarding.py): a file with errors (the dry run names each by line and column, a
real import writes nothing), the corrected file (written in one go; new staff sign in with their one-time
passwords and must change them), the same file again (nothing changes but the import's own audit row)."""
import pytest

from backend.extensions import db
from backend.models import AuditEvent, Resident, ResidentEvent, User
from ..conftest import LOGINS


@pytest.fixture
def admin(demo, make_api):
    client = make_api()
    client.login(LOGINS.admin1, device_id="office")
    return client


def _counts(app):
    with app.app_context():
        counts = (User.query.count(), Resident.query.count(), AuditEvent.query.count())
        db.session.remove()
    return counts


def _new_audit(app, since):
    with app.app_context():
        rows = [(a.action, a.object_type, a.detail) for a in AuditEvent.query.filter(AuditEvent.id > since)
                .order_by(AuditEvent.id)]
        db.session.remove()
    return rows


def _last_audit_id(app):
    with app.app_context():
        last = db.session.query(db.func.max(AuditEvent.id)).scalar()
        db.session.remove()
    return last


def _where(problems):
    return [(p["line"], p["column"]) for p in problems]


def staff_files(world):
    """(a file with errors, the corrected file): new staff of the demo's unit 1 (named as the demo names it) and a
    row for nurse1 -- with other details, then as she is."""
    unit1, nurse1 = world.names.units[world.unit1], world.names.staff[LOGINS.nurse1]
    with_errors = (
        "\ufeffЛогин;ФИО;Роль;Отделение;Язык\r\n"
        f"O.Zimina;Ольга Зимина;Младшая медсестра по уходу;{unit1};русский\r\n"
        f"{LOGINS.nurse1};Кто-то другой;nurse;;\r\n"          # 3: her login, other details
        "li.na;李娜;king;Нет такого;\r\n"                        # 4: role and unit
        "o.zimina;Ольга Зимина;nurse;;\r\n"                      # 5: twice in the file
    )
    corrected = (
        "\ufeffЛогин;ФИО;Роль;Отделение;Язык\r\n"
        f"O.Zimina;Ольга Зимина;Младшая медсестра по уходу;{unit1};русский\r\n"
        f"{LOGINS.nurse1};{nurse1};nurse;{unit1};\r\n"         # already in the home as she is
        "li.na;李娜;护理组长;;中文\r\n"
    )
    return with_errors, corrected


def test_staff_import_dry_run_then_import_then_again(admin, demo, world, make_api):
    staff_with_errors, staff_corrected = staff_files(world)
    before = _counts(demo)
    status, reply = admin.post("/api/import/staff", {"csv": staff_with_errors, "dry_run": True})
    assert status == 200, reply
    assert reply["valid"] is False and reply["dry_run"] is True and reply["created"] == 0
    assert _where(reply["problems"]) == [(3, "Логин"), (4, "Роль"), (4, "Отделение"), (5, "Логин")]
    assert reply["problems"][-1]["message"] == "The same login as line 2."
    assert [(r["line"], r["status"]) for r in reply["rows"]] == [(2, "new"), (3, "invalid"), (4, "invalid"),
                                                                 (5, "invalid")]
    # a real import of the same file writes nothing and says why
    status, body = admin.post("/api/import/staff", {"csv": staff_with_errors, "dry_run": False})
    assert (status, body["error"]) == (400, "import_invalid")
    assert _where(body["problems"]) == _where(reply["problems"]) and "csv" in body["fields"]
    assert _counts(demo) == before

    # the corrected file: checked, then imported
    status, dry = admin.post("/api/import/staff", {"csv": staff_corrected})  # dry_run defaults to true
    assert status == 200 and dry["valid"] is True and dry["dry_run"] is True
    assert (dry["to_create"], dry["created"], dry["unchanged"], dry["accounts"]) == (2, 0, 1, [])
    assert _counts(demo) == before
    since = _last_audit_id(demo)
    status, done = admin.post("/api/import/staff", {"csv": staff_corrected, "dry_run": False})
    assert status == 200, done
    assert (done["valid"], done["created"], done["unchanged"]) == (True, 2, 1)
    accounts = {a["username"]: a for a in done["accounts"]}
    assert set(accounts) == {"o.zimina", "li.na"}
    assert accounts["li.na"]["roles"] == ["supervisor"] and accounts["li.na"]["unit_ids"] == []
    audit = _new_audit(demo, since)
    assert [a[0] for a in audit] == ["staff_create", "staff_create", "import"]
    assert audit[-1][2] == {"kind": "staff", "rows": 3, "created": 2, "unchanged": 1}
    assert not any(a["temporary_password"] in str(audit) for a in accounts.values())
    with demo.app_context():
        olga = User.query.filter_by(username="o.zimina").one()
        assert (olga.full_name, olga.role, olga.locale, olga.must_change_password) == ("Ольга Зимина", "nurse",
                                                                                     "ru", True)
        assert olga.unit_ids == User.query.filter_by(username=LOGINS.nurse1).one().unit_ids
        db.session.remove()

    # each signs in with her one-time password, and must choose her own first
    for username, account in accounts.items():
        person = make_api()
        me = person.login(username, account["temporary_password"], device_id=f"tab-{username}")
        assert me["must_change_password"] is True
        status, refused = person.get("/api/posts")
        assert (status, refused["error"]) == (403, "password_change_required")
        status, changed = person.post("/api/auth/password", {"current_password": account["temporary_password"],
                                                             "new_password": "берёзовая роща у реки"})
        assert status == 200 and changed["must_change_password"] is False

    # the same file again: nothing changes but the import's own audit row
    counts = _counts(demo)
    since = _last_audit_id(demo)
    status, again = admin.post("/api/import/staff", {"csv": staff_corrected, "dry_run": False})
    assert status == 200, again
    assert (again["created"], again["unchanged"], again["accounts"]) == (0, 3, [])
    assert _counts(demo) == (counts[0], counts[1], counts[2] + 1)
    assert [a[0] for a in _new_audit(demo, since)] == ["import"]


def test_imported_staff_get_their_post(admin, demo):
    """The post column sets her post (domain/posts.py); an empty role cell takes the post's roles. Importing the
    same file again changes nothing; a wrong post is a problem on the post column."""
    text = ("\ufeffЛогин;ФИО;Должность;Роль\r\n"
            "s.spec;Софья Рыбкина;Специалист по социальной реабилитации;\r\n"
            "w.fang;王芳;护工;\r\n"
            "f.feld;Фаина Фельдман;feldsher;nurse\r\n")
    status, wrong = admin.post("/api/import/staff", {"csv": text.replace("feldsher", "Дворник")})
    assert status == 200 and _where(wrong["problems"]) == [(4, "Должность")]
    assert wrong["problems"][0]["message"].startswith("Not a post (job title). Write one of: Junior nurse, Sitter")
    since = _last_audit_id(demo)
    status, done = admin.post("/api/import/staff", {"csv": text, "dry_run": False})
    assert status == 200 and done["created"] == 3, done
    assert {a["username"]: a["roles"] for a in done["accounts"]} == {
        "s.spec": ["planner", "supervisor"], "w.fang": ["nurse"], "f.feld": ["nurse"]}
    assert {a["username"]: a["post"] for a in done["accounts"]} == {
        "s.spec": "social_rehabilitation_specialist", "w.fang": "sitter", "f.feld": "feldsher"}  # the reply says it
    assert [a[2]["post"] for a in _new_audit(demo, since) if a[0] == "staff_create"] == [
        "social_rehabilitation_specialist", "sitter", "feldsher"]
    with demo.app_context():
        made = {u.username: (u.post, list(u.roles)) for u in User.query.filter(
            User.username.in_(["s.spec", "w.fang", "f.feld"]))}
        db.session.remove()
    assert made == {"s.spec": ("social_rehabilitation_specialist", ["planner", "supervisor"]),
                    "w.fang": ("sitter", ["nurse"]), "f.feld": ("feldsher", ["nurse"])}
    status, again = admin.post("/api/import/staff", {"csv": text, "dry_run": False})
    assert status == 200 and (again["created"], again["unchanged"]) == (0, 3), again


@pytest.fixture
def demo_residents(demo, world):
    """(name, birth date as DD.MM.YYYY, room, bed) of the first two residents of unit 2."""
    with demo.app_context():
        rows = [db.session.get(Resident, rid) for rid in world.residents[world.unit2][:2]]
        found = [(r.full_name, r.birth_date.strftime("%d.%m.%Y"), r.room, r.bed) for r in rows]
        db.session.remove()
    return found


def test_residents_import_dry_run_then_import_then_again(admin, demo, world, demo_residents):
    # the units keep their rooms (the demo's and these): rooms and beds are checked
    status, _room = admin.post("/api/rooms", {"unit_id": world.unit1, "name": "150", "beds": ["1", "2"],
                                              "post_id": world.post1})
    assert status == 201, _room
    assert admin.post("/api/rooms", {"unit_id": world.unit2, "name": "299", "beds": ["1"],
                                     "post_id": world.post2})[0] == 201
    (first, first_birth, first_room, first_bed), (second, second_birth, second_room, second_bed) = demo_residents
    unit1, post1 = world.names.units[world.unit1], world.names.posts[world.post1]
    unit2, post2 = world.names.units[world.unit2], world.names.posts[world.post2]
    header = "姓名,出生日期,科室,护理站,房间,床位,入住日期\n"
    with_errors = header + (
        f"王秀英,1936-03-08,{unit1},{post1},150,1,2026-11-20\n"                # 2: fine
        f"李桂兰,2030-01-01,Нет такого,{post1},150,1,\n"                       # 3: birth date, unit
        f"张淑珍,1939-12-31,{unit1},{post1},999,1,\n"                          # 4: no such room
        f"刘玉梅,1940-01-01,{unit1},,150,3,\n"                                 # 5: no such bed
        f"{first},{first_birth},{unit2},{post2},{first_room},{first_bed},\n"  # 6: already there, as she is
        f"{second},{second_birth},{unit2},{post2},299,1,\n"                   # 7: already there, elsewhere
        f"陈兰英,1941-02-02,{unit2},{post2},{first_room},{first_bed},\n"      # 8: her bed is taken
    )
    before = _counts(demo)
    status, reply = admin.post("/api/import/residents", {"csv": with_errors, "dry_run": True})
    assert status == 200, reply
    assert _where(reply["problems"]) == [(3, "出生日期"), (3, "科室"), (4, "房间"), (5, "床位"), (7, "姓名"),
                                         (8, "床位")]
    assert reply["problems"][4]["message"] == ("Already in the home (another unit, post, room or bed); move her on "
                                               "her record instead.")
    assert [(r["line"], r["status"]) for r in reply["rows"]] == [
        (2, "new"), (3, "invalid"), (4, "invalid"), (5, "invalid"), (6, "unchanged"), (7, "invalid"), (8, "invalid")]
    status, body = admin.post("/api/import/residents", {"csv": with_errors, "dry_run": False})
    assert (status, body["error"]) == (400, "import_invalid")
    assert _counts(demo) == before

    corrected = header + (
        f"王秀英,1936-03-08,{unit1},{post1},150,1,2026-11-20\n"
        f"张淑珍,31.12.1939,{unit1},,150,2,\n"   # the room's post
        f"{first},{first_birth},{unit2},{post2},{first_room},{first_bed},\n"
        f"陈兰英,1941-02-02,{unit2},{post2},299,1,\n"
    )
    since = _last_audit_id(demo)
    status, done = admin.post("/api/import/residents", {"csv": corrected, "dry_run": False})
    assert status == 200, done
    assert (done["valid"], done["created"], done["unchanged"], done["accounts"]) == (True, 3, 1, [])
    assert [a[0] for a in _new_audit(demo, since)] == ["resident_admit"] * 3 + ["import"]
    with demo.app_context():
        new = {r.full_name: r for r in Resident.query.filter(Resident.full_name.in_(["王秀英", "张淑珍", "陈兰英"]))}
        assert {name: (r.unit_id, r.post_id, r.room, r.bed, r.birth_date.isoformat()) for name, r in new.items()} == {
            "王秀英": (world.unit1, world.post1, "150", "1", "1936-03-08"),
            "张淑珍": (world.unit1, world.post1, "150", "2", "1939-12-31"),
            "陈兰英": (world.unit2, world.post2, "299", "1", "1941-02-02")}
        assert len({r.seq for r in new.values()}) == 3 and all(r.active and r.care_group is None
                                                               for r in new.values())
        assert new["王秀英"].admitted_on.isoformat() == "2026-11-20"
        assert new["张淑珍"].admitted_on.isoformat() == "2026-11-25"  # the home's today by default
        assert all(r.status == "present" for r in new.values())
        events = ResidentEvent.query.filter(ResidentEvent.resident_id.in_([r.id for r in new.values()])).all()
        assert sorted((e.kind, e.day.isoformat()) for e in events) == [
            ("admission", "2026-11-20"), ("admission", "2026-11-25"), ("admission", "2026-11-25")]
        db.session.remove()
    status, listing = admin.get(f"/api/residents?unit_id={world.unit1}")
    assert status == 200 and {"王秀英", "张淑珍"} <= {r["full_name"] for r in listing}

    counts = _counts(demo)
    since = _last_audit_id(demo)
    status, again = admin.post("/api/import/residents", {"csv": corrected, "dry_run": False})
    assert status == 200, again
    assert (again["created"], again["unchanged"]) == (0, 4)
    assert _counts(demo) == (counts[0], counts[1], counts[2] + 1)
    assert [a[0] for a in _new_audit(demo, since)] == ["import"]


@pytest.mark.parametrize("lang,header", [
    ("ru", "Логин;ФИО;Должность;Роль;Отделение;Язык"),
    ("zh_Hans", "登录名,姓名,职务,角色,科室,语言"),
    ("en", "Login,Full name,Post,Role,Unit,Language"),
])
def test_the_template_in_each_language(admin, lang, header):
    response = admin.client.get(f"/api/import/staff/template.csv?lang={lang}")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbf")  # a BOM: Excel reads the file as UTF-8
    assert raw.decode("utf-8-sig").splitlines() == [header]
    assert f"bedside-staff-{lang}.csv" in response.headers["Content-Disposition"]
    # the template itself imports cleanly as an empty file
    status, reply = admin.post("/api/import/staff", {"csv": raw.decode("utf-8")})
    assert status == 200 and [p["line"] for p in reply["problems"]] == [2]


def test_residents_template_defaults_to_her_language(admin):
    raw = admin.client.get("/api/import/residents/template.csv").get_data().decode("utf-8-sig")
    assert raw.splitlines() == ["ФИО;Дата рождения;Отделение;Пост;Палата;Койка;Дата поступления"]  # the demo's ru


def test_only_staff_and_residents_are_imported(admin):
    assert admin.get("/api/import/rooms/template.csv")[0] == 404
    status, body = admin.post("/api/import/rooms", {"csv": "a,b\n1,2\n"})
    assert (status, body["error"]) == (404, "not_found")


def test_problems_come_in_the_reader_s_language(admin):
    assert admin.patch("/api/auth/me", {"locale": "ru"})[0] == 200
    text = "Login,Full name,Role\nx y,Name,nurse\n"
    status, reply = admin.post("/api/import/staff", {"csv": text})
    assert status == 200 and reply["problems"] == [{"line": 2, "column": "Login",
                                                    "message": "Логин — одно слово, без пробелов."}]
    status, body = admin.post("/api/import/staff", {"csv": text, "dry_run": False})
    assert status == 400 and body["message"] == "В файле 1 ошибка: ничего не импортировано."


def test_the_body_is_bounded(admin):
    status, body = admin.post("/api/import/staff", {"csv": "x" * 2_000_001})
    assert status == 400 and "csv" in body["fields"]
    assert admin.post("/api/import/staff", {"csv": ""})[0] == 400
