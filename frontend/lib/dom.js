// h(tag, attrs, ...children): the only DOM builder. No inline styles, no on* attributes in markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key === 'ontap' && typeof value === 'function') onTap(el, value);
    else if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'testid') el.dataset.testid = value;
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
}

// How far a finger may move, and how long it may rest, and still tap (Chromium's own tap allows about 15 px; a longer
// press is a long press there, not a click).
const TAP_SLOP = 12;
const TAP_LONGEST = 700;

/** Act on a button when the finger lifts from it, not on the click the browser makes of the lift (a frame later on
 * a slow tablet); a mouse, the keyboard and assistive technology act by the click. Why and how: docs/frontend.md. */
export function onTap(el, fn) {
  let down = null;       // the touch that went down on el
  let tapped = null;     // when the lift acted: the click it makes is not a second tap
  el.addEventListener('pointerdown', (event) => {
    down = event.pointerType !== 'mouse' && event.isPrimary
      ? {id: event.pointerId, x: event.clientX, y: event.clientY, at: event.timeStamp} : null;
  });
  el.addEventListener('pointercancel', () => { down = null; });
  el.addEventListener('pointerup', (event) => {
    const d = down;
    down = null;
    if (!d || d.id !== event.pointerId || el.disabled) return;
    if (Math.hypot(event.clientX - d.x, event.clientY - d.y) > TAP_SLOP || event.timeStamp - d.at > TAP_LONGEST) return;
    tapped = event.timeStamp;
    fn(event);
  });
  // Dispatched right after the lift's pointerup: cancelling it stops the click the browser would make of the tap.
  el.addEventListener('touchend', (event) => {
    if (tapped !== null && event.cancelable) {
      event.preventDefault();
      tapped = null;
    }
  });
  el.addEventListener('click', (event) => {
    const lift = tapped;
    tapped = null;
    // Its touchend could not be cancelled: the click that follows the lift is the lift's, which acted already.
    if (lift !== null && event.timeStamp - lift < 1000) return;
    fn(event);
  });
}

function append(el, children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** Replace an element's content. */
export function mount(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

/**
 * Make el's children exactly `nodes`, in order, leaving in place those already there: a node taken out and put
 * back is styled, laid out and painted again, which on a slow tablet is most of the cost of a redraw.
 */
export function reconcile(el, nodes) {
  const keep = new Set(nodes);
  for (const child of [...el.childNodes]) if (!keep.has(child)) child.remove();
  let at = el.firstChild;
  for (const node of nodes) {
    if (node === at) at = at.nextSibling;
    else el.insertBefore(node, at);
  }
  return el;
}

/** A decorative icon (text + icon: colour is never the only signal). */
export const icon = (glyph) => h('span', {class: 'icon', 'aria-hidden': 'true'}, glyph);
