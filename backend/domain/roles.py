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
