"""The organisation an administrator keeps (services/organisation.py): the home, units, duty posts, rooms and beds;
and the relatives linked to a resident (services/invitations.py)."""
import io

import pypdf
import pytest

from backend.extensions import db
from backend.models import AuditEvent, RelativeLink, Resident, User
from .conftest import login_as
from ..conftest import LOGINS


@pytest.fixture
def admin(demo, make_api):
    client = make_api()
    client.login(LOGINS.admin1, device_id="office")
    return client


def test_the_whole_organisation_in_one_reply(admin, world):
    status, org = admin.get("/api/organisation")
    assert status == 200
    assert org["home"]["timezone"] == "Asia/Krasnoyarsk"
    assert [u["id"] for u in org["units"]] == [world.unit1, world.unit2]
    assert org["units"][0]["posts"][0]["id"] == world.post1
    # the staff screen's roles: the region's inspector is made by an administrator too (docs/domain.md)
    assert org["roles"] == ["nurse", "supervisor", "planner", "activities", "admin", "inspector"]
    assert "Asia/Shanghai" in org["timezones"] and "Europe/Moscow" in org["timezones"]


def test_a_unit_its_post_and_rooms_with_beds(admin, demo):
    status, unit = admin.post("/api/units", {"name": " Милосердие "})
    assert status == 201 and unit["name"] == "Милосердие"
    status, post = admin.post("/api/posts", {"unit_id": unit["id"], "name": "Пост 3"})
    assert status == 201 and post["unit_id"] == unit["id"]
    status, room = admin.post("/api/rooms", {"unit_id": unit["id"], "name": "301", "post_id": post["id"],
                                             "beds": ["1", "2"]})
    assert status == 201 and room["beds"] == ["1", "2"] and room["post_id"] == post["id"]
    status, body = admin.post("/api/rooms", {"unit_id": unit["id"], "name": "301", "beds": []})
    assert status == 400 and set(body["fields"]) == {"name"}  # the unit has a room 301 already
    status, room = admin.patch(f"/api/rooms/{room['id']}", {"beds": ["2", "3"], "name": "302"})
    assert status == 200 and (room["name"], room["beds"]) == ("302", ["2", "3"])
    status, room = admin.patch(f"/api/rooms/{room['id']}", {"active": False})
    assert room["active"] is False
    org = admin.get("/api/organisation")[1]
    mine = next(u for u in org["units"] if u["id"] == unit["id"])
    assert [p["name"] for p in mine["posts"]] == ["Пост 3"] and mine["rooms"][0]["name"] == "302"
    assert admin.get("/api/posts")[0] == 200 and post["id"] in [p["id"] for p in admin.get("/api/posts")[1]]
    with demo.app_context():
        actions = [a.action for a in AuditEvent.query.order_by(AuditEvent.id)]
    assert actions[-5:] == ["unit_create", "post_create", "room_create", "room_change", "room_change"]


def test_bad_organisation_input_names_the_field(admin, world):
    assert set(admin.post("/api/rooms", {"unit_id": world.unit1, "name": "1", "beds": ["1", "1"]})[1]["fields"]) \
        == {"beds"}
    assert set(admin.post("/api/rooms", {"unit_id": world.unit1, "name": "1", "post_id": world.post2})[1]["fields"]) \
        == {"post_id"}
    assert set(admin.post("/api/rooms", {"unit_id": 999999, "name": "1"})[1]["fields"]) == {"unit_id"}
    assert set(admin.post("/api/rooms", {"unit_id": world.unit1, "name": "x" * 21})[1]["fields"]) == {"name"}
    assert set(admin.post("/api/posts", {"unit_id": world.unit1, "name": "   "})[1]["fields"]) == {"name"}
    assert set(admin.patch("/api/home", {"timezone": "Mars/Olympus"})[1]["fields"]) == {"timezone"}
    assert admin.patch("/api/units/999999", {"name": "x"})[0] == 404


def test_renaming_moves_nothing_already_recorded(admin, world, make_api):
    status, home = admin.patch("/api/home", {"name": "Дом ветеранов", "locale": "ru", "timezone": "Asia/Krasnoyarsk"})
    assert status == 200 and home["name"] == "Дом ветеранов"
    # renamed, its translations cleared (`names`: the demo names its places in English too): every reader sees it
    assert admin.patch(f"/api/units/{world.unit1}", {"name": "Первое", "names": {}})[1]["name"] == "Первое"
    assert admin.patch(f"/api/posts/{world.post1}", {"name": "Пост А", "names": {}})[1]["name"] == "Пост А"
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    assert [p["name"] for p in nurse.get("/api/posts")[1]] == ["Пост А"]
    assert nurse.get("/api/auth/me")[1]["home_name"] == "Дом ветеранов"


def test_relatives_of_a_resident_and_removing_a_link(demo, world, make_api):
    relative = make_api()
    relative.login(LOGINS.relative1)
    status, mine = relative.get("/api/family/residents")
    resident_id = mine[0]["id"]
    staff = make_api()
    staff.login(LOGINS.supervisor1)
    status, relatives = staff.get(f"/api/residents/{resident_id}/relatives")
    assert status == 200 and [r["username"] for r in relatives] == [LOGINS.relative1]
    user_id = relatives[0]["user_id"]
    assert staff.delete(f"/api/residents/{resident_id}/relatives/{user_id}")[0] == 200
    assert staff.get(f"/api/residents/{resident_id}/relatives")[1] == []
    assert relative.get(f"/api/family/residents/{resident_id}")[0] == 404  # at once, on her next request
    assert staff.delete(f"/api/residents/{resident_id}/relatives/{user_id}")[0] == 404
    with demo.app_context():
        assert RelativeLink.query.filter_by(user_id=user_id).count() == 0
        assert db.session.get(User, user_id).active  # the account stays (other residents, a new code)


def test_a_renamed_post_reaches_the_tablet_at_its_next_pull(admin, world, make_api):
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    page = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")[1]
    assert page["post"]["id"] == world.post1
    admin.patch(f"/api/posts/{world.post1}", {"name": "Пост у лифта", "names": {}})
    admin.patch(f"/api/units/{world.unit1}", {"name": "Милосердие", "names": {}})
    page = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor={page['cursor']}")[1]
    assert (page["post"]["name"], page["post"]["unit_name"]) == ("Пост у лифта", "Милосердие")


def test_residents_follow_their_room_renamed_or_covered_by_another_post(admin, world, make_api, demo):
    from backend.models import ResidentEvent
    nurse = make_api()
    nurse.login(LOGINS.nurse1)
    cursor = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor=0")[1]["cursor"]
    rooms = {r["name"]: r for r in admin.get("/api/organisation")[1]["units"][0]["rooms"]}
    with demo.app_context():
        in_101 = sorted(r.id for r in Resident.query.filter_by(unit_id=world.unit1, room="101"))
        in_102 = sorted(r.id for r in Resident.query.filter_by(unit_id=world.unit1, room="102"))
    assert len(in_101) == 2 and len(in_102) == 2
    # a bed she lies in cannot go, nor a room she lives in be retired
    status, body = admin.patch(f"/api/rooms/{rooms['101']['id']}", {"beds": ["2", "3"]})
    assert status == 400 and set(body["fields"]) == {"beds"}
    assert set(admin.patch(f"/api/rooms/{rooms['101']['id']}", {"active": False})[1]["fields"]) == {"active"}
    # renamed: her room on her record and on the tablet follows
    assert admin.patch(f"/api/rooms/{rooms['101']['id']}", {"name": "101А"})[0] == 200
    page = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}")[1]
    assert sorted(r["id"] for r in page["residents"] if r["room"] == "101А") == in_101
    # another post takes room 102: its residents move there, the first post learns they left
    status, post = admin.post("/api/posts", {"unit_id": world.unit1, "name": "Пост 1Б"})
    other = make_api()
    other.login(LOGINS.nurse3, device_id="tab-3")
    other_cursor = other.get(f"/api/sync/pull?post_id={post['id']}&cursor=0")[1]["cursor"]
    cursor = page["cursor"]
    assert admin.patch(f"/api/rooms/{rooms['102']['id']}", {"post_id": post["id"]})[0] == 200
    page = nurse.get(f"/api/sync/pull?post_id={world.post1}&cursor={cursor}")[1]
    assert {r["id"]: r["post_id"] for r in page["residents"] if r["id"] in in_102} == dict.fromkeys(in_102, post["id"])
    joined = other.get(f"/api/sync/pull?post_id={post['id']}&cursor={other_cursor}")[1]
    assert sorted(r["id"] for r in joined["residents"]) == in_102
    assert {c["resident_id"] for c in joined["cards"]} == set(in_102)  # their cards come with them
    with demo.app_context():
        moves = ResidentEvent.query.filter_by(kind="move").all()
        assert sorted(m.resident_id for m in moves) == sorted(in_101 + in_102)


# --- a place's name in the reader's language (issue 16, finding 10) -----------------------------------------

def _reader(make_api, username, language):
    client = login_as(make_api, username)
    client.default_headers["Accept-Language"] = language
    return client


def test_a_unit_named_in_russian_reads_in_the_readers_language(small, make_api, app):
    admin = login_as(make_api, small.usernames["admin"])
    status, unit = admin.patch(f"/api/units/{small.unit1}", {"name": "Отделение заботы",
                                                              "names": {"en": "Ward of care", "zh_Hans": " "}})
    assert status == 200, unit
    status, post = admin.patch(f"/api/posts/{small.post1}", {"name": "Пост у окна", "names": {"zh_Hans": "窗边站"}})
    assert status == 200, post
    english, chinese, russian = (_reader(make_api, small.usernames["supervisor"], lang)
                                 for lang in ("en", "zh-CN,zh;q=0.9", "ru"))
    # the English name under English; Chinese was left empty, so the name as entered; Russian: as entered
    assert [u["name"] for u in english.get("/api/units")[1]] == ["Ward of care"]
    assert [u["name"] for u in chinese.get("/api/units")[1]] == ["Отделение заботы"]
    assert [u["name"] for u in russian.get("/api/units")[1]] == ["Отделение заботы"]
    # the post: Chinese given, English not; its unit in each reader's language
    nurse_en, nurse_zh = (_reader(make_api, small.usernames["nurse"], lang) for lang in ("en", "zh"))
    (mine_en,), (mine_zh,) = nurse_en.get("/api/posts")[1], nurse_zh.get("/api/posts")[1]
    assert (mine_en["name"], mine_en["unit_name"]) == ("Пост у окна", "Ward of care")
    assert (mine_zh["name"], mine_zh["unit_name"]) == ("窗边站", "Отделение заботы")
    # what the tablet keeps offline names it in every language (its language may change before the next pull)
    assert mine_en["names"] == {"ru": "Пост у окна", "zh_Hans": "窗边站", "en": "Пост у окна"}
    assert mine_en["unit_names"] == {"ru": "Отделение заботы", "zh_Hans": "Отделение заботы", "en": "Ward of care"}
    page = nurse_en.get(f"/api/sync/pull?post_id={small.post1}&cursor=0")[1]
    assert page["post"]["unit_name"] == "Ward of care" and page["post"]["names"]["zh_Hans"] == "窗边站"
    # the administrator's screen: hers, the name as entered and the translations she gave (empty ones dropped)
    org = _reader(make_api, small.usernames["admin"], "en").get("/api/organisation")[1]
    (mine,) = org["units"]
    assert (mine["name"], mine["entered_name"], mine["names"]) == ("Ward of care", "Отделение заботы",
                                                                   {"en": "Ward of care"})
    assert (mine["posts"][0]["name"], mine["posts"][0]["names"]) == ("Пост у окна", {"zh_Hans": "窗边站"})
    # other replies that name the unit: the activity screens, invitations, the carers' shift, the month's figures
    people = english.get("/api/activities/people")[1]
    assert [u["name"] for u in people["units"]] == ["Ward of care"]
    assert {r["unit_name"] for r in people["residents"]} == {"Ward of care"}
    assert {r["unit_name"] for r in english.get("/api/invitations/residents")[1]} == {"Ward of care"}
    assert english.get(f"/api/monitoring/month?month=2026-11&unit_id={small.unit1}")[1]["unit"] == "Ward of care"
    assert russian.get(f"/api/monitoring/month?month=2026-11&unit_id={small.unit1}")[1]["unit"] == "Отделение заботы"
    # a rename that leaves `names` out keeps them; the audit keeps both changes
    assert admin.patch(f"/api/units/{small.unit1}", {"name": "Отделение ухода"})[0] == 200
    assert [u["name"] for u in english.get("/api/units")[1]] == ["Ward of care"]
    assert [u["name"] for u in russian.get("/api/units")[1]] == ["Отделение ухода"]
    with app.app_context():
        renames = [a.detail for a in AuditEvent.query.filter_by(action="unit_rename").order_by(AuditEvent.id)]
    assert renames[0]["names"] == [None, {"en": "Ward of care"}] and "names" not in renames[1]


def test_a_new_unit_and_post_with_their_names(small, make_api):
    admin = login_as(make_api, small.usernames["admin"])
    status, unit = admin.post("/api/units", {"name": "Третье", "names": {"en": "Third", "ru": ""}})
    assert status == 201, unit
    status, post = admin.post("/api/posts", {"unit_id": unit["id"], "name": "Пост 3Ц", "names": {"en": "Post 3C"}})
    assert status == 201, post
    org = _reader(make_api, small.usernames["admin"], "en").get("/api/organisation")[1]
    made = next(u for u in org["units"] if u["id"] == unit["id"])
    assert (made["name"], made["names"], made["posts"][0]["name"]) == ("Third", {"en": "Third"}, "Post 3C")


def test_names_in_other_languages_are_checked_and_named_in_errors(small, make_api):
    admin = _reader(make_api, small.usernames["admin"], "en")
    status, body = admin.patch(f"/api/units/{small.unit1}", {"name": "Отделение", "names": {"en": "x" * 201}})
    assert status == 400 and set(body["fields"]) == {"names.en"}
    assert "Name in English" in body["message"]
    status, body = admin.post("/api/posts", {"unit_id": small.unit1, "name": "Пост", "names": {"de": "Posten"}})
    assert status == 400 and set(body["fields"]) == {"names.de"}
    status, body = admin.patch(f"/api/posts/{small.post1}", {"name": "Пост", "names": "Post"})
    assert status == 400 and [f.split(".")[0] for f in body["fields"]] == ["names"]
    assert "Name in other languages" in body["message"]
    status, body = admin.patch(f"/api/units/{small.unit1}", {"name": "Отделение", "names": {"zh_Hans": "x" * 201}})
    assert status == 400 and "Name in Chinese" in body["message"]


def test_the_printed_figures_name_the_unit_in_the_print_language(small, make_api):
    admin = login_as(make_api, small.usernames["admin"])
    assert admin.patch(f"/api/units/{small.unit1}", {"name": "Отделение заботы", "names": {"en": "Ward of care"}})[0] \
        == 200
    texts = {}
    for lang in ("en", "ru"):
        response = admin.client.get(f"/api/monitoring/month.pdf?month=2026-11&unit_id={small.unit1}&lang={lang}",
                                    headers={"X-Bedside": "1"})
        assert response.status_code == 200
        texts[lang] = "\n".join(p.extract_text() for p in pypdf.PdfReader(io.BytesIO(response.data)).pages)
    assert "Ward of care" in texts["en"] and "Отделение заботы" not in texts["en"]
    assert "Отделение заботы" in texts["ru"] and "Ward of care" not in texts["ru"]


def test_a_units_phone_number_is_kept_cleared_and_refused_when_it_is_none(admin, world, demo):
    status, unit = admin.patch(f"/api/units/{world.unit1}/phone", {"phone": " +7 (391) 555-01-99 "})
    assert status == 200 and unit["phone"] == "+7 (391) 555-01-99"
    assert next(u for u in admin.get("/api/organisation")[1]["units"] if u["id"] == world.unit1)["phone"] \
        == "+7 (391) 555-01-99"
    for bad in ("call the office", "12", "1" * 41):
        status, body = admin.patch(f"/api/units/{world.unit1}/phone", {"phone": bad})
        assert status in (400, 422) and set(body["fields"]) == {"phone"}, (bad, body)
    assert admin.patch(f"/api/units/{world.unit1}/phone", {})[1]["fields"].keys() == {"phone"}
    status, unit = admin.patch(f"/api/units/{world.unit1}/phone", {"phone": "   "})
    assert status == 200 and unit["phone"] is None
    assert admin.patch("/api/units/999999/phone", {"phone": None})[0] == 404
    with demo.app_context():
        changes = [a.detail["phone"] for a in AuditEvent.query.filter_by(action="unit_phone").order_by(AuditEvent.id)]
    assert changes == [[None, "+7 (391) 555-01-99"], ["+7 (391) 555-01-99", None]]
