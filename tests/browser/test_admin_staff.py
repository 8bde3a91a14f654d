"""The administrator runs the home's staff from the tablet: she sets up a unit, a duty post and rooms, adds a nurse
(her one-time password shown once), who must choose her own password at her first sign-in, then her PIN, and
works at her post; disabling an account ends its open session; a PIN reset withdraws the PIN unlock on a tablet at
its next sync. An account may hold several roles (a main one first) and work in several units, or across the whole
home. The new screens are accessible, with 44 px targets, in every language, portrait and landscape."""
import json

import pytest
import requests
from playwright.sync_api import expect

from .pages import (TIMEOUT, full_catalog, add_staff, choose_roles_and_units, confirm, create_unit_post_and_rooms, open_post, sign_in,
                    sign_in_as_admin, staff_row, sync_tablet, wait_for_worker)
from .test_bedside_loop import HEADERS, _api_session
from .test_screens import check_both_ways
from .test_shared_tablet import enrol, password_then_pin, switch_to
from ..conftest import DEMO_RESIDENTS_PER_POST, DEMO_PASSWORD, LOGINS

NEW_PASSWORD = "Тихий вечер 2026"

#: Resolves true once the tablet no longer keeps the person's key under a PIN.
KEY_GONE = "(id) => import('/lib/db.js').then((db) => db.get('people', id)).then((p) => !!p && !p.sealed)"



def _people(page):
    return {p["user"]["username"]: p for p in page.evaluate("() => import('/lib/db.js').then((db) => db.getAll('people'))")}


def test_a_new_nurse_chooses_her_password_then_her_pin_and_works_at_her_post(new_context):
    page = new_context().new_page()
    sign_in_as_admin(page)
    expect(page.get_by_test_id("nav-staff")).to_be_visible(timeout=TIMEOUT)
    unit_id, post_name = create_unit_post_and_rooms(page, "Отделение 3", "Пост 3",
                                                    [("301", "1, 2"), ("302", "1, 2, 3")])

    # this tablet works at the new post
    page.get_by_test_id("nav-tablets").click()
    page.get_by_test_id("enrol-name").fill("Пост 3 — планшет")
    page.get_by_test_id("enrol-post").select_option(label=f"{post_name} — Отделение 3")
    page.get_by_test_id("enrol-submit").click()
    expect(page.get_by_test_id("enrolled-as")).to_contain_text(post_name, timeout=TIMEOUT)

    # a new nurse for the new unit: her one-time password is shown once
    page.get_by_test_id("nav-staff").click()
    page.get_by_test_id("staff-new-name").fill("Ершова Мария Петровна")
    page.get_by_test_id("staff-new-username").fill("ivanova")
    choose_roles_and_units(page, "staff-new", "nurse", unit_ids=[unit_id])
    page.get_by_test_id("staff-new-submit").click()
    secret = page.get_by_test_id("staff-secret")
    expect(secret).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("staff-secret-username")).to_have_text("ivanova")
    temporary = page.get_by_test_id("staff-secret-password").inner_text().strip()
    assert len(temporary) >= 8
    expect(secret).to_contain_text("first sign-in")
    row = staff_row(page, "ivanova")
    expect(row).to_have_attribute("data-state", "must_change")
    expect(row).to_contain_text("Отделение 3")
    page.get_by_test_id("staff-secret-done").click()
    expect(secret).to_have_count(0)
    # the same user name again: refused beside the field
    page.get_by_test_id("staff-new-name").fill("Ершова Анна")
    page.get_by_test_id("staff-new-username").fill("ivanova")
    page.get_by_test_id("staff-new-submit").click()
    expect(page.locator("#staff-new-username-msg")).not_to_be_empty(timeout=TIMEOUT)
    expect(page.get_by_test_id("staff-new-username")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("staff-secret")).to_have_count(0)
    page.get_by_test_id("logout").click()
    expect(page.get_by_test_id("lock-screen")).to_be_visible(timeout=TIMEOUT)

    # her first sign-in: her own password first, nothing else reachable
    page.get_by_test_id("lock-password").click()
    page.get_by_test_id("login-username").fill("ivanova")
    page.get_by_test_id("login-password").fill(temporary)
    page.get_by_test_id("login-submit").click()
    expect(page.get_by_test_id("pw-forced")).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate("() => location.hash") == "#/password"
    expect(page.locator("#app-header")).to_be_hidden()
    page.evaluate("() => { location.hash = '#/home'; }")
    expect(page.get_by_test_id("pw-forced")).to_be_visible(timeout=TIMEOUT)
    assert page.evaluate("() => location.hash") == "#/password"
    assert page.evaluate("() => fetch('/api/residents?unit_id=1').then((r) => r.status)") == 403
    expect(page.get_by_test_id("pw-new")).to_have_attribute("autocomplete", "new-password")
    expect(page.get_by_test_id("pw-current")).to_have_attribute("autocomplete", "current-password")
    # the policy's reason, beside the field: too short
    page.get_by_test_id("pw-current").fill(temporary)
    page.get_by_test_id("pw-new").fill("short")
    page.get_by_test_id("pw-again").fill("short")
    page.get_by_test_id("pw-submit").click()
    expect(page.locator("#pw-new-msg")).not_to_be_empty(timeout=TIMEOUT)
    # the two new passwords differ: said on the page
    page.get_by_test_id("pw-new").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-again").fill(NEW_PASSWORD + "!")
    page.get_by_test_id("pw-submit").click()
    expect(page.locator("#pw-again-msg")).not_to_be_empty()
    # a wrong current password
    page.get_by_test_id("pw-current").fill("not-the-password")
    page.get_by_test_id("pw-again").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-submit").click()
    expect(page.locator("#pw-current-msg")).not_to_be_empty(timeout=TIMEOUT)
    page.get_by_test_id("pw-current").fill(temporary)
    page.get_by_test_id("pw-new").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-again").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-submit").click()

    # then as after any password sign-in on an enrolled tablet: her PIN, then her post
    expect(page.get_by_test_id("pin-new")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("pin-new").fill("1357")
    page.get_by_test_id("pin-again").fill("1357")
    page.get_by_test_id("pin-submit").click()
    expect(page.get_by_test_id("header-post")).to_have_text(post_name, timeout=TIMEOUT)
    assert page.evaluate("() => location.hash") == "#/home"
    assert _people(page)["ivanova"]["key_issued_at"]

    # the lock screen offers her PIN unlock; the new password works, the one-time one no longer does
    page.get_by_test_id("switch-user").click()
    page.get_by_test_id("person-ivanova").click()
    page.get_by_test_id("unlock-pin").fill("1357")
    page.get_by_test_id("unlock-submit").click()
    expect(page.get_by_test_id("header-post")).to_have_text(post_name, timeout=TIMEOUT)
    ok = requests.post(page.url.split("#")[0] + "api/auth/login", headers=HEADERS,
                       json={"username": "ivanova", "password": NEW_PASSWORD})
    assert ok.status_code == 200 and ok.json()["must_change_password"] is False
    old = requests.post(page.url.split("#")[0] + "api/auth/login", headers=HEADERS,
                        json={"username": "ivanova", "password": temporary})
    assert old.status_code in (400, 401)


def _get(page, path):
    """The API with the page's own session (its cookie)."""
    return page.evaluate("(path) => fetch(path, {headers: {'X-Bedside': '1'}}).then((r) => r.json())", path)


def _account(page, username):
    return next(a for a in _get(page, "/api/staff") if a["username"] == username)


def test_an_account_holds_several_roles_and_works_in_several_units(server, new_context):
    page = new_context().new_page()
    sign_in_as_admin(page)
    units = _get(page, "/api/organisation")["units"]
    assert len(units) >= 2
    (first, first_name), (second, second_name) = [(u["id"], u["name"]) for u in units[:2]]
    page.get_by_test_id("nav-staff").click()
    expect(page.get_by_test_id("staff-new-role")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("staff-new-units")).to_contain_text("whole home")

    # her post fills her roles, which stay editable (004 §3.1-3.2: a social-rehabilitation specialist composes the
    # cards and does their daily control; a physician composes them)
    expect(page.get_by_test_id("staff-new-post")).to_have_value("junior_nurse")
    page.get_by_test_id("staff-new-post").select_option("social_rehabilitation_specialist")
    expect(page.get_by_test_id("staff-new-role")).to_have_value("planner")
    expect(page.get_by_test_id("staff-new-also-supervisor")).to_be_checked()
    page.get_by_test_id("staff-new-post").select_option("physician")
    expect(page.get_by_test_id("staff-new-role")).to_have_value("planner")
    expect(page.get_by_test_id("staff-new-also-supervisor")).not_to_be_checked()
    page.get_by_test_id("staff-new-post").select_option("social_rehabilitation_specialist")

    # the main role's own checkbox is not offered; a role she also held, made her main one, keeps the old main one
    page.get_by_test_id("staff-new-role").select_option("planner")
    expect(page.get_by_test_id("staff-new-also-planner")).to_be_hidden()
    expect(page.get_by_test_id("staff-new-also-nurse")).to_be_visible()
    page.get_by_test_id("staff-new-also-supervisor").check()
    page.get_by_test_id("staff-new-role").select_option("supervisor")
    expect(page.get_by_test_id("staff-new-also-supervisor")).to_be_hidden()
    expect(page.get_by_test_id("staff-new-also-planner")).to_be_checked()
    page.get_by_test_id("staff-new-role").select_option("planner")
    expect(page.get_by_test_id("staff-new-also-supervisor")).to_be_checked()

    # the server's field errors, each beside its group (roles.1 -> the roles, unit_ids.0 -> the units)
    def refuse(route):
        if route.request.method != "POST":
            return route.fallback()
        return route.fulfill(status=400, content_type="application/json", body=json.dumps({
            "error": "invalid", "message": "Check the form.",
            "fields": {"roles.1": "Not this role.", "unit_ids.0": "No such unit in this home."}}))

    page.route("**/api/staff", refuse)
    page.get_by_test_id("staff-new-name").fill("Орлова Вера Николаевна")
    page.get_by_test_id("staff-new-username").fill("orlova.v")
    page.get_by_test_id(f"staff-new-unit-{second}").check()
    page.get_by_test_id("staff-new-submit").click()
    expect(page.locator("#staff-new-roles-msg")).to_contain_text("Not this role.", timeout=TIMEOUT)
    expect(page.locator("#staff-new-units-msg")).to_contain_text("No such unit")
    expect(page.get_by_test_id("staff-new-role")).to_have_attribute("aria-invalid", "true")
    expect(page.get_by_test_id("staff-new-error")).to_be_hidden()
    check_both_ways(page, "staff, several roles and units, errors")
    page.unroute("**/api/staff", refuse)

    # main role planner, also shift supervisor, in two units
    add_staff(page, "Орлова Вера Николаевна", "orlova.v", "planner", also=("supervisor",), unit_ids=[first, second])
    expect(page.locator("#staff-new-roles-msg")).to_be_empty()
    row = staff_row(page, "orlova.v")
    user_id = row.get_attribute("data-testid").rsplit("-", 1)[1]
    expect(row.get_by_test_id(f"staff-roles-{user_id}")).to_have_text("Care planner, Shift supervisor")
    expect(row.get_by_test_id(f"staff-post-{user_id}")).to_have_text("Social-rehabilitation specialist")
    expect(row.get_by_test_id(f"staff-units-{user_id}")).to_have_text(f"{first_name}, {second_name}")
    made = _account(page, "orlova.v")
    assert (made["role"], made["roles"]) == ("planner", ["planner", "supervisor"]), made
    assert made["post"] == "social_rehabilitation_specialist", made
    assert [u["id"] for u in made["units"]] == [first, second], made

    # the edit dialog holds the same; one role and one unit dropped
    row.get_by_test_id(f"staff-edit-{user_id}").click()
    dialog = page.get_by_test_id("dialog-staff-edit")
    expect(dialog.get_by_test_id("staff-edit-role")).to_have_value("planner")
    expect(dialog.get_by_test_id("staff-edit-post")).to_have_value("social_rehabilitation_specialist")
    expect(dialog.get_by_test_id("staff-edit-also-planner")).to_be_hidden()
    expect(dialog.get_by_test_id("staff-edit-also-supervisor")).to_be_checked()
    expect(dialog.get_by_test_id("staff-edit-also-nurse")).not_to_be_checked()
    expect(dialog.get_by_test_id(f"staff-edit-unit-{first}")).to_be_checked()
    expect(dialog.get_by_test_id(f"staff-edit-unit-{second}")).to_be_checked()
    check_both_ways(page, "staff, edit several roles and units")
    dialog.get_by_test_id("staff-edit-also-supervisor").uncheck()
    dialog.get_by_test_id(f"staff-edit-unit-{first}").uncheck()
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    row = staff_row(page, "orlova.v")
    expect(row.get_by_test_id(f"staff-roles-{user_id}")).to_have_text("Care planner", timeout=TIMEOUT)
    expect(row.get_by_test_id(f"staff-units-{user_id}")).to_have_text(second_name)
    changed = _account(page, "orlova.v")
    assert (changed["role"], changed["roles"]) == ("planner", ["planner"]), changed
    assert [u["id"] for u in changed["units"]] == [second], changed

    # a new main role, the old one kept as another; no unit ticked: the whole home
    row.get_by_test_id(f"staff-edit-{user_id}").click()
    choose_roles_and_units(page, "staff-edit", "nurse", also=("planner",), unit_ids=[])
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(staff_row(page, "orlova.v").get_by_test_id(f"staff-units-{user_id}")).to_have_text("Whole home",
                                                                                                timeout=TIMEOUT)
    expect(staff_row(page, "orlova.v").get_by_test_id(f"staff-roles-{user_id}")).to_have_text("Nurse, Care planner")
    changed = _account(page, "orlova.v")
    assert (changed["role"], changed["roles"], changed["units"]) == ("nurse", ["nurse", "planner"], []), changed


def test_disabling_an_account_ends_her_open_session(server, new_context):
    nurse = new_context().new_page()
    sign_in(nurse, LOGINS.nurse2)
    open_post(nurse)
    admin = new_context(portrait=False).new_page()
    sign_in_as_admin(admin)
    admin.get_by_test_id("nav-staff").click()
    row = staff_row(admin, LOGINS.nurse2)
    user_id = row.get_attribute("data-testid").rsplit("-", 1)[1]
    row.get_by_test_id(f"staff-disable-{user_id}").click()
    confirm(admin)
    expect(staff_row(admin, LOGINS.nurse2)).to_have_attribute("data-state", "disabled", timeout=TIMEOUT)
    expect(admin.get_by_test_id(f"staff-enable-{user_id}")).to_be_visible()
    # her own account can't be disabled from here
    me = staff_row(admin, LOGINS.admin1)
    expect(me.locator("[data-testid^='staff-disable-']")).to_have_count(0)

    # her next contact with the server: she is signed out, and can't sign in again
    nurse.get_by_test_id("sync-now").click()
    expect(nurse.get_by_test_id("login-username")).to_be_visible(timeout=TIMEOUT)
    assert nurse.locator("[data-testid^='resident-row-']").count() == 0
    nurse.get_by_test_id("login-username").fill(LOGINS.nurse2)
    nurse.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    nurse.get_by_test_id("login-submit").click()
    expect(nurse.get_by_test_id("login-error")).to_be_visible(timeout=TIMEOUT)

    # enabled again, she signs in with her password
    admin.get_by_test_id(f"staff-enable-{user_id}").click()
    confirm(admin)
    expect(staff_row(admin, LOGINS.nurse2)).to_have_attribute("data-state", "active", timeout=TIMEOUT)
    nurse.get_by_test_id("login-password").fill(DEMO_PASSWORD)
    nurse.get_by_test_id("login-submit").click()
    nurse.get_by_test_id("post-submit").click()
    expect(nurse.locator("[data-testid^='resident-row-']")).to_have_count(DEMO_RESIDENTS_PER_POST, timeout=TIMEOUT)


def test_a_pin_reset_or_a_disabled_account_withdraws_the_pin_unlock_at_the_next_sync(server, new_context):
    page = new_context().new_page()
    enrol(page)
    password_then_pin(page, LOGINS.nurse1, "2468")
    wait_for_worker(page)
    page.get_by_test_id("switch-user").click()
    password_then_pin(page, LOGINS.nurse3, "1357")
    switch_to(page, LOGINS.nurse1, "2468")
    assert _people(page)[LOGINS.nurse3]["sealed"]

    admin = new_context(portrait=False).new_page()
    sign_in_as_admin(admin)
    admin.get_by_test_id("nav-staff").click()
    row = staff_row(admin, LOGINS.nurse3)
    nurse3 = row.get_attribute("data-testid").rsplit("-", 1)[1]
    row.get_by_test_id(f"staff-reset-pin-{nurse3}").click()
    confirm(admin)
    expect(admin.locator("#toast")).to_contain_text("PIN", timeout=TIMEOUT)

    # the tablet's next sync (nurse1 has it): nurse3's PIN no longer unlocks it; the outbox is untouched
    outbox_before = page.evaluate("() => import('/lib/db.js').then((db) => db.getAll('outbox'))")
    sync_tablet(page)
    page.wait_for_function(KEY_GONE, arg=int(nurse3), timeout=TIMEOUT)
    assert page.evaluate("() => import('/lib/db.js').then((db) => db.getAll('outbox'))") == outbox_before
    assert _people(page)[LOGINS.nurse1]["sealed"]
    page.get_by_test_id("switch-user").click()
    expect(page.get_by_test_id(f"person-{LOGINS.nurse1}")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"person-{LOGINS.nurse3}")).to_have_count(0)

    # she signs in with her password and chooses a PIN again; then her account is disabled
    password_then_pin(page, LOGINS.nurse3, "9753")
    switch_to(page, LOGINS.nurse1, "2468")
    admin.reload()
    row = staff_row(admin, LOGINS.nurse3)
    row.get_by_test_id(f"staff-disable-{nurse3}").click()
    confirm(admin)
    expect(staff_row(admin, LOGINS.nurse3)).to_have_attribute("data-state", "disabled", timeout=TIMEOUT)
    sync_tablet(page)
    page.wait_for_function(KEY_GONE, arg=int(nurse3), timeout=TIMEOUT)
    page.get_by_test_id("switch-user").click()
    expect(page.get_by_test_id(f"person-{LOGINS.nurse1}")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id(f"person-{LOGINS.nurse3}")).to_have_count(0)


def test_reset_password_shows_a_one_time_password_and_clears_a_hold(server, new_context):
    # nurse2 puts her sign-in on hold with wrong passwords
    for _ in range(12):
        r = requests.post(server.url + "/api/auth/login", headers=HEADERS,
                          json={"username": LOGINS.nurse2, "password": "wrong"})
        if r.status_code == 429:
            break
    admin = new_context().new_page()
    sign_in_as_admin(admin)
    admin.get_by_test_id("nav-staff").click()
    row = staff_row(admin, LOGINS.nurse2)
    user_id = row.get_attribute("data-testid").rsplit("-", 1)[1]
    assert r.status_code == 429, r.text
    expect(row).to_have_attribute("data-state", "held", timeout=TIMEOUT)
    row.get_by_test_id(f"staff-clear-hold-{user_id}").click()
    expect(staff_row(admin, LOGINS.nurse2)).to_have_attribute("data-state", "active", timeout=TIMEOUT)
    assert _api_session(server, LOGINS.nurse2)
    staff_row(admin, LOGINS.nurse2).get_by_test_id(f"staff-reset-password-{user_id}").click()
    confirm(admin)
    expect(admin.get_by_test_id("staff-secret")).to_be_visible(timeout=TIMEOUT)
    expect(admin.get_by_test_id("staff-secret-username")).to_have_text(LOGINS.nurse2)
    temporary = admin.get_by_test_id("staff-secret-password").inner_text().strip()
    expect(staff_row(admin, LOGINS.nurse2)).to_have_attribute("data-state", "must_change")
    r = requests.post(server.url + "/api/auth/login", headers=HEADERS,
                      json={"username": LOGINS.nurse2, "password": temporary})
    assert r.status_code == 200 and r.json()["must_change_password"] is True and r.json()["signing_key"] is None

    # the edit dialog: her name and language
    staff_row(admin, LOGINS.nurse2).get_by_test_id(f"staff-edit-{user_id}").click()
    dialog = admin.get_by_test_id("dialog-staff-edit")
    dialog.get_by_test_id("staff-edit-name").fill("")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog.locator("#staff-edit-name-msg")).not_to_be_empty()
    dialog.get_by_test_id("staff-edit-name").fill("Петрова Ольга Ивановна")
    dialog.get_by_test_id("staff-edit-locale").select_option("zh_Hans")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    expect(staff_row(admin, LOGINS.nurse2)).to_contain_text("Петрова Ольга Ивановна", timeout=TIMEOUT)
    expect(staff_row(admin, LOGINS.nurse2)).to_contain_text("中文")


def test_everyone_changes_her_own_password_from_settings(server, new_context):
    page = new_context().new_page()
    sign_in(page, LOGINS.supervisor1)
    expect(page.get_by_test_id("nav-settings")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("settings-password").click()
    expect(page.get_by_test_id("pw-current")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("pw-forced")).to_have_count(0)
    expect(page.locator("#app-header")).to_be_visible()
    page.get_by_test_id("pw-current").fill(DEMO_PASSWORD)
    page.get_by_test_id("pw-new").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-again").fill(NEW_PASSWORD)
    page.get_by_test_id("pw-submit").click()
    expect(page.locator("#toast")).to_contain_text("changed", timeout=TIMEOUT)
    expect(page.get_by_test_id("nav-supervisor")).to_be_visible()
    r = requests.post(server.url + "/api/auth/login", headers=HEADERS,
                      json={"username": LOGINS.supervisor1, "password": NEW_PASSWORD})
    assert r.status_code == 200


@pytest.mark.parametrize("language", ["ru", "zh_Hans", "en"])
def test_staff_and_password_screens_are_accessible(server, new_context, language):
    catalog = full_catalog(server.url, language)
    if language == "en":  # English sends only what differs from the source text
        catalog = {"Staff": "Staff", "Choose your own password": "Choose your own password", **catalog}
    page = new_context().new_page()
    sign_in_as_admin(page, language=language)
    expect(page.get_by_test_id("nav-staff")).to_have_text(catalog["Staff"], timeout=TIMEOUT)

    def both(name):
        check_both_ways(page, f"{name} ({language})")

    page.get_by_test_id("nav-staff").click()
    expect(page.locator("[data-testid^='staff-row-']").first).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=catalog["Staff"], level=1)).to_be_visible()
    both("staff")
    page.get_by_test_id("staff-new-name").fill("Ли Сяомэй")
    page.get_by_test_id("staff-new-username").fill("li.xiaomei")
    page.get_by_test_id("staff-new-role").select_option("activities")
    page.get_by_test_id("staff-new-submit").click()
    expect(page.get_by_test_id("staff-secret")).to_be_visible(timeout=TIMEOUT)
    temporary = page.get_by_test_id("staff-secret-password").inner_text().strip()
    both("staff, one-time password")
    row = staff_row(page, "li.xiaomei")
    user_id = row.get_attribute("data-testid").rsplit("-", 1)[1]
    row.get_by_test_id(f"staff-edit-{user_id}").click()
    expect(page.get_by_test_id("dialog-staff-edit")).to_be_visible()
    both("staff, edit")
    page.get_by_test_id("dialog-staff-edit").get_by_test_id("btn-cancel").click()
    row.get_by_test_id(f"staff-disable-{user_id}").click()
    expect(page.get_by_test_id("dialog-confirm")).to_be_visible()
    both("staff, confirm")
    page.get_by_test_id("dialog-confirm").get_by_test_id("btn-cancel").click()

    page.get_by_test_id("nav-settings").click()
    page.get_by_test_id("settings-password").click()
    expect(page.get_by_test_id("pw-current")).to_be_visible(timeout=TIMEOUT)
    page.get_by_test_id("pw-submit").click()
    expect(page.locator("#pw-current-msg")).not_to_be_empty()
    both("change password, errors")

    # her first sign-in, in her language: the forced screen
    page = new_context().new_page()
    sign_in(page, "li.xiaomei", temporary, language=language)
    expect(page.get_by_test_id("pw-forced")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_role("heading", name=catalog["Choose your own password"], level=1)).to_be_visible()
    both("first sign-in, own password")
