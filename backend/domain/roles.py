"""Roles and what each may do. The API declares roles per route from these names."""
NURSE = "nurse"            # junior nurse / care aide
SUPERVISOR = "supervisor"  # ward nurse, feldsher, head of unit
PLANNER = "planner"        # physician, nurse, social-rehabilitation specialist
ACTIVITIES = "activities"  # activity staff
ADMIN = "admin"
RELATIVE = "relative"

STAFF = (NURSE, SUPERVISOR, PLANNER, ACTIVITIES, ADMIN)
ALL = STAFF + (RELATIVE,)
#: Roles whose members record entries at the bedside.
RECORDERS = (NURSE, SUPERVISOR)
#: Roles that see a unit's care documentation.
CLINICAL = (NURSE, SUPERVISOR, PLANNER)
#: Roles whose members fill assessment forms (kind 'assessment'): the team that assesses and plans.
ASSESSORS = (SUPERVISOR, PLANNER)
#: Roles that pull a duty post (its residents, cards and entries) onto a tablet.
SIGNERS = (NURSE, SUPERVISOR, PLANNER)
#: Roles who mark attendance at activities (kind 'attendance') and pull the home's activities onto a tablet:
#: activity staff, and the heads of unit and specialists who also run activities (practices.md A4). Junior
#: nurses do not: they tick the care card at their post.
ATTENDANCE_RECORDERS = (ACTIVITIES, SUPERVISOR, PLANNER)
#: Questionnaires (assessment forms) that are not clinical: filled with a resident by activity staff too.
SURVEY_FORMS = ("satisfaction_resident",)
SURVEYORS = (ACTIVITIES, SUPERVISOR, PLANNER)
#: Roles that get a signing key on a tablet and author entries of some kind.
AUTHORS = SIGNERS + (ACTIVITIES,)


def held(roles):
    """A role or the roles someone holds, as a tuple (None: nobody known)."""
    if roles is None:
        return ()
    return (roles,) if isinstance(roles, str) else tuple(roles)


def holds(roles, group):
    """Does someone holding `roles` (one role or several) hold a role of `group`?"""
    return any(r in group for r in held(roles))


def may_record(roles, kind, category=None):
    """May someone holding `roles` (one role, or all of a person's roles) author an entry of `kind` (for an
    assessment: of form `category`)? Assessments: the assessors; a residents' questionnaire (SURVEY_FORMS): the
    surveyors, activity staff among them -- who fill no clinical form. Attendance: the attendance recorders.
    Bedside entries (ticks, vitals, notes, condition reports): the recorders -- a planner does not tick cards. A
    person of several roles may do what any of them may. `roles` None stands for a bedside recorder (callers that
    know no roles)."""
    if kind == "assessment":
        return holds(roles, SURVEYORS if category in SURVEY_FORMS else ASSESSORS)
    if kind == "attendance":
        return holds(roles, ATTENDANCE_RECORDERS)
    return roles is None or holds(roles, RECORDERS)
