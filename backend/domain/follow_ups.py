"""The follow-up call (回访) of home care and its satisfaction questionnaire (issue 18, section 3). Plain rules: the
call's result, its answers and the form's definition are arguments.

A call that reached someone (result confirmed or not_confirmed) may keep the home-care satisfaction questionnaire
(frontend/forms/satisfaction_homecare.json), asked of the person or her family; an unreachable call has none. The
answers are checked and scored by the forms engine (domain/forms.py): complete, every answer one of the choices.
A problem names its field as `answers.<question id>` (`answers` for the whole)."""
from . import forms
from .messages import Msg

#: The questionnaire asked in a follow-up call.
FORM_ID = "satisfaction_homecare"
#: A follow-up call's result.
RESULTS = ("confirmed", "not_confirmed", "unreachable")
#: The results of a call that reached someone: only these keep a questionnaire.
ANSWERED = ("confirmed", "not_confirmed")
#: A questionnaire counts as satisfied in this band (as the residents' questionnaire: domain/figures.py).
SATISFIED_BAND = "satisfied"


def check(result, answers, definition):
    """{field: message} for a call's questionnaire (empty when it may be kept). answers None: no questionnaire."""
    if answers is None:
        return {}
    if result not in ANSWERED:
        return {"answers": Msg("an unreachable call has no questionnaire")}
    return {"answers" if qid == "answers" else f"answers.{qid}": problem
            for qid, problem in forms.validate(definition, answers).items()}


def score(definition, answers):
    """The questionnaire's score as kept with the call: {"total", "subscores", "band", "complete", "version"} (as an
    assessment's, domain/entries.py assessment_score); None without a questionnaire."""
    if answers is None:
        return None
    result = forms.score(definition, answers)
    return {"total": result["total"], "subscores": result["subscores"], "band": result["band"],
            "complete": result["complete"], "version": definition.get("version")}
