// A few DOM helpers. Everything is built with createElement and textContent, never innerHTML,
// so names and messages from the API cannot inject markup.

/** h('td', {class: 'x'}, 'text', child...) */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k.startsWith('on') && typeof v === 'function') el.addEventListener(k.slice(2), v);
    else if (k === 'dataset') Object.assign(el.dataset, v);
    else el.setAttribute(k, v === true ? '' : String(v));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const c of children.flat(Infinity)) {
    if (c === undefined || c === null || c === false) continue;
    el.append(c instanceof Node ? c : document.createTextNode(String(c)));
  }
}

export function replace(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

const TONES = {
  ACTIVE: 'ok',
  UP: 'ok',
  DOWN: 'bad',
  ERROR: 'bad',
  FAILED: 'bad',
  PENDING_CREATE: 'wait',
  PENDING_UPDATE: 'wait',
  PENDING_DELETE: 'wait',
  PENDING: 'wait',
  FREEZED: 'muted',
};

/** A status badge: colour and an icon-like dot, with the word itself for screen readers too. */
export function badge(status) {
  const s = String(status ?? 'UNKNOWN');
  return h('span', { class: `badge badge-${TONES[s.toUpperCase()] ?? 'muted'}`, dataset: { status: s } }, s);
}

export function when(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString(undefined, { dateStyle: 'medium', timeStyle: 'medium' });
}

export function shortId(id) {
  return h('code', { class: 'id', title: id }, String(id).slice(0, 8));
}

export function table(caption, headers, rows, empty) {
  if (rows.length === 0) return h('p', { class: 'empty' }, empty);
  return h(
    'div',
    { class: 'table-wrap' },
    h(
      'table',
      {},
      h('caption', { class: 'visually-hidden' }, caption),
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          headers.map((t) => h('th', { scope: 'col' }, t)),
        ),
      ),
      h('tbody', {}, rows),
    ),
  );
}

/** A labelled form field; every input has a visible label tied to it. */
let fieldCount = 0;
export function field(label, input, hint) {
  const id = `f${++fieldCount}`;
  input.id = id;
  const hintId = hint ? `${id}-hint` : undefined;
  if (hintId) input.setAttribute('aria-describedby', hintId);
  return h('div', { class: 'field' }, h('label', { for: id }, label), input, hint && h('small', { id: hintId, class: 'hint' }, hint));
}

export function section(title, ...children) {
  return h('section', { class: 'card', 'aria-label': title }, h('h2', {}, title), children);
}

/** Shows a message in the page's live region (read out by screen readers). */
export function notify(text, tone = 'info') {
  const region = document.getElementById('toast');
  region.className = `toast toast-${tone}`;
  region.textContent = text;
  region.hidden = false;
  clearTimeout(notify.timer);
  notify.timer = setTimeout(() => (region.hidden = true), tone === 'error' ? 10000 : 4000);
}
