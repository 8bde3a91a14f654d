"""The service catalogue of home and community care, as seeded for a community home (issue 18).

003 §4.2 (the Inner Mongolia guideline) sets the general functions as "8大类20个服务项目": eight categories, twenty
service items, numbered here 1-20 in the guideline's order. The "helps" are the services an older person gets at
home: 助餐, 助浴, 助洁, 助医, 助急, 助行 (003 §2.4), 心理慰藉 (003 §5.1.3) and 助购 (002, Zibo); the guideline puts
them under no item, so each is given the category its work belongs to (ours).

The Chinese names are the source's words (the guideline's quotation marks kept on its two coined terms, items 13
and 16); the Russian and English names are ours. Standard minutes and units are our defaults, for the home to
change: None where the service is not a timed visit (a stay, a meal in the canteen, a month of a platform's
service). Prices are 0: the home sets its prices.
"""
from decimal import Decimal

#: The 8 categories of 003 §4.2, in its order: code, the guideline's section, names.
CATEGORIES = (
    {"code": "professional_care", "section": "4.2.1",
     "names": {"zh_Hans": "专业照护类", "ru": "Профессиональный уход", "en": "Professional care"}},
    {"code": "meal_assistance", "section": "4.2.2",
     "names": {"zh_Hans": "助餐服务类", "ru": "Организация питания", "en": "Meal assistance"}},
    {"code": "medical_care", "section": "4.2.3",
     "names": {"zh_Hans": "医养结合类", "ru": "Сочетание медицинской помощи и ухода",
               "en": "Integrated medical and elderly care"}},
    {"code": "health_promotion", "section": "4.2.4",
     "names": {"zh_Hans": "健康促进类", "ru": "Укрепление здоровья", "en": "Health promotion"}},
    {"code": "smart_services", "section": "4.2.5",
     "names": {"zh_Hans": "智能服务类", "ru": "Цифровые услуги", "en": "Smart services"}},
    {"code": "family_support", "section": "4.2.6",
     "names": {"zh_Hans": "家庭支持类", "ru": "Поддержка семьи", "en": "Family support"}},
    {"code": "advisory", "section": "4.2.7",
     "names": {"zh_Hans": "养老顾问类", "ru": "Консультирование по вопросам ухода", "en": "Elderly-care advisory"}},
    {"code": "spiritual_cultural", "section": "4.2.8",
     "names": {"zh_Hans": "精神文化类", "ru": "Духовно-культурные услуги", "en": "Spiritual and cultural"}},
)

CATEGORY_CODES = tuple(c["code"] for c in CATEGORIES)


def _item(number, code, category, zh, ru, en, minutes, unit):
    return {"number": number, "code": code, "category": category, "names": {"zh_Hans": zh, "ru": ru, "en": en},
            "standard_minutes": minutes, "unit": unit}


#: The 20 service items of 003 §4.2, numbered in its order.
ITEMS = (
    _item(1, "institutional_care", "professional_care", "机构照护服务",
          "Уход в стационарном учреждении", "Institutional care", None, "month"),
    _item(2, "short_term_care", "professional_care", "短期托养服务",
          "Кратковременное пребывание с уходом", "Short-term residential care", None, "day"),
    _item(3, "home_care", "professional_care", "居家照护服务",
          "Уход на дому", "Home care", 60, "visit"),
    _item(4, "dine_in", "meal_assistance", "堂食服务",
          "Питание в столовой", "Dine-in meals", None, "meal"),
    _item(5, "meal_delivery", "meal_assistance", "送餐服务",
          "Доставка питания на дом", "Meal delivery", 15, "meal"),
    _item(6, "community_health", "medical_care", "社区卫生服务",
          "Медицинская помощь по месту жительства", "Community health services", 30, "visit"),
    _item(7, "medical_contract", "medical_care", "医养签约服务",
          "Медицинское обслуживание по договору", "Medical and care contract service", None, "month"),
    _item(8, "health_management", "health_promotion", "健康管理服务",
          "Наблюдение за здоровьем", "Health management", 30, "visit"),
    _item(9, "rehab_wellness", "health_promotion", "康养结合服务",
          "Реабилитация и оздоровление", "Combined rehabilitation and wellness", 60, "hour"),
    _item(10, "emergency_assistance", "smart_services", "紧急援助服务",
          "Экстренная помощь", "Emergency assistance", None, "month"),
    _item(11, "safety_protection", "smart_services", "安全防护服务",
          "Охранная сигнализация и защита", "Safety protection", None, "month"),
    _item(12, "remote_care", "smart_services", "远程照护服务",
          "Дистанционный уход", "Remote care", None, "month"),
    _item(13, "respite_care", "family_support", "“喘息服务”",
          "«Передышка» для семьи", "Respite care", None, "day"),
    _item(14, "home_modification", "family_support", "适老化改造服务",
          "Адаптация жилья к потребностям пожилых", "Age-friendly home modification", 120, "visit"),
    _item(15, "assistive_devices", "family_support", "辅具推广服务",
          "Технические средства реабилитации: показ, прокат", "Assistive-device promotion", 30, "visit"),
    _item(16, "time_bank", "family_support", "“时间银行”",
          "«Банк времени»", "Time bank", 60, "hour"),
    _item(17, "advisory_basic", "advisory", "基础服务",
          "Консультирование: основные услуги", "Advisory: basic services", 30, "visit"),
    _item(18, "advisory_extended", "advisory", "拓展服务",
          "Консультирование: расширенные услуги", "Advisory: extended services", 60, "visit"),
    _item(19, "emotional_comfort", "spiritual_cultural", "精神慰藉服务",
          "Эмоциональная поддержка", "Emotional comfort", 60, "visit"),
    _item(20, "care_education", "spiritual_cultural", "养教结合服务",
          "Образование пожилых", "Combined care and education", 60, "hour"),
)


def _help(code, category, zh, ru, en, minutes, unit, source):
    return {"code": code, "category": category, "names": {"zh_Hans": zh, "ru": ru, "en": en},
            "standard_minutes": minutes, "unit": unit, "source": source}


#: The helps: the services of a home visit. Their categories are ours (the guideline names them under no item).
HELPS = (
    _help("help_meal", "meal_assistance", "助餐", "Помощь с питанием", "Help with meals", 30, "meal", "003 §2.4"),
    _help("help_bath", "professional_care", "助浴", "Помощь в купании", "Help with bathing", 60, "visit",
          "003 §2.4"),
    _help("help_clean", "professional_care", "助洁", "Помощь в уборке", "Help with cleaning", 60, "hour",
          "003 §2.4"),
    _help("help_medical", "medical_care", "助医", "Помощь в получении медицинской помощи",
          "Help with medical needs", 120, "visit", "003 §2.4"),
    _help("help_emergency", "smart_services", "助急", "Помощь в экстренных случаях", "Help in an emergency", 30,
          "visit", "003 §2.4"),
    _help("help_walk", "professional_care", "助行", "Помощь в передвижении", "Help getting about", 60, "visit",
          "003 §2.4"),
    _help("help_shop", "professional_care", "助购", "Помощь с покупками", "Help with shopping", 60, "visit",
          "002 Zibo"),
    _help("help_comfort", "spiritual_cultural", "心理慰藉", "Психологическая поддержка", "Psychological comfort", 60,
          "visit", "003 §5.1.3"),
)

ITEM_CODES = tuple(i["code"] for i in ITEMS) + tuple(h["code"] for h in HELPS)


def seed_rows(home_id):
    """The service_item rows a community home starts with: the 20 items in the guideline's order, then the helps;
    prices 0 (the home sets them), all active."""
    return [{"home_id": home_id, "names": dict(s["names"]), "category": s["category"], "item": s["code"],
             "standard_minutes": s["standard_minutes"], "price": Decimal("0.00"), "unit": s["unit"], "active": True}
            for s in ITEMS + HELPS]
