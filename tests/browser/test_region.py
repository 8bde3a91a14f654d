"""The inspector's screen (issue 18, section 3): the demo's inspector signs in -- her browser in another zone than the
region's Asia/Shanghai -- and starts on her region's month: the table by provider with the month's planned visits,
the region's total, satisfaction said to be not available, the settlement's totals on demand and its CSV link; she
blocks a carer (a reason required, named beside its field) and lifts the block, the times on the region's clock.
Axe-clean, 44 px targets, no sideways scrolling, portrait and landscape."""
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from playwright.sync_api import expect

from .conftest import server_after
from .pages import TIMEOUT, api_session, sign_in
from .test_screens import LANDSCAPE, PORTRAIT, check_screen

HOME_ZONE = ZoneInfo("Asia/Shanghai")
BROWSER_ZONE = "America/Sao_Paulo"

# Run inside the app: the community centre beside the demo care home (unless `bedside demo` made it already) with
# this week's visits; prints the ids and logins the test needs.
SEED = r"""
import json
from datetime import UTC, datetime
from backend.app import create_app
from backend.demo import community
from backend.extensions import db
from backend.models import Home, User

app = create_app()
with app.app_context():
    now = datetime.now(UTC)
    home = Home.query.filter_by(kind="community").first()
    if home is None:
        _logins, ids = community.seed_community(now)
        db.session.commit()
        community.plan_the_week(ids, now)
        home = Home.query.filter_by(kind="community").first()
    users = User.query.filter_by(home_id=home.id).all()
    inspector = next(u.username for u in users if u.role == "inspector")
    carer = next(u for u in users if u.role == "nurse")
    print(json.dumps({"home": home.id, "inspector": inspector, "carer": carer.id, "carer_name": carer.full_name}))
"""


@pytest.fixture
def centre(tmp_path, seeded_demo):
    with server_after(tmp_path, seeded_demo, SEED) as pair:
        yield pair


def test_the_inspector_reads_her_regions_month(browser, centre):
    server, ids = centre
    url, home, carer = server.url, ids["home"], ids["carer"]
    inspector = api_session(url, ids["inspector"])
    assert inspector.patch(f"{url}/api/auth/me", json={"locale": "en"}, timeout=10).status_code == 200
    month = inspector.get(f"{url}/api/region/month", params={"month": datetime.now(HOME_ZONE).strftime("%Y-%m")},
                          timeout=30).json()
    planned = month["providers"][0]["visits"]["planned"]
    assert planned > 0

    context = browser.new_context(base_url=url, locale="en-GB", timezone_id=BROWSER_ZONE, viewport=PORTRAIT,
                                  has_touch=True, service_workers="block")
    page = context.new_page()
    sign_in(page, ids["inspector"], language="en")
    # her start screen, and her only one in the menu besides the settings
    expect(page.get_by_test_id("region-table")).to_be_visible(timeout=TIMEOUT)
    expect(page.get_by_test_id("nav-region")).to_have_attribute("aria-current", "page")
    assert page.get_by_test_id("nav-dispatch").count() == 0 and page.get_by_test_id("nav-people").count() == 0
    row = page.get_by_test_id(f"region-provider-{home}")
    expect(row).to_contain_text(str(planned))
    expect(page.get_by_test_id("region-total")).to_be_visible()
    expect(page.get_by_test_id("region-satisfaction-note")).to_contain_text("not available")
    href = page.get_by_test_id("region-csv").get_attribute("href")
    assert href.startswith("/api/region/settlement?") and "format=csv" in href and "lang=en" in href
    page.get_by_test_id("region-settlement-show").click()
    expect(page.get_by_test_id("region-settlement").locator("table")).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "the region's month (portrait)")

    # block a carer: the reason is required, and said beside its field
    page.get_by_test_id(f"region-block-{home}").click()
    dialog = page.get_by_test_id("dialog-block")
    expect(dialog).to_be_visible(timeout=TIMEOUT)
    check_screen(page, "block dialog")
    dialog.get_by_test_id("block-carer").select_option(str(carer))
    dialog.get_by_test_id("btn-save").click()
    expect(page.locator("#block-reason-msg")).to_contain_text("A reason is required.")
    expect(dialog.get_by_test_id("block-reason")).to_have_attribute("aria-invalid", "true")
    dialog.get_by_test_id("block-reason").fill("did not come, twice")
    dialog.get_by_test_id("btn-save").click()
    expect(dialog).to_be_hidden(timeout=TIMEOUT)
    unblock = page.get_by_test_id(f"region-unblock-{carer}")
    expect(unblock).to_be_visible(timeout=TIMEOUT)
    block = next(b for b in inspector.get(f"{url}/api/region/month", params={
        "month": datetime.now(HOME_ZONE).strftime("%Y-%m")}, timeout=30).json()["total"]["blocked"]["carers"]
        if b["carer_id"] == carer and b["standing"])
    line = page.get_by_test_id(f"region-blocked-{block['id']}")
    expect(line).to_contain_text(ids["carer_name"])
    expect(line).to_contain_text("did not come, twice")
    # the moment on the region's clock, not the browser's (São Paulo is eleven hours behind)
    expect(line).to_contain_text(datetime.fromisoformat(block["blocked_at"]).astimezone(HOME_ZONE).strftime("%H:%M"))
    page.set_viewport_size(LANDSCAPE)
    check_screen(page, "the region's month with a block (landscape)")

    unblock.click()
    expect(line).to_contain_text("lifted", timeout=TIMEOUT)
    assert page.get_by_test_id(f"region-unblock-{carer}").count() == 0
    context.close()
