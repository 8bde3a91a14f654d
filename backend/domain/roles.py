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
#: Roles that get a signing key on a tablet, pull a duty post and author entries of some kind.
SIGNERS = (NURSE, SUPERVISOR, PLANNER)


def may_record(role, kind):
    """May a member of `role` author an entry of `kind`? Assessments: the assessors. Bedside entries (ticks,
    vitals, notes, condition reports): the recorders -- a planner does not tick cards. `role` None stands for a
    bedside recorder (callers that know no roles)."""
    if kind == "assessment":
        return role in ASSESSORS
    return role is None or role in RECORDERS
