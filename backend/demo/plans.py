"""The demo's care plans and this month's cards: the card items a planner would write for each care group, an
individual plan built from them, and the card generated from the plan."""
import uuid
from datetime import timedelta

from ..domain import card_generation, care_plan
from ..extensions import db
from ..models import CardItem, CareCard, CarePlan, CarePlanVersion


def _items(group):
    """Card items for a care group, as a planner would write them."""
    items = [
        ("hygiene", "Утренний туалет", "Умывание, чистка зубов, причёсывание", "times", {"times": ["07:30"]}, None),
        ("hygiene", "Вечерний туалет", "Умывание, подмывание, подготовка ко сну", "times", {"times": ["21:00"]}, None),
        ("vitals", "Артериальное давление и пульс", "Измерить сидя, после 5 минут покоя", "times",
         {"times": ["09:00", "18:00"]}, ["bp_systolic", "bp_diastolic", "pulse"]),
        ("vitals", "Температура тела", "Подмышечная", "times", {"times": ["07:00"]}, ["temperature"]),
        ("nutrition", "Питьевой режим", "Предложить 150–200 мл жидкости", "times",
         {"times": ["08:00", "11:00", "14:00", "17:00", "20:00"]}, None),
        ("leisure", "Досуг", "Беседа, чтение, телевизор, прогулка по отделению", "per_shift", {"shifts": ["day"]},
         None),
    ]
    if group >= 3:
        items.append(("nutrition", "Помощь при кормлении", "Кормить сидя, небольшими порциями", "times",
                      {"times": ["08:30", "13:00", "18:30"]}, None))
        items.append(("elimination", "Смена абсорбирующего белья", "Осмотр кожи при смене", "every_hours",
                      {"hours": 4, "start": "06:00"}, None))
    if group == 4:
        items.append(("mobility", "Смена положения тела", "Каждые 2 часа; профилактика пролежней", "every_hours",
                      {"hours": 2, "start": "00:00"}, None))
        items.append(("hygiene", "Осмотр кожи", "Крестец, пятки, лопатки", "per_shift", {"shifts": ["day", "night"]},
                      None))
    if group in (2, 3):
        items.append(("mobility", "Прогулка с сопровождением", "С ходунками, 20 минут", "times",
                      {"times": ["11:00", "16:00"]}, None))
    if group >= 2:
        items.append(("medication", "Помощь в приёме лекарств", "По листу назначений", "times",
                      {"times": ["08:00", "20:00"]}, None))
        items.append(("vitals", "Сатурация", "Пульсоксиметр", "times", {"times": ["09:00"]}, ["spo2"]))
    return items


def demo_plan(resident, today, items=()):
    """A plausible plan for a demo resident (content for save_version or a CarePlanVersion row).

    items: the resident's card items as (category, title, instructions, schedule_kind, params, measures) tuples
    (`_items(group)`); each becomes a service in the section it belongs to."""
    section_of = {"hygiene": "mobility", "mobility": "mobility", "nutrition": "nutrition", "elimination": "nutrition",
                  "vitals": "vitals", "medication": "vitals", "leisure": "sleep_leisure", "other": "safety"}
    content = care_plan.empty_content(resident.care_group)
    sections = {s["id"]: s for s in content["sections"]}
    for category, title, instructions, kind, params, measures in items:
        sections[section_of.get(category, "safety")]["services"].append({
            "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bedside-demo/{resident.id}/{title}")), "name": title,
            "volume": "", "periodicity": {"kind": kind, **params, "days_of_week": None},
            "term": {"from": None, "to": None}, "on_card": True, "category": category,
            "instructions": instructions, "measures": measures})
    review = (today + timedelta(days=30 if resident.id % 3 else -2)).isoformat()
    sections["mobility"]["rows"].append({
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bedside-demo/{resident.id}/row-mobility")),
        "problem": "Ограничение подвижности, риск пролежней", "goal": "Сохранить целостность кожных покровов",
        "measures": "Смена положения тела, осмотр кожи, активизация",
        "set_on": (today - timedelta(days=60)).isoformat(),
        "review_on": review})
    sections["communication"]["rows"].append({
        "id": str(uuid.uuid5(uuid.NAMESPACE_URL, f"bedside-demo/{resident.id}/row-communication")),
        "problem": "Ресурс: охотно общается с соседями", "goal": "Поддерживать социальные контакты",
        "measures": "Участие в групповых занятиях", "set_on": (today - timedelta(days=60)).isoformat(),
        "review_on": (today + timedelta(days=90)).isoformat()})
    return care_plan.normalize(content)


def make_cards(residents, planner, today, now, seq, history):
    """This month's published card of each resident, generated from her individual plan (feed positions from
    `seq` on). history: the plans are stored too (version 1) and the cards name the plan they came from.
    Returns the next seq."""
    month = today.replace(day=1)
    for r in residents:
        content = demo_plan(r, today, _items(r.care_group))
        version = None
        if history:
            plan = CarePlan(resident_id=r.id, current_version=1)
            db.session.add(plan)
            db.session.flush()
            version = CarePlanVersion(plan_id=plan.id, number=1, content=content, created_by=planner.id,
                                      created_at=now.replace(tzinfo=None), note="Первичный план")
            db.session.add(version)
            db.session.flush()
        card = CareCard(resident_id=r.id, month=month, status="published", version=1, seq=seq,
                        plan_version_id=version and version.id, updated_at=now.replace(tzinfo=None),
                        updated_by=planner.id)
        seq += 1
        db.session.add(card)
        db.session.flush()
        for item in card_generation.items_for_month(content, month):
            db.session.add(CardItem(card_id=card.id, **dict(item, plan_service=item["plan_service"] if history
                                                                 else None)))
    db.session.flush()
    return seq
