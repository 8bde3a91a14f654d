"""The planner's card editor: create, copy, add, update, end, publish; tablets receive published cards."""
from datetime import date

from backend.extensions import db
from backend.models import AuditEvent, CareCard, Resident

from .. import factories
from .conftest import DAY, login_as, push, tick
from ..conftest import LOGINS

ITEM = {"category": "hygiene", "title": "Стрижка ногтей", "schedule_kind": "times", "schedule": {"times": ["10:00"]}}


def planner(make_api):
    client = make_api()
    client.login(LOGINS.planner1)
    return client


def test_create_copy_edit_publish_and_the_tablet_receives_it(demo, world, api, make_api):
    p = planner(make_api)
    current = world.cards[world.r1]["id"]
    api.login(LOGINS.nurse1)
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    status, card = p.post("/api/cards", {"resident_id": world.r1, "month": "2026-12-17", "copy_from": current})
    assert status == 201, card
    assert (card["month"], card["status"], card["version"]) == ("2026-12-01", "draft", 1)
    assert [i["title"] for i in card["items"]] == list(world.cards[world.r1]["items"])
    status, card = p.post(f"/api/cards/{card['id']}/items", ITEM)
    assert status == 201 and card["items"][-1]["title"] == ITEM["title"]
    new_item = card["items"][-1]["id"]
    status, card = p.patch(f"/api/cards/{card['id']}/items/{new_item}",
                           {"schedule_kind": "every_hours", "schedule": {"hours": 6, "start": "06:00"}})
    assert status == 200
    changed = next(i for i in card["items"] if i["id"] == new_item)
    assert (changed["schedule_kind"], changed["schedule"], changed["title"]) == (
        "every_hours", {"hours": 6, "start": "06:00"}, ITEM["title"])
    first = card["items"][0]["id"]
    status, card = p.delete(f"/api/cards/{card['id']}/items/{first}")  # a draft's item is deleted
    assert status == 200 and first not in {i["id"] for i in card["items"]}
    # drafts never reach the tablet
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={snap['cursor']}")
    assert page["cards"] == []
    status, published = p.post(f"/api/cards/{card['id']}/publish", {})
    assert status == 200 and published["status"] == "published"
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={snap['cursor']}")
    assert [(c["id"], c["status"], len(c["items"])) for c in page["cards"]] == [
        (card["id"], "published", len(card["items"]))]
    with demo.app_context():
        actions = [a.action for a in AuditEvent.query.filter(AuditEvent.action.like("card%"))
                   .order_by(AuditEvent.id)]
        assert actions == ["card_create", "card_item_add", "card_item_update", "card_item_end", "card_publish"]


def test_editing_a_published_card_bumps_its_version_and_keeps_history(demo, world, api, make_api):
    p = planner(make_api)
    card_id = world.cards[world.r1]["id"]
    api.login(LOGINS.nurse1)
    push(api, [tick(world)])  # a recording for the item that will end
    status, snap = api.get(f"/api/sync/pull?post_id={world.post1}")
    status, card = p.post(f"/api/cards/{card_id}/items", ITEM)
    assert card["version"] == 2
    added = card["items"][-1]
    assert added["valid_from"] == DAY  # applies from today, not from the start of the month
    status, card = p.delete(f"/api/cards/{card_id}/items/{world.toilet}")
    ended = next(i for i in card["items"] if i["id"] == world.toilet)
    assert ended["valid_to"] == "2026-11-24" and card["version"] == 3
    status, page = api.get(f"/api/sync/pull?post_id={world.post1}&cursor={snap['cursor']}")
    assert [(c["id"], c["version"]) for c in page["cards"]] == [(card_id, 3)]
    sup = make_api()
    sup.login(LOGINS.supervisor1)
    status, view = sup.get(f"/api/units/{world.unit1}/days/{DAY}")
    row = next(r for r in view["residents"] if r["resident"]["id"] == world.r1)
    assert world.toilet not in {c["item_id"] for c in row["cells"]}  # ended yesterday
    assert added["id"] in {c["item_id"] for c in row["cells"]}


def test_schedule_errors_name_the_field(demo, world, make_api):
    p = planner(make_api)
    card_id = world.cards[world.r1]["id"]
    # the message names the field by its label on the form (issue 16), the reply's `fields` by its name
    cases = [({"schedule": {"times": ["25:00"]}}, "times", "Times of day"),
             ({"schedule_kind": "every_hours", "schedule": {"hours": 0}}, "hours", "Every how many hours"),
             ({"schedule_kind": "per_shift", "schedule": {"shifts": ["evening"]}}, "shifts", "Shifts"),
             ({"days_of_week": [0]}, "days_of_week", "Days of the week"),
             ({"schedule_kind": "weekly"}, "schedule_kind", "Schedule"),
             ({"category": "magic"}, "category", "Category"),
             ({"title": ""}, "title", "Title")]
    for change, field, label in cases:
        status, body = p.post(f"/api/cards/{card_id}/items", dict(ITEM, **change))
        assert status == 400 and body["error"] == "validation_error", (change, body)
        assert list(body["fields"]) == [field], (change, body)
        assert body["message"] == f"Please check: {label}", body["message"]
    status, body = p.patch(f"/api/cards/{card_id}/items/{world.toilet}", {"schedule": {"times": []}})
    assert status == 400 and list(body["fields"]) == ["times"]


def test_create_conflicts_and_empty_publish(demo, world, make_api):
    p = planner(make_api)
    status, body = p.post("/api/cards", {"resident_id": world.r1, "month": DAY})
    assert status == 409 and "month" in body["fields"]
    status, card = p.post("/api/cards", {"resident_id": world.r1, "month": "2027-01-01"})
    assert status == 201 and card["items"] == []
    status, body = p.post(f"/api/cards/{card['id']}/publish", {})
    assert status == 400 and "items" in body["fields"]
    status, body = p.post("/api/cards", {"resident_id": world.r1, "month": "2027-02-01", "copy_from": 999999})
    assert status == 404


def test_unknown_item_of_a_card_is_404(app, make_api):
    # built with tests/factories.py, no demo: two residents' cards; an item of one is unknown on the other
    with app.app_context():
        home = factories.make_home()
        post = factories.make_post(factories.make_unit(home))
        mine, other = (factories.make_card(factories.make_resident(post, full_name=name), date(2026, 11, 1),
                                           [{"title": "Wash", "times": ["07:30"]}])
                       for name in ("Resident A", "Resident B"))
        factories.make_staff(home, "planner-a", roles=["planner"])
        card_id, my_item, other_item = mine.id, mine.items[0].id, other.items[0].id
        db.session.commit()
    p = login_as(make_api, "planner-a")
    assert p.patch(f"/api/cards/{card_id}/items/{my_item}", {"title": "x"})[0] == 200
    assert p.patch(f"/api/cards/{card_id}/items/{other_item}", {"title": "x"})[0] == 404
    assert p.delete(f"/api/cards/{card_id}/items/{other_item}")[0] == 404


def test_list_cards_newest_first(demo, world, make_api):
    p = planner(make_api)
    p.post("/api/cards", {"resident_id": world.r1, "month": "2026-12-01"})
    status, cards = p.get(f"/api/cards?resident_id={world.r1}")
    assert status == 200 and [c["month"] for c in cards] == ["2026-12-01", "2026-11-01"]


def test_patch_changes_only_the_fields_sent_and_refuses_nulls(small, make_api):
    # the `small` home of tests/factories.py: r1's first item is factories.SMALL_ITEMS[0]
    p = login_as(make_api, small.usernames["planner"])
    card_id, first = small.cards[small.r1], factories.SMALL_ITEMS[0]
    status, card = p.patch(f"/api/cards/{card_id}/items/{small.toilet}", {"position": 40})
    assert status == 200
    item = next(i for i in card["items"] if i["id"] == small.toilet)
    assert (item["position"], item["title"], item["schedule"]) == (40, first["title"], {"times": list(first["times"])})
    for field in ("position", "schedule", "title", "category", "schedule_kind"):
        status, body = p.patch(f"/api/cards/{card_id}/items/{small.toilet}", {field: None})
        assert status == 400 and list(body["fields"]) == [field], (field, status, body)


def test_cards_of_one_month(app, small, make_api):
    """GET /api/cards?resident_id=&month= answers that month's cards only (issue 16: it answered every month)."""
    with app.app_context():
        resident = db.session.get(Resident, small.r1)
        factories.make_card(resident, date(2026, 10, 1))
        db.session.commit()
        months = sorted(c.month.isoformat() for c in CareCard.query.filter_by(resident_id=small.r1))
        db.session.remove()
    assert months == ["2026-10-01", "2026-11-01"]
    planner_api = login_as(make_api, small.usernames["planner"])
    status, every = planner_api.get(f"/api/cards?resident_id={small.r1}")
    assert status == 200 and [c["month"] for c in every] == ["2026-11-01", "2026-10-01"]
    status, one = planner_api.get(f"/api/cards?resident_id={small.r1}&month=2026-10-17")
    assert status == 200 and [c["month"] for c in one] == ["2026-10-01"]
    status, body = planner_api.get(f"/api/cards?resident_id={small.r1}&month=October")
    assert status == 400 and "month" in body["fields"]
