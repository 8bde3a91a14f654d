"""The code lists of home and community care (issue 18), in one place: the models' columns name them in their
docstrings, the services check against them. The service catalogue's categories and items are in
domain/service_catalogue.py.

Sources: 002 (six pilot localities) and 003 (the Inner Mongolia guideline); where a list is ours, it says so.
"""

#: home.kind: a residential home (the app as it was), or a community provider or centre (中心) whose units are
#: stations (站) and whose residents are older people living at home (服务对象).
HOME_KINDS = ("residential", "community")

#: resident.eligibility: 特困 (extremely poor supported person), 低保 (minimum-living-allowance recipient), low income,
#: general (002 Zibo pays subsidies by these).
ELIGIBILITY = ("tekun", "dibao", "low_income", "general")

#: resident.care_level: 自理 (self-caring), 半自理 (semi-self-caring), 全护理 (full care) -- the levels of Zibo's
#: monthly subsidies (002: 240, 685 and 1,090 yuan).
CARE_LEVELS = ("self_care", "semi", "full")

#: service_contract.funding: government purchase (政府购买服务), long-term-care insurance (长期护理保险), self-pay,
#: mixed (002 Chengdu: "one bed" brings the subsidy, the insurance and other policies together).
FUNDING = ("government", "ltc_insurance", "self_pay", "mixed")

#: service_item.unit: what the price is for. "day" is ours, beside the design's four: short-term care and respite
#: care (003 items 2 and 13) are priced by the day.
SERVICE_UNITS = ("visit", "hour", "meal", "day", "month")

#: visit.source: the week's plan (generated from the timed card items), added by the dispatcher, sent to an alarm,
#: an inspection visit.
VISIT_SOURCES = ("plan", "ad_hoc", "alarm", "inspection")

#: home_device.kind and alarm.kind: SOS button (一键通), fall, smoke, gas, water leak, door sensor (002 Jing'an),
#: smart mattress (bed) and bracelet (003 §7).
DEVICE_KINDS = ("sos", "fall", "smoke", "gas", "water", "door", "bed", "bracelet")

#: alarm_step.step, in their usual order (002 Jing'an: the family told or 120 called). "closed" closes the alarm.
ALARM_STEPS = ("acknowledged", "family_told", "emergency_called", "carer_sent", "closed")

#: Repeats of one device's alarm of one kind within this many seconds count once (issue 18 §4). The table holds
#: the minute the alarm was raised in (alarm.raised_minute), unique per device and kind: two repeats in the same
#: minute cannot both be stored; a repeat across a minute's end is left to the service's check of the window.
ALARM_REPEAT_SECONDS = 60

#: resident.radius_m when none is set: a location fix farther than this (plus the fix's accuracy, counted up to one
#: radius: domain/visits.py is_far) is flagged "far".
DEFAULT_RADIUS_M = 200
