// h(tag, attrs, ...children): the only DOM builder. No inline styles, no on* attributes in markup.
export function h(tag, attrs, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs || {})) {
    if (value === null || value === undefined || value === false) continue;
    if (key.startsWith('on') && typeof value === 'function') el.addEventListener(key.slice(2).toLowerCase(), value);
    else if (key === 'class') el.className = Array.isArray(value) ? value.filter(Boolean).join(' ') : value;
    else if (key === 'dataset') Object.assign(el.dataset, value);
    else if (key === 'testid') el.dataset.testid = value;
    else if (key in el && typeof value !== 'string') el[key] = value;
    else el.setAttribute(key, value === true ? '' : value);
  }
  append(el, children);
  return el;
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
