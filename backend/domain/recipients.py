"""The categories of service recipient that regulation 004 §1.1 builds its long-term care for:

    «граждане с психическими расстройствами, включая больных деменцией; граждане с инвалидностью; маломобильные
    проживающие (необратимо и обратимо как результат успешной реабилитации); гериатрические получатели социальных
    услуг; паллиативные проживающие»

A resident may belong to several (a geriatric resident with dementia and a disability is all three), or to none
recorded yet. They are kept on her record (changed by a "details" event of her stay, so each change is dated and
signed) and shown wherever her record is read; they do not decide her care group (004 Appendix 4 does, from the
assessments). The tablet's list: frontend/lib/labels.js RECIPIENT_CATEGORIES (tests/test_shared_lists.py).
"""
from .messages import Msg

CATEGORIES = ("mental_disorder", "disability", "low_mobility", "geriatric", "palliative")


def check(categories):
    """{"categories": message} unless `categories` is a list of distinct known codes."""
    if not isinstance(categories, list) or any(c not in CATEGORIES for c in categories):
        return {"categories": Msg("must be some of %(options)s", options=", ".join(CATEGORIES))}
    if len(set(categories)) != len(categories):
        return {"categories": Msg("each category once")}
    return {}


def ordered(categories):
    """The categories in the regulation's order (stored so: a change is a change of set, not of order)."""
    return [c for c in CATEGORIES if c in (categories or ())]
