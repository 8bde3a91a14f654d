"""The staff posts (backend/domain/posts.py): each brings staff roles; exactly the posts 004 §3.2 names bring the
daily control of the cards; the tablet names each post with the server's English words."""
import importlib.util
import re
from pathlib import Path

from backend.domain import posts, roles

ROOT = Path(__file__).resolve().parents[2]


def test_each_post_brings_staff_roles_the_main_one_first():
    for post in posts.POSTS:
        assert post.roles and all(r in roles.STAFF for r in post.roles), post.code
        assert len(set(post.roles)) == len(post.roles) and post.source, post.code


def test_daily_control_is_the_posts_004_names():
    """«Ежедневный контроль за ведением карт возлагается на медицинских сестер палатных (постовых), специалистов по
    социальной реабилитации, фельдшера и заведующего отделением» (004 §3.2)."""
    controlling = {p.code for p in posts.POSTS if roles.holds(p.roles, roles.DAY_CONTROL)}
    assert controlling == set(posts.DAILY_CONTROL) == {"ward_nurse", "social_rehabilitation_specialist", "feldsher",
                                                       "head_of_unit"}
    # §3.1: the physician and the social-rehabilitation specialist compose the cards; junior nurses and sitters
    # keep them at the bedside
    assert roles.holds(posts.roles_of("physician"), roles.PLANNING)
    assert roles.holds(posts.roles_of("social_rehabilitation_specialist"), roles.PLANNING)
    assert posts.roles_of("junior_nurse") == posts.roles_of("sitter") == (roles.NURSE,)


def test_the_tablet_names_each_post_as_the_server_does():
    labels = (ROOT / "frontend" / "lib" / "office_labels.js").read_text(encoding="utf-8")
    block = re.search(r"export const postLabel = table\(\(\) => \(\{(.*?)\}\)\);", labels, re.S).group(1)
    js = dict(re.findall(r"(\w+): gettext\('([^']*)'\)", block))
    assert js == {p.code: str(p.label) for p in posts.POSTS}


def test_the_migration_gave_the_accounts_before_it_the_posts_of_their_roles():
    path = ROOT / "backend" / "migrations" / "versions" / "0014_staff_post.py"
    spec = importlib.util.spec_from_file_location("migration_0014", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    assert module._OF_ROLE == posts.OF_ROLE
    assert all(role in posts.roles_of(post) for role, post in posts.OF_ROLE.items())
    assert roles.PLANNER not in posts.OF_ROLE  # a physician or a specialist: not guessed


def test_check_refuses_an_unknown_post():
    assert posts.check("feldsher") == {}
    assert set(posts.check("director")) == {"post"}
