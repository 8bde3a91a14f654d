"""A place's name -- a unit's, a duty post's -- in the reader's language (issue 16: place names entered in Russian
stayed Russian on the English and Chinese screens).

The administrator enters a unit's or a post's name once (`name`: the name as entered, in whatever language she
writes it, and the fallback) and, if she likes, its name in the home's languages (`names`: {"ru", "zh_Hans", "en"},
each optional). Whatever names a place for a person goes through `name_in`: the name in the reader's language, else
the name as entered. Replies use the request's language (backend/i18n.py `place_name`; a service hands a `PlaceName`
to a reply, translated when the reply is made, like a domain.messages.Msg); printed documents use the print
language; what a tablet keeps offline (its post) carries the name in every language (`in_every_language`), so a
tablet whose language is changed offline shows the right one (frontend/lib/session.js placeName).
"""
from dataclasses import dataclass, field

LANGUAGES = ("ru", "zh_Hans", "en")
#: A name's bound in any language (the model's column: unit.name, duty_post.name).
MAX_LENGTH = 200


@dataclass(frozen=True)
class PlaceName:
    """A place's name as a service hands it to a reply: written in the reader's language when the reply is made."""
    name: str
    names: dict = field(default_factory=dict)

    def in_language(self, language):
        return (self.names.get(language) or "").strip() or self.name


def of(place):
    """The PlaceName of a Unit or DutyPost (or of a {"name", "names"} dict, or a PlaceName); None for None."""
    if place is None or isinstance(place, PlaceName):
        return place
    if isinstance(place, str):
        return PlaceName(place)
    if isinstance(place, dict):
        return PlaceName(place.get("name") or "", dict(place.get("names") or {}))
    return PlaceName(place.name or "", dict(place.names or {}))


def name_in(place, language):
    """The place's name in `language`, else the name as entered ("" for no place). A plain string is a name as it
    is."""
    found = of(place)
    return found.in_language(language) if found is not None else ""


def in_every_language(place):
    """{"ru", "zh_Hans", "en"}: the name each reader sees (for a tablet that may change language offline)."""
    return {language: name_in(place, language) for language in LANGUAGES}


def clean(names):
    """The translations to keep: each trimmed, empty ones dropped; None when none is left."""
    out = {k: v.strip() for k, v in (names or {}).items() if k in LANGUAGES and isinstance(v, str) and v.strip()}
    return out or None


def matches(place, text, fold):
    """Whether `text` names the place in any of its names (`fold` makes two spellings comparable)."""
    found = of(place)
    wanted = fold(text)
    return any(fold(n) == wanted for n in (found.name, *found.names.values()) if n)
