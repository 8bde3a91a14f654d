// An entry's fields as the tablet makes and sends them: the one definition on the tablet's side
// (backend/domain/entry_fields.py is the server's; tests/domain/test_entry_fields.py keeps the two equal). The
// order is the signature's: the signed fields, in this order, are the canonical text an entry's signature covers
// (lib/signing.js) -- reordering them breaks every signature.

/** name; required: the server refuses an entry without it; signed: the signature covers it. */
export const FIELDS = [
  {name: 'id', required: true, signed: true},  // a UUID made here (lib/uuid.js)
  {name: 'kind', required: true, signed: true},  // tick, vitals, note, condition, assessment, attendance
  {name: 'resident_id', required: true, signed: true},
  {name: 'item_id', required: false, signed: true},  // the care card item ticked
  {name: 'day', required: true, signed: true},  // the care day, YYYY-MM-DD
  {name: 'slot', required: false, signed: true},
  {name: 'status', required: false, signed: true},
  {name: 'reason', required: false, signed: true},
  {name: 'note', required: false, signed: true},
  {name: 'values', required: false, signed: true},  // measurements or answers: a flat object
  {name: 'category', required: false, signed: true},  // a note's category, an assessment's form, an activity
  {name: 'supersedes', required: false, signed: true},  // the id of the entry this one corrects
  {name: 'author_id', required: true, signed: true},
  {name: 'device_id', required: true, signed: true},
  {name: 'client_seq', required: true, signed: true},  // its number on this tablet
  {name: 'device_time', required: true, signed: true},  // this tablet's clock, with its UTC offset
  {name: 'key_id', required: false, signed: false},  // the author's signing key on this tablet
  {name: 'sig', required: false, signed: false},  // the signature (lib/signing.js sign)
];

/** What the tablet sends of an entry (a push's entries carry these and nothing else). */
export const SENT = FIELDS.map((f) => f.name);
/** What an entry must have. */
export const REQUIRED = FIELDS.filter((f) => f.required).map((f) => f.name);
/** What an entry's signature covers, in the canonical text's order. */
export const SIGNED = FIELDS.filter((f) => f.signed).map((f) => f.name);
