"""Roles and what each may do. Each set below is named for what it allows; the API declares its routes' roles
from these names, and a signed-in person's capabilities (CAPABILITIES: the tablet's screens and sync) are served to
her tablet from them (`can` in /api/auth/me and the sign-in reply): the tablet keeps no copy of these sets but the
few that decide what she may record offline (frontend/lib/roles.js, checked equal by
tests/domain/test_roles_shared.py)."""
NURSE = "nurse"            # junior nurse / care aide
SUPERVISOR = "supervisor"  # ward nurse, feldsher, head of unit
PLANNER = "planner"        # physician, nurse, social-rehabilitation specialist
ACTIVITIES = "activities"  # activity staff
ADMIN = "admin"
#: An inspector of the region (issue 18: civil affairs or a third party): a user of a home in the region who reads
#: every community home of her home's region (home.region_id), read-only but for blocking carers.
INSPECTOR = "inspector"
RELATIVE = "relative"

#: The staff of a home who work in it (its units, its residents, its activities).
HOME_STAFF = (NURSE, SUPERVISOR, PLANNER, ACTIVITIES, ADMIN)
STAFF = HOME_STAFF + (INSPECTOR,)
ALL = STAFF + (RELATIVE,)

# -- What a person may record (may_record; the tablet decides it offline from the same sets) --
#: Roles whose members record entries at the bedside, and home visits (kind 'visit', issue 18).
RECORDERS = (NURSE, SUPERVISOR)
#: Roles whose members fill assessment forms (kind 'assessment'): the team that assesses and plans.
ASSESSORS = (SUPERVISOR, PLANNER)
#: Roles who mark attendance at activities (kind 'attendance') and pull the home's activities onto a tablet:
#: activity staff, and the heads of unit and specialists who also run activities (practices.md A4). Junior
#: nurses do not: they tick the care card at their post.
ATTENDANCE_RECORDERS = (ACTIVITIES, SUPERVISOR, PLANNER)
#: Questionnaires (assessment forms) that are not clinical: filled with a resident by activity staff too -- the
#: satisfaction questionnaire and the milieu-therapy monitoring forms of 001 (docs/domain.md "Monitoring forms").
SURVEY_FORMS = ("satisfaction_resident", "milieu_observation", "milieu_interview", "specialist_report")
SURVEYORS = (ACTIVITIES, SUPERVISOR, PLANNER)

# -- What a person may see and do: each set allows the routes that declare it --
#: Roles that see a unit's care documentation.
CLINICAL = (NURSE, SUPERVISOR, PLANNER)
#: Roles that read a resident's record and the posts and residents of their units.
RESIDENT_READERS = CLINICAL + (ADMIN,)
#: Roles that pull a duty post (its residents, cards and entries) onto a tablet and work at it.
POST_PULLERS = (NURSE, SUPERVISOR, PLANNER)
#: Roles that sign entries of some kind: they get a signing key on an enrolled tablet.
AUTHORS = POST_PULLERS + (ACTIVITIES,)
#: Roles that review and confirm a unit's day and amend its entries (the supervisor's day view).
DAY_CONTROL = (SUPERVISOR,)
#: Roles that read care cards, care plans, care groups and assessments.
PLAN_READERS = (SUPERVISOR, PLANNER)
#: Roles that write care cards, care plans and care groups (the planning board, the cards).
PLANNING = (PLANNER,)
#: Roles that read the archive (closed months, archived cards).
ARCHIVE_READERS = (SUPERVISOR, PLANNER)
#: Roles that read a resident's personal file («личное дело по СДУ», 004 §3.3): her assessments, care-group
#: decisions, plan versions and closed cards in one place -- the team that keeps it.
FILE_READERS = (SUPERVISOR, PLANNER)
#: Roles that close a month or a card into the archive.
ARCHIVE_CLOSERS = (SUPERVISOR,)
#: Roles that keep residents' stays (rooms, admission, leave, discharge).
STAY_KEEPERS = (SUPERVISOR, PLANNER, ADMIN)
#: Roles that admit a new resident.
ADMITTERS = (PLANNER, ADMIN)
#: Roles that list the home's units.
UNIT_READERS = (SUPERVISOR, PLANNER, ADMIN)
#: Roles that read the monthly monitoring (and its files) and the carers on shift.
MONITORS = (SUPERVISOR, PLANNER, ADMIN)
#: Roles that assign carers to a shift.
CARER_ASSIGNERS = (SUPERVISOR,)
#: Roles that read the activity programmes, schedule and the people who run them.
ACTIVITY_READERS = (ACTIVITIES, PLANNER, SUPERVISOR)
#: Roles that plan activities: sessions and programmes.
ACTIVITY_PLANNERS = (ACTIVITIES, PLANNER)
#: Roles that keep the home's catalogue of activities.
CATALOGUE_KEEPERS = ACTIVITY_PLANNERS + (ADMIN,)
#: Roles that invite relatives (issue codes) and see a resident's linked relatives.
INVITERS = (SUPERVISOR, PLANNER, ACTIVITIES, ADMIN)
#: Roles that administer the home: tablets, staff, organisation, imports.
ADMINISTRATION = (ADMIN,)
#: Roles that see their own family member (the family view and surveys).
FAMILY = (RELATIVE,)

# -- Home and community care (issue 18): a community home's station; carers are role nurse on their own phones --
#: Roles that keep the people at home, their contracts and the centre's service catalogue: the station head
#: (dispatcher), the planners who assess and plan, the administrator.
HOMECARE_KEEPERS = (SUPERVISOR, PLANNER, ADMIN)
#: Roles that dispatch visits (generate the week, assign, reassign, cancel) and read the day's board: the station
#: head / dispatcher.
DISPATCHERS = (SUPERVISOR,)
#: Roles that handle home devices' alarms (acknowledge, tell the family, call for help, send a carer, close).
ALARM_HANDLERS = (SUPERVISOR,)
#: Roles that read a region's month of home care by provider and its settlement export, and block its carers: the
#: inspector (civil affairs or a third party). Nobody else reads across homes.
INSPECTORS = (INSPECTOR,)

#: What a person may do, by name: served to her tablet as `can` (the capabilities of the roles she holds). The
#: tablet shows a screen or pulls data when she `can` it (frontend/lib/session.js can).
CAPABILITIES = {
    "sign_entries": AUTHORS,
    "work_at_post": POST_PULLERS,
    "record_bedside": RECORDERS,
    "assess": ASSESSORS,
    "survey": SURVEYORS,
    "record_attendance": ATTENDANCE_RECORDERS,
    "read_residents": RESIDENT_READERS,
    "review_days": DAY_CONTROL,
    "read_plans": PLAN_READERS,
    "plan_care": PLANNING,
    "read_archive": ARCHIVE_READERS,
    "read_files": FILE_READERS,
    "close_archive": ARCHIVE_CLOSERS,
    "keep_stays": STAY_KEEPERS,
    "admit": ADMITTERS,
    "monitor": MONITORS,
    "assign_carers": CARER_ASSIGNERS,
    "read_activities": ACTIVITY_READERS,
    "plan_activities": ACTIVITY_PLANNERS,
    "keep_catalogue": CATALOGUE_KEEPERS,
    "invite_relatives": INVITERS,
    "administer": ADMINISTRATION,
    "see_family": FAMILY,
    "keep_home_care": HOMECARE_KEEPERS,
    "dispatch": DISPATCHERS,
    "handle_alarms": ALARM_HANDLERS,
    "inspect_region": INSPECTORS,
}


def held(roles):
    """A role or the roles someone holds, as a tuple (None: nobody known)."""
    if roles is None:
        return ()
    return (roles,) if isinstance(roles, str) else tuple(roles)


def holds(roles, group):
    """Does someone holding `roles` (one role or several) hold a role of `group`?"""
    return any(r in group for r in held(roles))


def capabilities(roles):
    """The names of what someone holding `roles` may do (CAPABILITIES), in their order: any of her roles allows."""
    return [name for name, group in CAPABILITIES.items() if holds(roles, group)]


def may_record(roles, kind, category=None):
    """May someone holding `roles` (one role, or all of a person's roles) author an entry of `kind` (for an
    assessment: of form `category`)? Assessments: the assessors; a residents' questionnaire (SURVEY_FORMS): the
    surveyors, activity staff among them -- who fill no clinical form. Attendance: the attendance recorders.
    Bedside entries (ticks, vitals, notes, condition reports) and home visits (kind 'visit': arrived, left, no
    access -- a carer is a nurse of a community unit): the recorders -- a planner does not tick cards. A
    person of several roles may do what any of them may. `roles` None stands for a bedside recorder (callers that
    know no roles)."""
    if kind == "assessment":
        return holds(roles, SURVEYORS if category in SURVEY_FORMS else ASSESSORS)
    if kind == "attendance":
        return holds(roles, ATTENDANCE_RECORDERS)
    return roles is None or holds(roles, RECORDERS)
