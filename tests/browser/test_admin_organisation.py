"""The administrator keeps the organisation from the tablet: the home (name, time zone, language), units, their duty
posts and rooms (beds, the post that covers each, retiring one), with the API's errors beside the fields; staff
who issue invitation codes see a resident's relatives and remove one. Accessible in every language, portrait and
landscape."""
import pytest
from playwright.sync_api import expect

from .pages import TIMEOUT, full_catalog, add_room, confirm, create_unit_post_and_rooms, org_unit, sign_in_as_admin
from .test_bedside_loop import HEADERS, _api_session
from .test_screens import check_both_ways, check_screen
from ..conftest import LOGINS



def _organisation(server):
    r = _api_session(server, LOGINS.admin1).get(server.url + "/api/organisation", headers=HEADERS)
    assert r.status_code == 200, r.text
    return r.json()


def test_the_administrator_sets_up_units_posts_and_rooms(server, new_context):
    page = new_context(portrait=False).new_page()
    sign_in_as_admin(page)
    expect(page.get_by_test_id("nav-organisation")).to_be_visible(timeout=TIMEOUT)
    unit_id, _ = create_unit_post_and_rooms(page, "Отделение 3", "Пост 3А", [("301", "1, 2"), ("302", "1，2，3")])
    section, _ = org_unit(page, "Отделение 3")
    unit = next(u for u in _organisation(server)["units"] if u["id"] == unit_id)
    assert [p["name"] for p in unit["posts"]] == ["Пост 3А"]
    rooms = {r["name"]: r for r in unit["rooms"]}
    assert rooms["301"]["beds"] == ["1", "2"] and rooms["302"]["beds"] == ["1", "2", "3"]
    assert rooms["301"]["post_id"] == unit["posts"][0]["id"] and rooms["301"]["active"] is True

    # a second post; room 302 moves to it and loses a bed
    section.get_by_test_id(f"org-post-new-{unit_id}").fill("Пост 3Б")
    section.get_by_test_id(f"org-post-add-{unit_id}").click()
    expect(section.locator("li[data-testid^='org-post-']")).to_have_count(2, timeout=TIMEOUT)
    room = rooms["302"]["id"]
    page.get_by_test_id(f"org-room-edit-{room}").click()
    dialog = page.get_by_test_id("dialog-room")
    expect(dialog.get_by_test_id("room-beds")).to_have_value("1, 2, 3")
    dialog.get_by_test_id("room-post").select_option(label="Пост 3Б")
    dialog.get_by_test_id("room-beds").fill("1, 2")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"org-room-{room}")).to_contain_text("Пост 3Б", timeout=TIMEOUT)
    # two rooms of the unit cannot share a name: the error is beside the name
    add_room_dialog = page.get_by_test_id(f"org-room-add-{unit_id}")
    add_room_dialog.click()
    dialog = page.get_by_test_id("dialog-room")
    dialog.get_by_test_id("room-name").fill("")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator("#room-name-msg")).not_to_be_empty()
    dialog.get_by_test_id("room-name").fill("301")
    dialog.get_by_test_id("room-beds").fill("1")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator(".form-error")).to_be_visible(timeout=TIMEOUT)
    dialog.get_by_test_id("btn-cancel").click()
    expect(dialog).to_be_hidden()

    # retire room 301 (after a confirmation), and return it to use
    first = rooms["301"]["id"]
    page.get_by_test_id(f"org-room-retire-{first}").click()
    confirm(page)
    expect(page.get_by_test_id(f"org-room-{first}")).to_have_attribute("data-active", "false", timeout=TIMEOUT)
    page.get_by_test_id(f"org-room-restore-{first}").click()
    expect(page.get_by_test_id(f"org-room-{first}")).to_have_attribute("data-active", "true", timeout=TIMEOUT)

    # rename the unit and a post
    section.get_by_test_id(f"org-unit-rename-{unit_id}").click()
    dialog = page.get_by_test_id("dialog-name")
    dialog.get_by_test_id("name-input").fill("Отделение паллиативной помощи")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    section, _ = org_unit(page, "Отделение паллиативной помощи")

    # the unit's phone number (a station's is printed on its people's sheets): a word is refused beside the field
    section.get_by_test_id(f"org-unit-phone-edit-{unit_id}").click()
    dialog = page.get_by_test_id("dialog-unit-phone")
    dialog.get_by_test_id("unit-phone").fill("ask the nurse")
    dialog.get_by_test_id("btn-save").click()
    expect(page.locator("#unit-phone-msg")).not_to_be_empty(timeout=TIMEOUT)
    dialog.get_by_test_id("unit-phone").fill("+7 391 555-01-99")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"org-unit-phone-{unit_id}")).to_contain_text("+7 391 555-01-99", timeout=TIMEOUT)

    # the home: a time zone that does not exist is refused beside the field; a real one is kept
    page.get_by_test_id("org-home-timezone").fill("Mars/Olympus_Mons")
    page.get_by_test_id("org-home-save").click()
    expect(page.locator("#org-home-timezone-msg")).not_to_be_empty(timeout=TIMEOUT)
    expect(page.get_by_test_id("org-home-timezone")).to_have_attribute("aria-invalid", "true")
    assert page.locator("#org-timezones option[value='Asia/Krasnoyarsk']").count() == 1
    page.get_by_test_id("org-home-name").fill("Дом-интернат «Берёзка»")
    page.get_by_test_id("org-home-timezone").fill("Asia/Krasnoyarsk")
    page.get_by_test_id("org-home-locale").select_option("ru")
    page.get_by_test_id("org-home-save").click()
    expect(page.locator("#org-home-timezone-msg")).to_be_empty(timeout=TIMEOUT)
    expect(page.get_by_test_id("org-home-name")).to_have_value("Дом-интернат «Берёзка»", timeout=TIMEOUT)
    home = _organisation(server)["home"]
    assert home["name"] == "Дом-интернат «Берёзка»" and home["timezone"] == "Asia/Krasnoyarsk"

    # the unit's and a post's names in English (issue 16, finding 10): her English screens show them, and the name
    # as entered stays the one to edit and the one shown where a language has none
    section, _ = org_unit(page, "Отделение паллиативной помощи")
    section.get_by_test_id(f"org-unit-rename-{unit_id}").click()
    dialog = page.get_by_test_id("dialog-name")
    expect(dialog.get_by_test_id("name-input")).to_have_value("Отделение паллиативной помощи")
    expect(dialog.get_by_test_id("name-en")).to_have_value("")
    dialog.get_by_test_id("name-en").fill("Palliative care unit")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    section, _ = org_unit(page, "Palliative care unit")
    expect(section.get_by_test_id(f"org-unit-names-{unit_id}")).to_contain_text("Отделение паллиативной помощи")
    first_post = unit["posts"][0]["id"]
    section.get_by_test_id(f"org-post-rename-{first_post}").click()
    expect(dialog.get_by_test_id("name-input")).to_have_value("Пост 3А")
    dialog.get_by_test_id("name-en").fill("Post 3A")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(section.get_by_test_id(f"org-post-{first_post}")).to_contain_text("Post 3A", timeout=TIMEOUT)
    # another English screen: the tablets' duty posts, each with its unit
    page.get_by_test_id("nav-tablets").click()
    expect(page.get_by_test_id("enrol-post").locator("option", has_text="Post 3A — Palliative care unit")) \
        .to_have_count(1, timeout=TIMEOUT)
    expect(page.get_by_test_id("enrol-post")).not_to_contain_text("Отделение паллиативной помощи")
    saved = next(u for u in _organisation(server)["units"] if u["id"] == unit_id)
    assert (saved["entered_name"], saved["names"]) == ("Отделение паллиативной помощи", {"en": "Palliative care unit"})


def test_staff_remove_a_relative_of_a_resident(server, new_context):
    admin = _api_session(server, LOGINS.admin1)
    linked = None
    for resident in admin.get(server.url + "/api/invitations/residents", headers=HEADERS).json():
        relatives = admin.get(server.url + f"/api/residents/{resident['id']}/relatives", headers=HEADERS).json()
        if any(r["username"] == LOGINS.relative1 for r in relatives):
            linked = resident
            user_id = next(r["user_id"] for r in relatives if r["username"] == LOGINS.relative1)
            break
    assert linked, "the demo links its relative to a resident"
    page = new_context().new_page()
    sign_in_as_admin(page)
    page.get_by_test_id("nav-invitations").click()
    expect(page.get_by_test_id("invite-resident")).to_be_visible(timeout=TIMEOUT)
    if page.get_by_test_id("invite-unit").count():
        page.get_by_test_id("invite-unit").select_option(str(linked["unit_id"]))
    page.get_by_test_id("invite-resident").select_option(str(linked["id"]))
    expect(page.get_by_test_id(f"relative-{user_id}")).to_contain_text(LOGINS.relative1, timeout=TIMEOUT)
    check_screen(page, "invitations with relatives")
    page.get_by_test_id(f"relative-remove-{user_id}").click()
    expect(page.get_by_test_id("dialog-confirm")).to_be_visible()
    page.get_by_test_id("dialog-confirm").get_by_test_id("btn-cancel").click()
    expect(page.get_by_test_id(f"relative-{user_id}")).to_be_visible()
    page.get_by_test_id(f"relative-remove-{user_id}").click()
    confirm(page)
    expect(page.get_by_test_id(f"relative-{user_id}")).to_have_count(0, timeout=TIMEOUT)
    relatives = admin.get(server.url + f"/api/residents/{linked['id']}/relatives", headers=HEADERS).json()
    assert user_id not in [r["user_id"] for r in relatives]


@pytest.mark.parametrize("language", ["ru", "zh_Hans", "en"])
def test_the_organisation_screen_is_accessible(server, new_context, language):
    catalog = full_catalog(server.url, language)
    if language == "en":  # English sends only what differs from the source text
        catalog = {"Organisation": "Organisation", **catalog}
    page = new_context().new_page()
    sign_in_as_admin(page, language=language)
    expect(page.get_by_test_id("nav-organisation")).to_have_text(catalog["Organisation"], timeout=TIMEOUT)

    def both(name):
        check_both_ways(page, f"{name} ({language})")

    page.get_by_test_id("nav-organisation").click()
    expect(page.get_by_test_id("org-home-name")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=catalog["Organisation"], level=1)).to_be_visible()
    unit = _organisation(server)["units"][0]
    add_room(page, unit["id"], "901", "1, 2")
    expect(page.locator("li[data-testid^='org-room-']").first).to_be_visible(timeout=TIMEOUT)
    both("organisation")
    page.get_by_test_id("org-home-timezone").fill("Nowhere/Atlantis")
    page.get_by_test_id("org-home-save").click()
    expect(page.locator("#org-home-timezone-msg")).not_to_be_empty(timeout=TIMEOUT)
    both("organisation, error")
    page.get_by_test_id(f"org-room-add-{unit['id']}").click()
    expect(page.get_by_test_id("dialog-room")).to_be_visible()
    both("room dialog")
    page.get_by_test_id("dialog-room").get_by_test_id("btn-cancel").click()
    page.get_by_test_id(f"org-unit-rename-{unit['id']}").click()
    expect(page.get_by_test_id("dialog-name")).to_be_visible()
    both("rename dialog")


def test_a_shared_tablet_names_its_post_in_each_persons_language_offline(server, new_context):
    """The tablet keeps its post with the name in every language: two nurses of different languages share it with
    no connection, and the header names the post in the language of whoever has it unlocked."""
    from .test_shared_tablet import enrol, password_then_pin, switch_to
    admin = _api_session(server, LOGINS.admin1)
    url = server.url
    post = _api_session(server, LOGINS.nurse1).get(url + "/api/posts", headers=HEADERS).json()[0]
    entered = next(p["entered_name"] for u in _organisation(server)["units"] for p in u["posts"]
                   if p["id"] == post["id"])
    r = admin.patch(url + f"/api/posts/{post['id']}", json={"name": entered, "names": {"en": "Post by the garden"}},
                    headers=HEADERS)
    assert r.status_code == 200, r.text
    staff = {a["username"]: a["id"] for a in admin.get(url + "/api/staff", headers=HEADERS).json()}
    for username, language in ((LOGINS.nurse1, "en"), (LOGINS.nurse3, "ru")):
        r = admin.patch(url + f"/api/staff/{staff[username]}", json={"locale": language}, headers=HEADERS)
        assert r.status_code == 200, r.text
    page = new_context().new_page()
    enrol(page)
    password_then_pin(page, LOGINS.nurse1, "2468")
    expect(page.get_by_test_id("header-post")).to_have_text("Post by the garden", timeout=TIMEOUT)
    page.get_by_test_id("switch-user").click()
    password_then_pin(page, LOGINS.nurse3, "1357")
    expect(page.get_by_test_id("header-post")).to_have_text(entered, timeout=TIMEOUT)

    server.stop()  # no connection: each language's name comes from what the tablet keeps
    switch_to(page, LOGINS.nurse1, "2468")
    expect(page.get_by_test_id("header-post")).to_have_text("Post by the garden", timeout=TIMEOUT)
    switch_to(page, LOGINS.nurse3, "1357")
    expect(page.get_by_test_id("header-post")).to_have_text(entered, timeout=TIMEOUT)
    server.start()
