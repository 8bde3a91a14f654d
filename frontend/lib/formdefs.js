// A form definition (/forms/<id>.json): fetched once, and its questions. Apart from lib/forms.js (the validation and
// scoring engine, which re-exports these) because the nurse's app needs only this: it shows assessments and the
// server's refusals; forms are filled in views/assess.js and views/family.js.
const definitions = new Map();
/** /forms/<id>.json, fetched once (the service worker caches it). */
export function loadDefinition(id) {
  if (!definitions.has(id)) {
    definitions.set(id, fetch(`/forms/${id}.json`).then((r) => {
      if (!r.ok) throw new Error(`form ${id}: ${r.status}`);
      return r.json();
    }).catch((err) => {
      definitions.delete(id);
      throw err;
    }));
  }
  return definitions.get(id);
}

export function questions(definition) {
  return definition.sections.flatMap((section) => section.questions);
}
