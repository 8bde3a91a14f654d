"""The names of a form's fields as its reader sees them, for "Please check: …" (never the JSON name `decided_on`).

One table per form (the API's blueprint), over a table of the names every form shares; a name in neither is left as
it is. backend/errors.py writes the message with them in the request's language."""
from .domain.messages import Msg

COMMON = {
    "full_name": Msg("Full name"),
    "name": Msg("Name"),
    "title": Msg("Name"),
    "birth_date": Msg("Date of birth"),
    "admitted_on": Msg("Day of admission"),
    "room": Msg("Room"),
    "bed": Msg("Bed"),
    "rooms": Msg("Rooms"),
    "beds": Msg("Beds"),
    "unit": Msg("Unit"),
    "unit_id": Msg("Unit"),
    "units": Msg("Units"),
    "unit_ids": Msg("Units"),
    "post": Msg("Duty post"),
    "names": Msg("Name in other languages"),
    "names.ru": Msg("Name in Russian"),
    "names.zh_Hans": Msg("Name in Chinese"),
    "names.en": Msg("Name in English"),
    "post_id": Msg("Duty post"),
    "resident": Msg("Resident"),
    "resident_id": Msg("Resident"),
    "username": Msg("User name"),
    "password": Msg("Password"),
    "new_password": Msg("New password"),
    "current_password": Msg("Current password"),
    "pin": Msg("PIN"),
    "role": Msg("Roles"),
    "roles": Msg("Roles"),
    "locale": Msg("Language"),
    "lang": Msg("Language"),
    "language": Msg("Language"),
    "timezone": Msg("Time zone"),
    "home_name": Msg("Name of the home"),
    "day": Msg("Date"),
    "date": Msg("Date"),
    "on_date": Msg("Date"),
    "month": Msg("Month"),
    "time": Msg("Time"),
    "start_time": Msg("Start time"),
    "end_time": Msg("End time"),
    "shift": Msg("Shift"),
    "note": Msg("Note"),
    "reason": Msg("Reason"),
    "place": Msg("Place"),
    "direction": Msg("Direction"),
    "goal": Msg("Goal"),
    "instructions": Msg("Instructions"),
    "measures": Msg("Measures"),
    "category": Msg("Category"),
    "kind": Msg("Kind"),
    "status": Msg("Status"),
    "value": Msg("Value"),
    "activity": Msg("Activity"),
    "activity_id": Msg("Activity"),
    "carer_id": Msg("Carer"),
    "section": Msg("Section"),
    "period": Msg("Period"),
    "last_day": Msg("Last day"),
    "review_on": Msg("Review date"),
    "device_id": Msg("Device"),
    "form_id": Msg("Form"),
    "answers": Msg("Answers"),
    "times": Msg("Times of day"),
    "hours": Msg("Every how many hours"),
    "start": Msg("Starting at"),
    "shifts": Msg("Shifts"),
    "days_of_week": Msg("Days of the week"),
    "weekdays": Msg("Days of the week"),
    "schedule": Msg("Schedule"),
    "schedule_kind": Msg("Schedule"),
}

#: A form's own names where they differ from the common ones (the form's blueprint -> {field: label}).
BY_FORM = {
    "care_groups": {
        "group": Msg("Care group"),
        "decided_on": Msg("Date of the decision"),
        "reason": Msg("Kind of assessment"),
        "note": Msg("Note"),
        "basis": Msg("Assessments"),
        "grounds": Msg("Grounds from the definition"),
    },
    "cards": {
        "title": Msg("Title"),
        "measures": Msg("Measurements"),
        # a schedule less often than daily (docs/domain.md, "Periodic services")
        "day": Msg("Day of the month (the last day in a shorter month)"),
        "days": Msg("Every how many days"),
        "weeks": Msg("Every how many weeks"),
        "from": Msg("First day it is due"),
        "dates": Msg("Dates"),
    },
    "family": {
        "answers": Msg("Answers"),
        "form_id": Msg("Questionnaire"),
    },
}


def label(name, form=None):
    """The label (Msg) of a field `name` ('a.0.b' for nested ones: its last named part) on `form`; else the name."""
    parts = [p for p in str(name).split(".") if p and not p.isdigit()]
    for key in (name, parts[-1] if parts else name, parts[0] if parts else name):
        found = BY_FORM.get(form, {}).get(key) or COMMON.get(key)
        if found is not None:
            return found
    return name


def labels(names, form, translate):
    """The fields' labels in the reader's language, each once, in the order given (sorted names)."""
    out = []
    for name in sorted(names):
        text = translate(label(name, form))
        if text not in out:
            out.append(text)
    return ", ".join(out)
