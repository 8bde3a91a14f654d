"""Messages from the rules: English text that keeps its template and values, so the API can show it in
the reader's language (Babel extracts `Msg("...")`; see backend/i18n.translate)."""


class Msg(str):
    def __new__(cls, template, **params):
        obj = super().__new__(cls, template % params if params else template)
        obj.template = template
        obj.params = params
        return obj


class PluralMsg(Msg):
    """A message whose text depends on a count (`num`): translated with the locale's plural forms."""

    def __new__(cls, singular, plural, num, **params):
        params = {"num": num, **params}
        obj = str.__new__(cls, (singular if num == 1 else plural) % params)
        obj.template = singular if num == 1 else plural
        obj.params = params
        obj.plural = (singular, plural, num)
        return obj


def ngettext(singular, plural, num, **params):
    """A PluralMsg (named so that Babel extracts both forms)."""
    return PluralMsg(singular, plural, num, **params)


def joined(separator, messages):
    """Messages as one, each translated on its own (e.g. a list of reasons)."""
    messages = list(messages)
    if not messages:
        return ""
    return Msg(separator.join(f"%(m{i})s" for i in range(len(messages))),
               **{f"m{i}": message for i, message in enumerate(messages)})
