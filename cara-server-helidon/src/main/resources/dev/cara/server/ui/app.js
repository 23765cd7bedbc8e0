// The dashboard's entry point: who the caller is, the watch streams into the store, the connection
// indicator, and a hash router over three views (#/ fleet, #/node/NAME, #/projects).
//
// State (owned here): ctx (the identity, the store, the fleet view's filter and sort, kept across
// navigation), the open watches, and the mounted view.

import { ApiError, getJson, setToken, token, watch } from './api.js';
import { Store } from './store.js';
import { mountFleet } from './fleet.js';
import { mountNode } from './node.js';
import { mountProjects } from './projects.js';

const ctx = {
  identity: null,
  store: new Store(),
  fleet: { selector: '', state: '', sort: 'name', descending: false },
  mayWrite: false,
  status: {},
  showError,
};

let watches = [];
let view = null;

function $(id) {
  return document.getElementById(id);
}

function showError(message) {
  const banner = $('banner');
  banner.textContent = message;
  banner.dataset.kind = 'error';
  banner.hidden = !message;
}

/** The connection indicator: live only when every stream that exists is live. */
function setStatus(stream, status, retryMs) {
  ctx.status[stream] = status;
  const states = Object.values(ctx.status).filter(s => s !== 'unavailable');
  const lost = states.includes('lost');
  const live = states.length > 0 && states.every(s => s === 'live');
  const indicator = $('connection');
  indicator.dataset.status = lost ? 'lost' : live ? 'live' : 'connecting';
  indicator.textContent = lost ? 'connection lost, reconnecting…' : live ? 'live' : 'connecting…';
  const banner = $('banner');
  if (lost) {
    banner.textContent = `Lost the connection to the server; reconnecting${retryMs ? ` in ${Math.round(retryMs / 100) / 10} s` : ''}. The figures shown may be out of date.`;
    banner.dataset.kind = 'lost';
    banner.hidden = false;
  } else if (banner.dataset.kind === 'lost') {
    banner.hidden = true;
    banner.dataset.kind = '';
  }
  if (status === 'unauthenticated') {
    askForToken(token() ? 'The server refused the token: it may have expired or been revoked.' : '');
  }
}

function askForToken(error) {
  stopWatches();
  const dialog = $('login');
  $('login-error').textContent = error;
  $('login-error').hidden = !error;
  if (!dialog.open) {
    dialog.showModal();
  }
}

function stopWatches() {
  watches.forEach(w => w.close());
  watches = [];
}

async function loadIdentity() {
  try {
    ctx.identity = await getJson('/api/v1/identity');
  } catch (e) {
    if (e instanceof ApiError && e.status === 401) {
      askForToken(token() ? 'The server refused the token: it may have expired or been revoked.' : '');
      return false;
    }
    if (!(e instanceof ApiError && e.status === 404)) {
      throw e;
    }
    // A server without the identity route: assume read-only, the safe side.
    ctx.identity = { auth: 'unknown', name: 'unknown', role: 'unknown', may: {} };
  }
  ctx.mayWrite = Boolean(ctx.identity.may?.updateNodes);
  const who = ctx.identity.auth === 'none' ? 'open mode (no authentication)' : `${ctx.identity.name} (${ctx.identity.role})`;
  $('identity').textContent = `${who}${ctx.mayWrite ? '' : ', read-only'}`;
  return true;
}

function startWatches() {
  stopWatches();
  const store = ctx.store;
  watches.push(watch('/api/v1/nodes?watch=true', {
    onConnect: async () => store.replaceNodes((await getJson('/api/v1/nodes')).items || []),
    onEvent: e => store.nodeEvent(e),
    onStatus: (s, retry) => setStatus('nodes', s, retry),
  }));
  watches.push(watch('/api/v1/projects?watch=true', {
    onConnect: async () => {
      try {
        store.replaceProjects((await getJson('/api/v1/projects')).items || []);
      } catch (e) {
        if (e instanceof ApiError && e.status === 404) {
          return; // the watch itself then reports 'unavailable'
        }
        throw e;
      }
    },
    onEvent: e => store.projectEvent(e),
    onStatus: (s, retry) => {
      store.projectsAvailable = s !== 'unavailable';
      $('nav-projects').hidden = !store.projectsAvailable;
      setStatus('projects', s, retry);
      if (s === 'unavailable' || s === 'live') {
        store.notify({ nodes: new Set(), previous: new Map(), projects: true, all: false });
      }
    },
  }));
}

function route() {
  if (view) {
    view.destroy();
  }
  const container = $('view');
  container.replaceChildren();
  const hash = decodeURIComponent(location.hash.replace(/^#/, '')) || '/';
  let active = 'fleet';
  if (hash.startsWith('/node/')) {
    view = mountNode(container, ctx, hash.slice('/node/'.length));
  } else if (hash === '/projects') {
    active = 'projects';
    view = mountProjects(container, ctx);
  } else {
    view = mountFleet(container, ctx);
  }
  document.querySelectorAll('[data-nav]').forEach(a => a.classList.toggle('active', a.dataset.nav === active));
}

async function start() {
  if (!(await loadIdentity())) {
    return;
  }
  startWatches();
  route();
}

$('login-form').addEventListener('submit', () => {
  setToken($('login-token').value.trim());
  $('login-token').value = '';
  start().catch(e => showError(`Could not start: ${e.message}`));
});
window.addEventListener('hashchange', route);
// Close the streams before the page goes: Chromium otherwise keeps an abandoned stream's connection for
// about a minute, and with six connections per server a few reloads left the next one waiting for a free one.
window.addEventListener('pagehide', () => {
  stopWatches();
  if (view) {
    view.destroy();
  }
});
start().catch(e => showError(`Could not reach the server: ${e.message}`));
