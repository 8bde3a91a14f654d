"""The hand-written service worker: its precache list is exactly the app shell, its version follows the
shell's content, and it never caches an API response."""
import re
import shutil
from pathlib import Path

from backend import web

ROOT = Path(__file__).resolve().parents[1]
FRONTEND = ROOT / "frontend"
SW = (FRONTEND / "sw.js").read_text(encoding="utf-8")


def _precache():
    block = re.search(r"const PRECACHE = \[(.*?)\];", SW, re.S).group(1)
    return re.findall(r"'([^']+)'", block)


def test_precache_lists_every_shell_file_and_nothing_else():
    on_disk = {"/" + rel for rel in web.shell_files(str(FRONTEND)) if rel != "sw.js"}
    listed = _precache()
    assert len(listed) == len(set(listed)), "a file is listed twice"
    catalogs = {f"/i18n/{locale}{part}.json" for locale in ("ru", "zh_Hans", "en") for part in ("", ".rest")}
    assert catalogs <= set(listed), "both parts of every catalog are precached: another screen opens offline"
    assert set(listed) - {"/"} - catalogs == on_disk


def test_the_version_changes_with_any_shell_file_or_catalog(tmp_path):
    frontend = tmp_path / "frontend"
    translations = tmp_path / "translations"
    shutil.copytree(FRONTEND, frontend)
    shutil.copytree(ROOT / "translations", translations)
    first = web.shell_version(str(frontend), str(translations))
    assert first == web.shell_version(str(frontend), str(translations))
    (frontend / "css" / "app.css").write_text((frontend / "css" / "app.css").read_text() + "\n/* v2 */\n")
    second = web.shell_version(str(frontend), str(translations))
    po = translations / "ru" / "LC_MESSAGES" / "messages.po"
    po.write_text(po.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert len({first, second, web.shell_version(str(frontend), str(translations))}) == 3


def test_served_worker_carries_the_version_and_is_not_cached(app):
    client = app.test_client()
    response = client.get("/sw.js")
    body = response.get_data(as_text=True)
    version = client.get("/version.json").get_json()["version"]
    assert "__SHELL_VERSION__" not in body and f"const VERSION = '{version}';" in body
    assert response.headers["Cache-Control"] == "no-cache"
    assert response.mimetype == "text/javascript"
