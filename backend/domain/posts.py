"""Staff posts («должность»): the job a member of staff is employed in, as the sources name them, and the roles each
brings by default. Roles stay the permission mechanism (domain/roles.py); a post is what she *is* -- what the
observation form asks for beside her name («Ф.И.О., должность», 004 Appendix 2), what is recorded on every entry,
care-group decision and day confirmation she makes (at the time the server receives it), and what the
administrator chooses on the staff screen, the roles following from it (and still editable).

Sources (../shared/domain/forms.md f.1-f.2, ../shared/domain/practices.md A4; docs/domain.md "Roles" records each
choice):
- 004 §3.1: the cards are composed «совместно работниками социально-реабилитационного, среднего медицинского
  персонала и врачами»; §3.1-3.2: junior nurses keep and fill them at the duty posts; §3.2: «Ежедневный контроль за
  ведением карт возлагается на медицинских сестер палатных (постовых), специалистов по социальной реабилитации,
  фельдшера и заведующего отделением».
- 000 item 1.1: «Введена должность сиделки с нагрузкой 8 – 10 человек на одного сотрудника».
- 001 (who carries out milieu therapy): the head of unit, physician, work instructors, exercise-therapy instructor,
  librarian, psychologist, social-work specialist; 000 names psychologists and social workers in the team.

The tablet's list: frontend/lib/labels.js POSTS (tests/test_shared_lists.py keeps the two equal).
"""
from collections import namedtuple

from . import roles
from .messages import Msg

Post = namedtuple("Post", "code label roles source")

JUNIOR_NURSE = "junior_nurse"
SITTER = "sitter"
WARD_NURSE = "ward_nurse"
FELDSHER = "feldsher"
HEAD_OF_UNIT = "head_of_unit"
PHYSICIAN = "physician"
SOCIAL_REHABILITATION_SPECIALIST = "social_rehabilitation_specialist"
PSYCHOLOGIST = "psychologist"
WORK_INSTRUCTOR = "work_instructor"
EXERCISE_INSTRUCTOR = "exercise_instructor"
LIBRARIAN = "librarian"
SOCIAL_WORKER = "social_worker"
ACTIVITY_ORGANISER = "activity_organiser"
ADMINISTRATOR = "administrator"
INSPECTOR = "inspector"

#: Every post, in the order the staff screen lists them, with the roles it brings (the main role first: the screen
#: she starts on) and the source of that choice.
POSTS = (
    Post(JUNIOR_NURSE, Msg("Junior nurse"), (roles.NURSE,),
         "004 §3.1-3.2: keeps and fills in the care cards at the duty post"),
    Post(SITTER, Msg("Sitter"), (roles.NURSE,),
         "000 item 1.1: the sitter post (8-10 residents each); looks after residents at the bedside"),
    Post(WARD_NURSE, Msg("Ward nurse"), (roles.SUPERVISOR,),
         "004 §3.2: daily control of the cards; §2.4.2: receives the reports of changes"),
    Post(FELDSHER, Msg("Feldsher"), (roles.SUPERVISOR,),
         "004 §3.2: daily control of the cards; §1.4: oversees the duty staff's procedures and hygiene"),
    Post(HEAD_OF_UNIT, Msg("Head of unit"), (roles.SUPERVISOR,),
         "004 §3.2: daily control of the cards; §2.4.2: receives the reports of changes"),
    Post(PHYSICIAN, Msg("Physician"), (roles.PLANNER,),
         "004 §3.1: composes the monthly cards with the nurses and social-rehabilitation staff"),
    Post(SOCIAL_REHABILITATION_SPECIALIST, Msg("Social-rehabilitation specialist"), (roles.PLANNER, roles.SUPERVISOR),
         "004 §3.1: composes the cards; §3.2: daily control of the cards"),
    Post(PSYCHOLOGIST, Msg("Psychologist"), (roles.ACTIVITIES,), "001 staff list; 000 team"),
    Post(WORK_INSTRUCTOR, Msg("Work instructor"), (roles.ACTIVITIES,), "001 staff list"),
    Post(EXERCISE_INSTRUCTOR, Msg("Exercise-therapy instructor"), (roles.ACTIVITIES,), "001 staff list"),
    Post(LIBRARIAN, Msg("Librarian"), (roles.ACTIVITIES,), "001 staff list"),
    Post(SOCIAL_WORKER, Msg("Social worker"), (roles.ACTIVITIES,), "001 staff list; 000 team"),
    Post(ACTIVITY_ORGANISER, Msg("Activity organiser"), (roles.ACTIVITIES,),
         "001: leisure and socially useful activity (no single post named)"),
    Post(ADMINISTRATOR, Msg("Administrator"), (roles.ADMIN,), "the app's own: keeps the accounts and tablets"),
    Post(INSPECTOR, Msg("Inspector"), (roles.INSPECTOR,),
         "002: supervision by civil affairs or a third party; 003: the region's platform for supervision"),
)
BY_CODE = {p.code: p for p in POSTS}
CODES = tuple(BY_CODE)
#: The posts 004 §3.2 gives the daily control of the cards: each brings the day-control role.
DAILY_CONTROL = (WARD_NURSE, SOCIAL_REHABILITATION_SPECIALIST, FELDSHER, HEAD_OF_UNIT)
#: The post of a member of staff whose main role is this, where the role names one post only: what migration 0014
#: gave the accounts made before posts. A planner may be a physician or a social-rehabilitation specialist (no
#: guess: her post stays to be chosen).
OF_ROLE = {roles.NURSE: JUNIOR_NURSE, roles.SUPERVISOR: WARD_NURSE, roles.ACTIVITIES: ACTIVITY_ORGANISER,
           roles.ADMIN: ADMINISTRATOR}


def roles_of(code):
    """The roles a post brings by default, the main one first."""
    return BY_CODE[code].roles


def label(code):
    """The post's name (a Msg, translated where it is shown); None for no post."""
    return BY_CODE[code].label if code in BY_CODE else None


def check(code):
    """{"post": message} unless `code` is a post's code."""
    if code not in BY_CODE:
        return {"post": Msg("must be one of %(options)s", options=", ".join(CODES))}
    return {}
