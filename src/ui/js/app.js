// The console's shell: sign-in, navigation by URL hash, the live event stream feeding the page
// on screen. Each view is a function (container, params) that may return an event handler.
import { ApiError, api } from './api.js';
import { h, notify, replace } from './dom.js';
import { follow } from './live.js';
import { restore, session, signIn, signOut } from './session.js';
import { connectionDetail } from './views/connection-detail.js';
import { connectionsView } from './views/connections.js';
import { customerGatewaysView } from './views/customer-gateways.js';
import { gatewaysView } from './views/gateways.js';

const main = document.getElementById('main');
let stopLive = null;
let onEvent = null;
let wasLive = false;

const ROUTES = [
  [/^#\/connections\/([^/]+)$/, connectionDetail, 'connections'],
  [/^#\/gateways$/, gatewaysView, 'gateways'],
  [/^#\/customer-gateways$/, customerGatewaysView, 'customer-gateways'],
  [/^(#\/connections)?$/, connectionsView, 'connections'],
];

async function show() {
  if (!session()) return showSignIn();
  const hash = location.hash === '#/' || location.hash === '#' ? '' : location.hash;
  const [pattern, view, nav] = ROUTES.find(([p]) => p.test(hash)) ?? ROUTES[ROUTES.length - 1];
  const params = pattern.exec(hash)?.slice(1).map(decodeURIComponent) ?? [];
  for (const a of document.querySelectorAll('[data-nav]')) {
    if (a.dataset.nav === nav) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  onEvent = null;
  try {
    onEvent = (await view(main, ...params)) ?? null;
  } catch (err) {
    if (err instanceof ApiError && (err.status === 401 || err.status === 403) && err.code !== 'VPN.0003') return leave(err.message);
    replace(main, h('div', { class: 'card error', role: 'alert' }, h('h1', {}, 'Something went wrong'), h('p', {}, err.message)));
  }
}

function setLive(on) {
  const el = document.getElementById('live');
  el.dataset.live = on ? 'on' : 'off';
  el.textContent = on ? 'Live' : 'Reconnecting…';
  // What happened while the stream was down is not replayed: read the page again.
  if (on && wasLive) show();
  wasLive ||= on;
}

function enter() {
  const s = session();
  document.getElementById('project-id').textContent = s.projectId;
  document.getElementById('key-id').textContent = s.accessKeyId;
  document.getElementById('who').hidden = false;
  document.getElementById('nav').hidden = false;
  stopLive = follow((e) => onEvent?.(e), setLive);
  show();
}

async function leave(message) {
  stopLive?.();
  stopLive = null;
  wasLive = false;
  await signOut();
  document.getElementById('who').hidden = true;
  document.getElementById('nav').hidden = true;
  showSignIn(message);
}

function showSignIn(message) {
  const input = (name, type, extra = {}) => h('input', { name, type, required: true, autocomplete: 'off', spellcheck: 'false', ...extra });
  const ak = input('access_key_id', 'text', { autocomplete: 'username' });
  const sk = input('secret_access_key', 'password', { autocomplete: 'off' });
  const project = input('project_id', 'text', { pattern: '[0-9a-fA-F]{32}', title: '32 hexadecimal characters' });
  const error = h('p', { class: 'form-error', role: 'alert' }, message ?? '');
  const label = (text, el) => {
    el.id = `signin-${el.name}`;
    return h('div', { class: 'field' }, h('label', { for: el.id }, text), el);
  };
  const form = h(
    'form',
    { class: 'card signin', 'aria-labelledby': 'signin-title', novalidate: false },
    h('h1', { id: 'signin-title' }, 'Sign in to sitevpn'),
    h(
      'p',
      { class: 'muted' },
      'Requests are signed in this page with your access key (SDK-HMAC-SHA256). The secret key never leaves the browser and is kept only as a non-extractable signing key.',
    ),
    label('Access key ID', ak),
    label('Secret access key', sk),
    label('Project ID', project),
    error,
    h('button', { type: 'submit', class: 'btn btn-primary' }, 'Sign in'),
  );
  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const secret = sk.value;
    // The clear secret leaves the form at once; only the CryptoKey remains.
    sk.value = '';
    error.textContent = '';
    try {
      await signIn({ accessKeyId: ak.value.trim(), secret, projectId: project.value.trim().toLowerCase() });
      await api.gateways();
    } catch (err) {
      await signOut();
      error.textContent = `Sign-in failed: ${err.message}`;
      sk.focus();
      return;
    }
    enter();
  });
  replace(main, form);
  ak.focus();
}

document.getElementById('sign-out').addEventListener('click', () => leave('Signed out.'));
window.addEventListener('hashchange', () => {
  show();
  main.focus({ preventScroll: true });
});
window.addEventListener('unhandledrejection', (e) => notify(String(e.reason?.message ?? e.reason), 'error'));

if (await restore()) enter();
else showSignIn();
