"""The JSON API: one blueprint per resource, registered in one place."""
from . import (activities, alarms, archive, assessments, attendance, auth, care_groups, care_plans, cards, context, days,
               devices, family, health, homecare, input_guard, invitations, monitoring, onboarding, openapi,
               organisation, personal_file, region, staff, sync, visits)

BLUEPRINTS = (auth.bp, organisation.bp, cards.bp, sync.bp, days.bp, devices.bp, family.bp, assessments.bp,
              care_groups.bp, care_plans.bp, archive.bp, activities.bp, attendance.bp, invitations.bp, monitoring.bp,
              staff.bp, onboarding.bp, openapi.bp, health.bp, personal_file.bp, homecare.bp, visits.bp, alarms.bp,
              region.bp)


def register_boundary(app):
    """The input boundary (input_guard): registered before every other check of a request."""
    input_guard.register(app)


def register(app):
    app.before_request(context.device_guard)
    for bp in BLUEPRINTS:
        app.register_blueprint(bp)
