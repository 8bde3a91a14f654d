"""The demo home itself: the home, its two units with a duty post each, the rooms an administrator keeps, the
staff (and one relative) with their logins, and an open invitation code for a relative."""
from ..domain import invitations as invitation_rules
from ..extensions import db
from ..models import Bed, DutyPost, Home, Invitation, RelativeLink, Room, Unit, User
from ..services import auth

PASSWORD = "demo"
TIMEZONE = "Asia/Krasnoyarsk"
HOME_NAME = "Дом социального обслуживания «Ачинский»"
#: (key, unit name, duty post name), the unit of mercy first.
UNITS = (("mercy", "Отделение милосердия", "Пост 1"),
         ("general", "Общее отделение", "Пост 2"))
#: The units' and posts' names in the home's other languages (the name as entered is Russian, and the fallback).
PLACE_NAMES = {"Отделение милосердия": {"en": "Mercy unit", "zh_Hans": "特护科"},
               "Общее отделение": {"en": "General unit", "zh_Hans": "综合科"},
               "Пост 1": {"en": "Duty post 1", "zh_Hans": "1号护理站"},
               "Пост 2": {"en": "Duty post 2", "zh_Hans": "2号护理站"}}
#: (username, full name, role or roles, unit key or None for the whole home)
PEOPLE = [("nurse1", "Ольга Сергеевна Кравец", "nurse", "mercy"),
          ("nurse2", "Марина Петровна Гусева", "nurse", "general"),
          # a second nurse of unit 1's shift: two people share the post's tablet
          ("nurse3", "Дарья Алексеевна Сомова", "nurse", "mercy"),
          ("supervisor1", "Елена Викторовна Ларина", "supervisor", None),
          ("planner1", "Андрей Николаевич Зуев", "planner", None),
          ("activities1", "Светлана Игоревна Рябова", "activities", None),
          ("admin1", "Игорь Васильевич Орлов", "admin", None),
          ("relative1", "Наталья Иванова", "relative", None),
          # a social-rehabilitation specialist: composes the cards and does their daily control (004 §3.1-3.2)
          ("specialist1", "Ирина Павловна Белова", ("planner", "supervisor"), None),
          # the rest of each unit's rota: three nurses a unit, turn about on day and night shifts (history.py)
          ("nurse4", "Галина Юрьевна Фомина", "nurse", "mercy"),
          ("nurse5", "Вера Андреевна Лосева", "nurse", "general"),
          ("nurse6", "Людмила Олеговна Чернова", "nurse", "general")]
#: Each member of staff's post (domain/posts.py; docs/domain.md "Roles"): the nurses are junior nurses, who keep
#: the cards at the duty posts (004 §3.1-3.2), but nurse3, unit 1's sitter (000 item 1.1: the post the 8-10
#: residents norm is for; demo/figures.py demo_carers gives her today's heaviest load); the supervisor a ward nurse and
#: the specialist a social-rehabilitation specialist (both do the daily control, §3.2); the planner a physician
#: (§3.1). The relative has none.
POSTS = {"nurse1": "junior_nurse", "nurse2": "junior_nurse", "nurse3": "sitter", "nurse4": "junior_nurse",
         "nurse5": "junior_nurse", "nurse6": "junior_nurse", "supervisor1": "ward_nurse", "planner1": "physician",
         "activities1": "activity_organiser", "admin1": "administrator",
         "specialist1": "social_rehabilitation_specialist"}


class NotEmpty(Exception):
    pass


def refuse_if_not_empty():
    if Home.query.first() is not None or User.query.first() is not None:
        raise NotEmpty("the database already holds a care home")


def make_home():
    """The home and its units with their duty posts. Returns (home, [(key, unit, post)])."""
    home = Home(name=HOME_NAME, timezone=TIMEZONE, locale="ru")
    db.session.add(home)
    db.session.flush()
    units = []
    for key, name, post_name in UNITS:
        unit = Unit(home_id=home.id, name=name, names=PLACE_NAMES.get(name))
        db.session.add(unit)
        db.session.flush()
        post = DutyPost(unit_id=unit.id, name=post_name, names=PLACE_NAMES.get(post_name))
        db.session.add(post)
        db.session.flush()
        units.append((key, unit, post))
    return home, units


def make_rooms(units, residents):
    """The rooms an administrator keeps (Organisation): each room the residents live in, three beds each (two
    taken), covered by the unit's post. Added to the session (flushed with the next flush)."""
    for _key, unit, post in units:
        for name in sorted({r.room for r in residents if r.unit_id == unit.id}):
            room = Room(unit_id=unit.id, post_id=post.id, name=name, active=True)
            room.beds = [Bed(label=str(n), position=n) for n in (1, 2, 3)]
            db.session.add(room)


def make_staff(home, units, residents):
    """The people of PEOPLE, password PASSWORD; the relative linked to the first resident. Returns the
    (username, role, where) rows of the printed logins."""
    hashed = auth.hash_password(PASSWORD)
    unit_of = {key: unit for key, unit, _post in units}
    logins = []
    for username, full_name, held, unit_key in PEOPLE:
        unit_id = unit_of[unit_key].id if unit_key else None
        user = User(username=username, password_hash=hashed, full_name=full_name, home_id=home.id,
                    units=[u for _, u, _ in units if u.id == unit_id], post=POSTS.get(username))
        user.set_roles((held,) if isinstance(held, str) else held)
        role = "+".join(user.roles)
        db.session.add(user)
        db.session.flush()
        where = next((u.name for _, u, _ in units if u.id == unit_id), home.name)
        if role == "relative":
            db.session.add(RelativeLink(user_id=user.id, resident_id=residents[0].id))
            where = f"relative of {residents[0].full_name}"
        logins.append((username, role, where))
    return logins


def demo_invitations(session, residents, staff_user, now, code=None):
    """The demo home's open invitation: a code for the second resident of `residents` (the first is relative1's),
    issued by `staff_user` now, valid DEFAULT_DAYS. Returns the code as shown ("ABCDE-FGHJK") for the demo command
    to print, so a relative's sign-up can be tried at once. `code`: a fixed code (normalised or grouped) instead of a
    random one. Writes in the caller's transaction."""
    plain = invitation_rules.normalise(code) if code else invitation_rules.new_code()
    if plain is None:
        raise ValueError("not a valid invitation code")
    resident = residents[1] if len(residents) > 1 else residents[0]
    current = now.replace(tzinfo=None)
    session.add(Invitation(code_hash=invitation_rules.code_hash(plain), resident_id=resident.id,
                           created_by=staff_user.id, created_at=current, expires_at=invitation_rules.expiry(current)))
    session.flush()
    return invitation_rules.display(plain)
