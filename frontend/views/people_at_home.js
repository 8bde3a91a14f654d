// #/people and #/people/<id>: the station head's people at home and the centre's service catalogue (issue 18,
// section 3: the dispatcher's people, contracts, catalogue and the printed service sheet, 一本清). The list of her
// station's people with a search; a person's details (the API's field errors beside their fields), a new home code
// (shown once), her service sheet printed (the language, and her code to print as a QR code), her contracts (a new
// one, ending one) and the month's care card made from them; the catalogue's prices, standard minutes and whether a
// service is offered. Online only; every date and time is the home's (the calendar days as they are, instants in the
// home's zone: lib/i18n.js).
//
// data-testid: people-error, people-unit, people-tab-<people|catalogue>, people-body; the list: people-search,
//   people-count, person-row-<id> (data-contract 'yes'|'no'); the catalogue: service-<id> (data-active),
//   service-price-<id>, service-edit-<id>, dialog-service (service-price, service-minutes, service-active);
//   a person: person-back, person-error, person-address, person-phone, person-lat, person-lon, person-radius,
//   person-eligibility, person-care-level, person-family-bed, person-lives-alone, person-save, person-has-code,
//   person-new-code, person-print; the new code: home-code (home-code-value, home-code-print, home-code-done);
//   the sheet: dialog-sheet (sheet-lang-<ru|zh_Hans|en>, sheet-code), sheet-ready (sheet-open: the PDF);
//   contracts: contract-new, contract-card, card-result, contract-<id> (data-in-force), contract-end-<id>,
//   dialog-contract (contract-starts, contract-ends, contract-funding, contract-subsidy, contract-intent,
//   contract-assessment, contract-agreement, contract-risk, contract-add-item, contract-item-<n> with
//   item-service-<n>, item-kind-<n>, item-times-<n>, item-dow-<n>-<1..7>, item-remove-<n>),
//   dialog-contract-end (contract-end-day), dialog-card (card-month-<this|next>, card-publish).
//   Error lines: #<input id>-msg (the API's field: address, phone, lat, lon, radius_m, ..., code, starts_on,
//   items.<n>.schedule.times, price, ...).
import {api, withQuery} from '../lib/api.js';
import {dateInput} from '../lib/dateinput.js';
import {h, icon, mount} from '../lib/dom.js';
import {checkGroup, clearErrors, field, problem, selectInput, sent, setError, showFieldErrors, textInput}
  from '../lib/fields.js';
import {LANGUAGE_NAMES, LOCALES, format, formatDate, formatDateTime, formatMonth, gettext, locale, ngettext}
  from '../lib/i18n.js';
import {table} from '../lib/labels.js';
import {addMonths} from '../lib/monthselect.js';
import {scheduleText, weekdayName} from '../lib/periodicity.js';
import {today} from '../lib/session.js';
import {choiceGroup, confirmDialog, openDialog, toast} from './dialogs.js';

const TABS = ['people', 'catalogue'];
const chosen = {unit: null, tab: 'people', search: ''};

// backend/domain/homecare_codes.py
const ELIGIBILITY = ['tekun', 'dibao', 'low_income', 'general'];
const CARE_LEVELS = ['self_care', 'semi', 'full'];
const FUNDING = ['government', 'ltc_insurance', 'self_pay', 'mixed'];
/** The schedules a contract's service is given here (a card's other kinds are set on the card). */
const ITEM_KINDS = ['times', 'as_needed'];
const PAPERS = [['intent_signed_on', 'contract-intent'], ['assessment_signed_on', 'contract-assessment'],
  ['agreement_signed_on', 'contract-agreement'], ['risk_notice_signed_on', 'contract-risk']];

const eligibilityLabel = table(() => ({tekun: gettext('Extreme-poverty support'),
  dibao: gettext('Minimum living allowance'), low_income: gettext('Low income'), general: gettext('General')}));
const careLevelLabel = table(() => ({self_care: gettext('Self-caring'), semi: gettext('Semi-self-caring'),
  full: gettext('Fully dependent')}));
const fundingLabel = table(() => ({government: gettext('Government-funded'),
  ltc_insurance: gettext('Long-term care insurance'), self_pay: gettext('Self-paid'),
  mixed: gettext('Mixed funding')}));
const perUnitLabel = table(() => ({visit: gettext('per visit'), hour: gettext('per hour'), meal: gettext('per meal'),
  day: gettext('per day'), month: gettext('per month')}));
const paperLabel = table(() => ({intent_signed_on: gettext('Letter of intent signed on'),
  assessment_signed_on: gettext('Assessment signed on'), agreement_signed_on: gettext('Agreement signed on'),
  risk_notice_signed_on: gettext('Risk notice signed on')}));
const tabLabel = table(() => ({people: gettext('People at home'), catalogue: gettext('Service catalogue')}));

/** A catalogue service's name in the reader's language, else in the first language that has one. */
const serviceName = (s) => {
  const names = (s && s.names) || {};
  return names[locale()] || names.en || names.ru || names.zh_Hans || (s && s.item) || '?';
};
const priceText = (s) => [s.price, ' ', perUnitLabel(s.unit)];
const day = (iso) => (iso ? formatDate(String(iso)) : '—');
const kv = (label, value, testid) => h('div', {class: 'kv'}, h('dt', {}, label), h('dd', {testid}, value));

export async function render(main, params) {
  const personId = params && params[0] ? Number(params[0]) : null;
  if (personId) return personView(main, personId);
  return listView(main);
}

// --- the list and the catalogue ------------------------------------------------------------------------------

async function listView(main) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'people-error'});
  const section = h('section', {class: 'panel stack'}, h('h1', {}, gettext('People at home')), error);
  main.append(section);
  let units;
  try {
    units = await api.get('/api/units');
  } catch (err) {
    error.textContent = problem(err);
    error.hidden = false;
    return;
  }
  if (!units.some((u) => u.id === chosen.unit)) chosen.unit = units.length ? units[0].id : null;
  const unit = selectInput('people-unit', units.map((u) => [u.id, u.name]), chosen.unit);
  unit.addEventListener('change', () => { chosen.unit = Number(unit.value); draw(); });
  const body = h('div', {testid: 'people-body'});
  const tabs = h('div', {class: 'lang-picker dispatch-tabs', role: 'group', 'aria-label': gettext('People at home')},
    TABS.map((tab) => h('button', {type: 'button', class: 'choice', testid: `people-tab-${tab}`,
      'aria-pressed': String(tab === chosen.tab), onclick: () => { chosen.tab = tab; draw(); }}, tabLabel(tab))));
  section.append(h('div', {class: 'toolbar'}, units.length > 1 ? field({}, 'unit', gettext('Station'), unit)
    : h('p', {class: 'dispatch-station'}, h('strong', {}, units[0] ? units[0].name : ''))), tabs, body);

  let asked = 0;
  async function draw() {
    const mine = ++asked;
    for (const b of tabs.children) {
      b.setAttribute('aria-pressed', String(b.dataset.testid === `people-tab-${chosen.tab}`));
    }
    try {
      const drawn = chosen.tab === 'catalogue' ? await catalogueView(() => draw()) : await peopleList(chosen.unit);
      if (mine !== asked) return;
      mount(body, drawn);
      error.hidden = true;
    } catch (err) {
      if (mine !== asked) return;
      error.textContent = problem(err);
      error.hidden = false;
    }
  }
  await draw();
}

async function peopleList(unitId) {
  if (unitId === null) return h('p', {class: 'empty'}, gettext('No people at home in this station.'));
  const people = await api.get(withQuery('/api/homecare/people', {unit_id: unitId}));
  const search = h('input', {id: 'people-search', class: 'input', type: 'search', testid: 'people-search',
    autocomplete: 'off', value: chosen.search});
  const count = h('p', {class: 'hint', testid: 'people-count', role: 'status'});
  const list = h('ul', {class: 'people-list'});
  const rows = people.map((p) => [personText(p), personRow(p)]);
  const filter = () => {
    chosen.search = search.value;
    const words = search.value.trim().toLowerCase().split(/\s+/).filter(Boolean);
    const shown = rows.filter(([text]) => words.every((w) => text.includes(w))).map(([, row]) => row);
    mount(list, shown);
    count.textContent = format(gettext('%(shown)s of %(all)s shown.'), {shown: shown.length, all: rows.length});
  };
  search.addEventListener('input', filter);
  filter();
  return [field({}, 'search', gettext('Search by name, address or phone'), search), count,
    people.length ? list : h('p', {class: 'empty'}, gettext('No people at home in this station.'))];
}

const personText = (p) => [p.full_name, p.address, p.phone].filter(Boolean).join(' ').toLowerCase();

function personTags(p) {
  return [
    p.family_bed_since ? h('span', {class: 'tag'}, icon('▭'), ' ',
      format(gettext('family care bed since %(date)s'), {date: day(p.family_bed_since)})) : null,
    p.eligibility ? h('span', {class: 'tag'}, eligibilityLabel(p.eligibility)) : null,
    p.care_level ? h('span', {class: 'tag'}, careLevelLabel(p.care_level)) : null,
    p.lives_alone ? h('span', {class: 'tag tag-warn'}, icon('⌂'), ' ', gettext('lives alone')) : null,
    p.active === false ? h('span', {class: 'tag tag-away'}, gettext('no longer served')) : null,
    p.contract ? h('span', {class: 'tag'}, icon('✓'), ' ', gettext('contract in force'))
      : h('span', {class: 'tag tag-warn'}, icon('⚠'), ' ', gettext('no contract in force'))];
}

function personRow(p) {
  return h('li', {}, h('a', {class: 'person', href: `#/people/${p.id}`, testid: `person-row-${p.id}`,
    dataset: {contract: p.contract ? 'yes' : 'no'}},
  h('span', {class: 'person-who'}, h('span', {class: 'person-name'}, p.full_name),
    h('span', {class: 'person-role'}, [p.address, p.phone].filter(Boolean).join(' · ') || '—'),
    h('span', {class: 'tags'}, personTags(p))),
  h('span', {'aria-hidden': 'true'}, '›')));
}

async function catalogueView(reload) {
  const services = await api.get('/api/homecare/catalogue');
  return [h('p', {class: 'hint'}, gettext('The catalogue is the whole centre\'s: a change applies to every station. Contracts keep their services; a service taken out can no longer be added to one.')),
  services.length ? h('ul', {class: 'record-list'}, services.map((s) => h('li', {class: 'record act-item'
    + (s.active ? '' : ' is-inactive'), testid: `service-${s.id}`, dataset: {active: String(s.active)}},
  h('div', {}, h('strong', {}, serviceName(s)),
    h('p', {}, h('span', {testid: `service-price-${s.id}`}, priceText(s)),
      s.standard_minutes ? [' · ', format(gettext('%(n)s min'), {n: s.standard_minutes})] : null),
    s.active ? null : h('p', {}, h('span', {class: 'tag tag-away'}, gettext('not offered')))),
  h('button', {type: 'button', class: 'btn btn-small', testid: `service-edit-${s.id}`,
    'aria-label': format(gettext('Change %(service)s'), {service: serviceName(s)}),
    onclick: async () => { if (await serviceDialog(s)) reload(); }}, gettext('Change')))))
    : h('p', {class: 'empty'}, gettext('The catalogue is empty.'))];
}

function serviceDialog(s) {
  return openDialog({title: serviceName(s), testid: 'dialog-service', build: () => {
    const msgs = {};
    const price = textInput('service-price', {inputmode: 'decimal', maxlength: 20, value: s.price});
    const minutes = textInput('service-minutes', {inputmode: 'numeric', maxlength: 4,
      value: s.standard_minutes ?? ''});
    const active = h('input', {type: 'checkbox', id: 'service-active', testid: 'service-active', checked: s.active});
    return {body: [
      field(msgs, 'price', format(gettext('Price (%(unit)s)'), {unit: perUnitLabel(s.unit)}), price,
        gettext('An amount with at most two decimal places: 40 or 40.50.')),
      field(msgs, 'standard_minutes', gettext('Standard minutes'), minutes,
        gettext('Leave it empty for a service that is not a timed visit.')),
      h('label', {class: 'check'}, active, gettext('Offered (untick to take it out of the catalogue)'))],
    onSave: async () => {
      clearErrors(msgs);
      const body = {};
      const typed = price.value.trim().replace(',', '.');
      if (typed !== s.price) body.price = typed;
      const mins = minutes.value.trim();
      if (mins && !/^\d+$/.test(mins)) {
        setError(msgs, 'standard_minutes', gettext('Enter a whole number.'));
        return false;
      }
      const newMinutes = mins ? Number(mins) : null;
      if (newMinutes !== (s.standard_minutes ?? null)) body.standard_minutes = newMinutes;
      if (active.checked !== s.active) body.active = active.checked;
      if (!Object.keys(body).length) return true;
      if (!(await sent(msgs, () => api.patch(`/api/homecare/catalogue/${s.id}`, body)))) return false;
      toast(gettext('The service is saved.'));
      return true;
    }};
  }});
}

// --- a person ------------------------------------------------------------------------------------------------

async function personView(main, personId) {
  const error = h('p', {class: 'form-error', role: 'alert', hidden: true, testid: 'person-error'});
  const back = h('a', {href: '#/people', class: 'back-link', testid: 'person-back'}, icon('←'), ' ',
    gettext('People at home'));
  const section = h('section', {class: 'panel stack'}, back);
  main.append(section);
  const fail = (err) => { error.textContent = problem(err); error.hidden = false; };
  let person;
  let contracts;
  try {
    [person, contracts] = await Promise.all([api.get(`/api/homecare/people/${personId}`),
      api.get(`/api/homecare/people/${personId}/contracts`)]);
  } catch (err) {
    section.append(h('h1', {}, gettext('Person')), error);
    fail(err);
    return;
  }
  const tags = h('p', {class: 'tags'});
  const codeState = h('p', {testid: 'person-has-code'});
  const secretSlot = h('div', {});
  const sheetSlot = h('div', {});
  const cardResult = h('div', {testid: 'card-result', role: 'status'});
  const contractList = h('div', {});
  let sheetUrl = null;

  const drawPerson = () => {
    mount(tags, personTags(person));
    mount(codeState, person.has_home_code
      ? [icon('✓'), ' ',
        gettext('She has a home code. It is not kept: only the station\'s printed sheet or she herself knows it.')]
      : [icon('⚠'), ' ', gettext('She has no home code yet.')]);
  };
  const drawContracts = () => mount(contractList, contracts.length
    ? h('ul', {class: 'record-list'}, contracts.map((c) => contractRow(c, person, () => reload())))
    : h('p', {class: 'empty'}, gettext('No contracts yet.')));
  async function reload() {
    try {
      [person, contracts] = await Promise.all([api.get(`/api/homecare/people/${personId}`),
        api.get(`/api/homecare/people/${personId}/contracts`)]);
    } catch (err) {
      fail(err);
      return;
    }
    drawPerson();
    drawContracts();
  }

  /** The sheet is ready: a download starts, and a link opens it to print. */
  const sheetReady = (blob) => {
    if (sheetUrl) URL.revokeObjectURL(sheetUrl);
    sheetUrl = URL.createObjectURL(blob);
    const name = `service-sheet-${personId}.pdf`;
    const save = h('a', {href: sheetUrl, download: name, hidden: true});
    document.body.append(save);
    save.click();
    save.remove();
    mount(sheetSlot, h('div', {class: 'notice', role: 'status', testid: 'sheet-ready'},
      h('p', {}, icon('✓'), ' ', gettext('Her service sheet is ready. Open it to print it.')),
      h('div', {class: 'button-row'}, h('a', {class: 'btn btn-primary', href: sheetUrl, target: '_blank',
        rel: 'noopener', testid: 'sheet-open'}, gettext('Open the service sheet (PDF)')))));
  };
  const print = async (code = '') => {
    const blob = await sheetDialog(person, code);
    if (blob) sheetReady(blob);
  };

  const newCode = async () => {
    const why = gettext('Her old code stops working: a carer who types it is flagged until her phone has the new one. The new code is shown once, here.');
    const ok = await confirmDialog(gettext('A new home code?'), why, gettext('Make a new code'));
    if (!ok) return;
    let made;
    try {
      made = await api.post(`/api/homecare/people/${personId}/home-code`, {});
    } catch (err) {
      fail(err);
      return;
    }
    person.has_home_code = true;
    drawPerson();
    const box = h('div', {class: 'notice notice-warn secret', role: 'status', testid: 'home-code', tabindex: -1},
      h('h2', {class: 'secret-title'}, gettext('Her new home code')),
      h('p', {class: 'secret-code', testid: 'home-code-value', lang: 'en'}, made.code),
      h('p', {}, icon('⚠'), ' ', gettext('It is shown only now: only a trace of it is kept, never the code. Print her service sheet now, with the code on it, and give it to her.')),
      h('div', {class: 'button-row'},
        h('button', {type: 'button', class: 'btn btn-primary', testid: 'home-code-print',
          onclick: () => print(made.code)}, gettext('Print the service sheet with this code')),
        h('button', {type: 'button', class: 'btn', testid: 'home-code-done', onclick: () => {
          made = null;
          mount(secretSlot);
        }}, gettext('Done, the sheet is printed'))));
    mount(secretSlot, box);
    box.scrollIntoView({block: 'nearest'});
    box.focus({preventScroll: true});
  };

  section.append(h('h1', {}, person.full_name), tags, error,
    h('h2', {class: 'section-title'}, gettext('Her details')), detailsForm(person, (saved) => {
      person = saved;
      drawPerson();
    }),
    h('h2', {class: 'section-title'}, gettext('Home code and service sheet')), codeState,
    h('div', {class: 'button-row'},
      h('button', {type: 'button', class: 'btn', testid: 'person-new-code', onclick: newCode},
        gettext('New home code')),
      h('button', {type: 'button', class: 'btn', testid: 'person-print', onclick: () => print()},
        gettext('Print the service sheet'))),
    secretSlot, sheetSlot,
    h('h2', {class: 'section-title'}, gettext('Contracts')),
    h('div', {class: 'button-row'},
      h('button', {type: 'button', class: 'btn', testid: 'contract-new', onclick: async () => {
        if (await contractDialog(person, contracts)) await reload();
      }}, icon('+'), ' ', gettext('New contract')),
      h('button', {type: 'button', class: 'btn', testid: 'contract-card', onclick: async () => {
        const card = await cardDialog(person);
        if (card) mount(cardResult, cardText(card));
      }}, gettext('Make this month\'s card from the contract'))),
    cardResult, contractList);
  drawPerson();
  drawContracts();
  return () => { if (sheetUrl) URL.revokeObjectURL(sheetUrl); };
}

/** Her details: what the API names a field for is shown beside it. */
function detailsForm(person, saved) {
  const msgs = {};
  const address = textInput('person-address', {maxlength: 500, value: person.address || ''});
  const phone = textInput('person-phone', {type: 'tel', maxlength: 40, value: person.phone || ''});
  const lat = textInput('person-lat', {inputmode: 'decimal', value: person.lat ?? ''});
  const lon = textInput('person-lon', {inputmode: 'decimal', value: person.lon ?? ''});
  const radius = textInput('person-radius', {inputmode: 'numeric', maxlength: 5, value: person.radius_m ?? ''});
  const eligibility = selectInput('person-eligibility', [[null, gettext('Not given')],
    ...ELIGIBILITY.map((c) => [c, eligibilityLabel(c)])], person.eligibility);
  const careLevel = selectInput('person-care-level', [[null, gettext('Not given')],
    ...CARE_LEVELS.map((c) => [c, careLevelLabel(c)])], person.care_level);
  const familyBed = dateInput({id: 'person-family-bed', testid: 'person-family-bed',
    value: person.family_bed_since || ''});
  const alone = h('input', {type: 'checkbox', id: 'person-lives-alone', testid: 'person-lives-alone',
    checked: !!person.lives_alone});
  const status = h('p', {class: 'hint', role: 'status'});
  const number = (input, name) => {
    const text = input.value.trim().replace(',', '.');
    if (!text) return null;
    if (!/^-?\d+(\.\d+)?$/.test(text)) {
      setError(msgs, name, gettext('Enter a number.'));
      return undefined;
    }
    return Number(text);
  };
  const save = async (event) => {
    event.preventDefault();
    clearErrors(msgs);
    status.textContent = '';
    const body = {address: address.value.trim() || null, phone: phone.value.trim() || null,
      lat: number(lat, 'lat'), lon: number(lon, 'lon'), radius_m: number(radius, 'radius_m'),
      lives_alone: alone.checked, eligibility: eligibility.value || null, care_level: careLevel.value || null,
      family_bed_since: familyBed.value || null};
    if ([body.lat, body.lon, body.radius_m].includes(undefined)) return;
    if (body.radius_m === null) delete body.radius_m;  // the radius is always set: empty keeps it
    try {
      const reply = await api.patch(`/api/homecare/people/${person.id}`, body);
      status.textContent = gettext('Her details are saved.');
      toast(gettext('Her details are saved.'));
      saved(reply);
    } catch (err) {
      if (!showFieldErrors(err, msgs)) status.textContent = problem(err);
    }
  };
  return h('form', {novalidate: true, onsubmit: save, testid: 'person-details'},
    h('div', {class: 'form-grid'},
      field(msgs, 'address', gettext('Address'), address), field(msgs, 'phone', gettext('Phone'), phone),
      field(msgs, 'lat', gettext('Latitude'), lat, gettext('Degrees, as a map gives them: 40.8420')),
      field(msgs, 'lon', gettext('Longitude'), lon, gettext('Degrees, as a map gives them: 111.6870')),
      field(msgs, 'radius_m', gettext('Radius (metres)'), radius,
        gettext('A carer\'s location farther from her home than this is flagged.')),
      field(msgs, 'eligibility', gettext('Eligibility'), eligibility),
      field(msgs, 'care_level', gettext('Care level'), careLevel),
      field(msgs, 'family_bed_since', gettext('Family care bed since'), familyBed,
        gettext('Empty: no family care bed.'))),
    h('label', {class: 'check'}, alone, gettext('She lives alone')),
    h('div', {class: 'button-row'}, h('button', {type: 'submit', class: 'btn btn-primary', testid: 'person-save'},
      gettext('Save her details'))), status);
}

/** The service sheet's dialog: the language (her home's unless chosen) and, optional, her code to print. Resolves
 * with the PDF (a Blob) or null. */
function sheetDialog(person, code) {
  return openDialog({title: format(gettext('Service sheet: %(name)s'), {name: person.full_name}),
    testid: 'dialog-sheet', saveLabel: gettext('Print'), build: () => {
      const msgs = {};
      const lang = choiceGroup({label: gettext('Language of the sheet'), options: LOCALES,
        labelOf: (c) => LANGUAGE_NAMES[c], testPrefix: 'sheet-lang',
        value: LOCALES.includes(person.lang) ? person.lang : locale()});
      for (const b of lang.el.querySelectorAll('button')) b.lang = b.dataset.code.replace('_', '-');
      const input = textInput('sheet-code', {inputmode: 'numeric', maxlength: 20, value: code || ''});
      return {body: [h('p', {class: 'label'}, gettext('Language of the sheet')), lang.el,
        field(msgs, 'code', gettext('Her home code (optional)'), input,
          gettext('Type the code to print it as a QR code. Without it, the sheet tells her to ask the station.'))],
      onSave: async () => {
        clearErrors(msgs);
        const typed = input.value.trim();
        try {
          return await api.postForFile(`/api/homecare/people/${person.id}/sheet.pdf`,
            {lang: lang.get(), code: typed || null});
        } catch (err) {
          if (!showFieldErrors(err, msgs)) throw new Error(problem(err));
          return false;
        }
      }};
    }});
}

// --- contracts -----------------------------------------------------------------------------------------------

function contractRow(c, person, reload) {
  const now = today();
  const inForce = !!(person.contract && person.contract.id === c.id);
  const running = !c.ends_on || c.ends_on > now;  // ended today or before: nothing more to end
  return h('li', {class: 'record', testid: `contract-${c.id}`, dataset: {inForce: String(inForce)}},
    h('p', {}, h('strong', {}, format(gettext('From %(start)s to %(end)s'), {start: day(c.starts_on),
      end: c.ends_on ? day(c.ends_on) : gettext('no end date')})), ' ',
    inForce ? h('span', {class: 'tag'}, icon('✓'), ' ', gettext('in force')) : null),
    h('dl', {class: 'kv-list'},
      kv(gettext('Funding'), fundingLabel(c.funding)),
      kv(gettext('Monthly subsidy'), c.monthly_subsidy || '—'),
      PAPERS.map(([key]) => kv(paperLabel(key), day(c[key]))),
      kv(gettext('Services'), c.items.length ? h('ul', {class: 'dispatch-steps'}, c.items.map((i) => h('li', {},
        h('strong', {}, serviceName(i.service)), ' — ', scheduleText(i),
        i.service ? [' · ', priceText(i.service)] : null))) : gettext('none'))),
    h('p', {class: 'hint'}, format(gettext('Entered %(time)s.'), {time: formatDateTime(c.created_at)})),
    running ? h('div', {class: 'button-row'}, h('button', {type: 'button', class: 'btn btn-small btn-warn',
      testid: `contract-end-${c.id}`, onclick: async () => { if (await endDialog(c)) reload(); }},
    c.ends_on ? gettext('Change its last day') : gettext('End the contract'))) : null);
}

function endDialog(c) {
  return openDialog({title: gettext('End the contract'), testid: 'dialog-contract-end',
    saveLabel: gettext('End the contract'), build: () => {
      const msgs = {};
      const last = dateInput({id: 'contract-end-day', testid: 'contract-end-day', value: c.ends_on || today()});
      return {body: [field(msgs, 'ends_on', gettext('Its last day'), last,
        gettext('Her visits and card items stop after this day.'))], onSave: async () => {
        clearErrors(msgs);
        if (!(await sent(msgs, () =>
          api.patch(`/api/homecare/contracts/${c.id}`, {ends_on: last.value || null})))) return false;
        toast(gettext('The contract is ended.'));
        return true;
      }};
    }});
}

/** One service of a new contract: the catalogue's service, when (set times or as needed) and on which days. */
function itemRow(services, n, remove) {
  const msgs = {};
  const service = selectInput(`item-service-${n}`, services.map((s) => [s.id,
    `${serviceName(s)} · ${s.price} ${perUnitLabel(s.unit)}`]), services.length ? services[0].id : null);
  const kind = selectInput(`item-kind-${n}`, ITEM_KINDS.map((k) => [k, k === 'times' ? gettext('At set times')
    : gettext('As needed')]), 'times');
  const times = textInput(`item-times-${n}`, {value: '09:00', maxlength: 100});
  const timesField = field(msgs, 'schedule.times', gettext('Times (the home\'s clock)'), times,
    gettext('HH:MM, several separated by commas: 09:00, 15:00'));
  const days = checkGroup(msgs, 'days_of_week', {testid: `item-dow-${n}`, legend: gettext('Days of the week'),
    hint: gettext('None ticked: every day.'), options: [1, 2, 3, 4, 5, 6, 7].map((d) => [d, weekdayName(d)])});
  kind.addEventListener('change', () => { timesField.hidden = kind.value !== 'times'; });
  const element = h('fieldset', {class: 'plan-item', testid: `contract-item-${n}`},
    h('legend', {class: 'label'}, format(gettext('Service %(n)s'), {n: n + 1})),
    h('div', {class: 'form-grid'}, field(msgs, 'service_item_id', gettext('Service'), service),
      field(msgs, 'schedule_kind', gettext('When'), kind), timesField),
    days.element,
    h('button', {type: 'button', class: 'btn btn-small btn-danger', testid: `item-remove-${n}`, onclick: remove},
      gettext('Remove this service')));
  const value = () => {
    const out = {service_item_id: Number(service.value), schedule_kind: kind.value, schedule: {},
      days_of_week: days.value().map(Number)};
    if (!out.days_of_week.length) out.days_of_week = null;
    if (kind.value === 'times') {
      out.schedule.times = times.value.split(/[,，;\s]+/).filter(Boolean)
        .map((t) => (/^\d:\d\d$/.test(t) ? `0${t}` : t));
    }
    return out;
  };
  return {element, msgs, value};
}

async function contractDialog(person, contracts) {
  const services = await api.get(withQuery('/api/homecare/catalogue', {include_inactive: false}));
  // a new contract starts the day after the one that runs now ends, else today
  const open = contracts.find((c) => !c.ends_on || c.ends_on >= today());
  const start = open && open.ends_on ? nextDay(open.ends_on) : today();
  return openDialog({title: format(gettext('New contract: %(name)s'), {name: person.full_name}),
    testid: 'dialog-contract', saveLabel: gettext('Save the contract'), build: () => {
      const msgs = {};
      const starts = dateInput({id: 'contract-starts', testid: 'contract-starts', value: start});
      const ends = dateInput({id: 'contract-ends', testid: 'contract-ends'});
      const funding = selectInput('contract-funding', FUNDING.map((f) => [f, fundingLabel(f)]), 'government');
      const subsidy = textInput('contract-subsidy', {inputmode: 'decimal', maxlength: 20});
      const papers = PAPERS.map(([key, id]) => [key, dateInput({id, testid: id})]);
      const itemsBox = h('div', {class: 'plan-list'});
      const itemsMsg = h('p', {class: 'field-msg is-error', id: 'contract-items-msg', 'aria-live': 'polite'});
      let rows = [];
      let made = 0;
      const add = () => {
        const row = itemRow(services, made++, () => {
          rows = rows.filter((r) => r !== row);
          row.element.remove();
        });
        rows.push(row);
        itemsBox.append(row.element);
      };
      if (services.length) add();
      return {body: [
        h('div', {class: 'form-grid'},
          field(msgs, 'starts_on', gettext('First day'), starts),
          field(msgs, 'ends_on', gettext('Last day (optional)'), ends, gettext('Empty: until it is ended.')),
          field(msgs, 'funding', gettext('Funding'), funding),
          field(msgs, 'monthly_subsidy', gettext('Monthly subsidy (optional)'), subsidy,
            gettext('An amount with at most two decimal places: 300 or 300.50.')),
          papers.map(([key, input]) => field(msgs, key, paperLabel(key), input))),
        h('h3', {class: 'plan-subtitle'}, gettext('Its services')),
        services.length ? null : h('p', {class: 'notice notice-warn'}, gettext('The catalogue offers no services.')),
        itemsBox, itemsMsg,
        h('button', {type: 'button', class: 'btn btn-small', testid: 'contract-add-item', onclick: add,
          disabled: !services.length}, icon('+'), ' ', gettext('Add a service'))],
      onSave: async () => {
        // the rows' error lines under the names the API gives them now: items.<n>.<field>
        for (const key of Object.keys(msgs)) if (key.startsWith('items.')) delete msgs[key];
        msgs.items = itemsMsg;
        rows.forEach((row, n) => {
          for (const [key, line] of Object.entries(row.msgs)) msgs[`items.${n}.${key}`] = line;
        });
        clearErrors(msgs);
        const body = {starts_on: starts.value, ends_on: ends.value || null, funding: funding.value,
          monthly_subsidy: subsidy.value.trim().replace(',', '.') || null, items: rows.map((r) => r.value())};
        for (const [key, input] of papers) body[key] = input.value || null;
        try {
          await api.post(`/api/homecare/people/${person.id}/contracts`, body);
        } catch (err) {
          showFieldErrors(err, msgs);  // beside the fields, and the reason (one contract at a time) below
          throw new Error(problem(err));
        }
        toast(gettext('The contract is saved.'));
        return true;
      }};
    }});
}

function nextDay(iso) {
  const [y, m, d] = iso.split('-').map(Number);
  return new Date(Date.UTC(y, m - 1, d + 1)).toISOString().slice(0, 10);
}

/** The month's card from her contracts: this month or the next, a draft or published at once. */
function cardDialog(person) {
  const thisMonth = today().slice(0, 7);
  const months = {this: thisMonth, next: addMonths(thisMonth, 1)};  // 'YYYY-MM', the home's calendar
  return openDialog({title: gettext('Make her care card from the contract'), testid: 'dialog-card',
    saveLabel: gettext('Make the card'), build: () => {
      const msgs = {};
      const month = choiceGroup({label: gettext('Month'), options: ['this', 'next'],
        labelOf: (k) => formatMonth(`${months[k]}-01`), testPrefix: 'card-month', value: 'this'});
      msgs.month = h('p', {class: 'field-msg is-error', id: 'card-month-msg', 'aria-live': 'polite'});
      msgs.month.input = month.el.querySelector('button');
      const publish = h('input', {type: 'checkbox', id: 'card-publish', testid: 'card-publish'});
      return {body: [h('p', {class: 'label'}, gettext('Month')), month.el, msgs.month,
        h('p', {class: 'hint'}, gettext('The card gets her contract\'s services with their schedules. Services added to a draft card by hand stay; a published card is changed on the card itself.')),
        h('label', {class: 'check'}, publish, gettext('Publish it now: the carers\' phones get it at their next sync'))],
      onSave: async () => {
        clearErrors(msgs);
        const chosenMonth = months[month.get()];
        try {
          const card = await api.post(`/api/homecare/people/${person.id}/card`, {month: chosenMonth,
            publish: publish.checked});
          return {...card, monthText: formatMonth(`${chosenMonth}-01`)};
        } catch (err) {
          showFieldErrors(err, msgs);
          throw new Error(problem(err));
        }
      }};
    }});
}

function cardText(card) {
  const services = (card.items || []).filter((i) => i.service_item_id).length;  // a draft's ended items are gone
  return h('p', {class: 'notice', dataset: {status: card.status, items: String(services)}},
    icon('✓'), ' ', card.status === 'draft'
      ? format(gettext('Her care card for %(month)s is made, as a draft.'), {month: card.monthText})
      : format(gettext('Her care card for %(month)s is made and published.'), {month: card.monthText}), ' ',
    format(ngettext('%(n)s service from the contract.', '%(n)s services from the contract.', services),
      {n: services}));
}
