"""Messages from the rules: English text that keeps its template and values, so the API can show it in
the reader's language (Babel extracts `Msg("...")`; see backend/i18n.translate)."""


class Msg(str):
    def __new__(cls, template, **params):
        obj = super().__new__(cls, template % params if params else template)
        obj.template = template
        obj.params = params
        return obj
