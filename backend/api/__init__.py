"""The JSON API: one blueprint per resource, registered in one place."""
from . import (activities, archive, assessments, attendance, auth, care_groups, care_plans, cards, context, days, devices,
               family, input_guard, invitations, monitoring, onboarding, openapi, organisation, staff, sync)

BLUEPRINTS = (auth.bp, organisation.bp, cards.bp, sync.bp, days.bp, devices.bp, family.bp, assessments.bp,
              care_groups.bp, care_plans.bp, archive.bp, activities.bp, attendance.bp, invitations.bp, monitoring.bp,
              staff.bp, onboarding.bp, openapi.bp)


def register(app):
    app.before_request(input_guard.refuse_nul_text)
    app.before_request(context.device_guard)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
