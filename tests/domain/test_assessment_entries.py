"""Assessments as entries (kind 'assessment'): judged against the form definition, scored by the server."""
from datetime import date

from backend.domain import entries, forms, roles, signing, sync, vitals

HOME, U100, U200 = frozenset(), frozenset({100}), frozenset({200})  # an author's units (none: the whole home)

TODAY = date(2026, 11, 25)
NURSE, PLANNER, SUPERVISOR = 10, 20, 30
SECRETS = {uid: bytes([uid]) * 32 for uid in (NURSE, PLANNER, SUPERVISOR)}
KEYS = {f"k{uid}": (uid, "tab-1", secret, False) for uid, secret in SECRETS.items()}
DEFINITIONS = {form_id: forms.load(form_id) for form_id in forms.form_ids()}
AGE_YES = ("weight_loss", "falls", "memory")  # 3 points: pre-frailty
AGE = {q: q in AGE_YES for q in ("weight_loss", "vision_hearing", "falls", "mood", "memory", "incontinence",
                                  "moving")}


def ctx(**overrides):
    values = dict(actor_id=PLANNER, today=TODAY, existing={}, residents={1: 100}, items={},
                  authors={NURSE: U100, PLANNER: HOME, SUPERVISOR: HOME}, superseded_targets={}, confirmations=[],
                  vitals_definition=vitals.load_definition(), keys=KEYS,
                  author_roles={NURSE: roles.NURSE, PLANNER: roles.PLANNER, SUPERVISOR: roles.SUPERVISOR},
                  form_definitions=DEFINITIONS)
    values.update(overrides)
    return sync.Context(**values)


_n = iter(range(1, 10_000))


def assessment(answers=None, form_id="age_no_barrier", author=PLANNER, **fields):
    n = next(_n)
    e = {"id": f"00000000-0000-7000-8000-{n:012d}", "kind": "assessment", "resident_id": 1, "item_id": None,
         "day": TODAY, "slot": None, "status": None, "reason": None, "note": None,
         "values": dict(AGE) if answers is None else answers, "category": form_id, "supersedes": None,
         "author_id": author, "device_id": "tab-1", "client_seq": n, "device_time": "2026-11-25T11:05:00+07:00"}
    e.update(fields)
    return dict(e, key_id=f"k{e['author_id']}", sig=signing.sign(KEYS[f"k{e['author_id']}"][2], e))


def test_a_complete_assessment_is_accepted_with_the_servers_score():
    d = sync.judge(assessment(), ctx())
    assert (d.status, d.reason) == ("accepted", None)
    assert d.score == {"total": 3, "subscores": {}, "band": "pre_frailty", "complete": True, "version": 1}


def test_the_score_is_computed_whatever_the_tablet_says():
    # a score the tablet put on the entry is not a client field: neither signed nor read
    d = sync.judge(dict(assessment(), score={"total": 7, "band": "frailty"}), ctx())
    assert d.status == "accepted" and d.score["total"] == 3 and d.score["band"] == "pre_frailty"


def test_mmse_subscores_and_band():
    answers = {q["id"]: True for q in forms.questions(DEFINITIONS["mmse"]) if q["type"] == "yes_no"}
    answers.update(time=4, attention_task="serial_sevens", attention=3, copy_drawing=False)
    d = sync.judge(assessment(answers, "mmse"), ctx())
    assert d.status == "accepted"
    assert d.score["total"] == 30 - 1 - 2 - 1 and d.score["band"] == "normal"
    assert d.score["subscores"]["item1"] == 4


def test_an_unfinished_form_is_refused_naming_the_question():
    answers = dict(AGE)
    del answers["falls"]
    d = sync.judge(assessment(answers), ctx())
    assert (d.status, d.reason) == ("rejected", "invalid")
    assert d.fields == {"values.falls": "an answer is required"}
    assert d.fields["values.falls"].template == "an answer is required"  # translatable


def test_answers_that_do_not_fit_are_refused_by_question():
    d = sync.judge(assessment(dict(AGE, falls="yes", extra=True)), ctx())
    assert d.status == "rejected"
    assert d.fields == {"values.falls": "wrong type of answer", "values.extra": "unknown question"}
    d = sync.judge(assessment({q["id"]: True for q in forms.questions(DEFINITIONS["mmse"]) if q["type"] == "yes_no"}
                              | {"time": 9, "attention_task": "serial_sevens", "attention": 5}, "mmse"), ctx())
    assert d.fields == {"values.time": "must be between 0 and 5"}


def test_unknown_form_and_stray_fields_are_refused():
    d = sync.judge(assessment(form_id="no_such_form"), ctx())
    assert (d.status, d.fields) == ("rejected", {"category": "not a known assessment form"})
    d = sync.judge(assessment(status="done"), ctx())
    assert d.fields == {"status": "an assessment has no status"}
    d = sync.judge(assessment(answers={}), ctx())
    assert set(d.fields) == {f"values.{q}" for q in AGE}


def test_who_may_assess():
    assert sync.judge(assessment(author=SUPERVISOR), ctx()).status == "accepted"
    d = sync.judge(assessment(author=NURSE), ctx())
    assert (d.status, d.reason) == ("rejected", "not_permitted")
    assert set(d.fields) == {"kind"}


def test_a_planner_does_not_tick_cards():
    e = assessment(kind="tick", category=None, values=None, item_id=5, slot="08:00", status="done")
    d = sync.judge(e, ctx(items={5: 1}))
    assert (d.status, d.reason) == ("rejected", "not_permitted")
    assert roles.may_record(roles.NURSE, "tick") and roles.may_record(None, "note")
    assert not roles.may_record(roles.PLANNER, "vitals") and not roles.may_record(None, "assessment")


def test_an_assessment_is_corrected_by_its_author_keeping_the_form():
    c = ctx()
    first = assessment()
    assert sync.judge(first, c).status == "accepted"
    fix = assessment(dict(AGE, mood=True), supersedes=first["id"])
    d = sync.judge(fix, c)
    assert d.status == "accepted" and d.score["total"] == 4
    other_form = assessment({"intensity": 3}, "pain_nrs", supersedes=first["id"])
    assert sync.judge(other_form, c).reason == "superseded_mismatch"
    by_supervisor = assessment(author=SUPERVISOR, supersedes=first["id"])
    assert sync.judge(by_supervisor, c).reason == "not_own_entry"


def test_an_assessment_cannot_be_amended_without_the_definitions():
    errors, _ = entries.validate_fields(dict(assessment()), vitals.load_definition())
    assert set(errors) == {"kind"}


def test_replay_is_a_duplicate():
    e = assessment()
    d = sync.judge(e, ctx(existing={e["id"]: sync.payload_hash(e)}))
    assert d.status == "duplicate"
    changed = dict(e, values=dict(AGE, mood=True))
    assert sync.judge(changed, ctx(existing={e["id"]: sync.payload_hash(e)})).reason == "id_conflict"
