// One node's page: status, network and agent facts, capacity and allocatable bars, its conditions
// with their transition times, its projects, and its events (live from the events watch; the panel
// says so when the server has no events API). Drain and undrain only for identities that may write.
//
// State (owned here): the events of this node (name -> Event JSON) and its watch.

import { ApiError, getJson, setUnschedulable, watch } from './api.js';
import { formatAge, formatBytes, formatCpu, quantity } from './model.js';
import { el } from './table.js';

function section(title, id) {
  const s = el('section', 'panel');
  s.id = id;
  s.append(el('h2', '', title));
  const body = el('div', 'panel-body');
  s.append(body);
  return [s, body];
}

function table(headers, rows) {
  const t = el('table', 'plain');
  const head = el('tr');
  headers.forEach(h => head.append(el('th', '', h)));
  t.append(el('thead'));
  t.tHead.append(head);
  const body = el('tbody');
  for (const r of rows) {
    const tr = el('tr');
    r.forEach(c => tr.append(el('td', '', c ?? '')));
    body.append(tr);
  }
  t.append(body);
  return t;
}

function facts(pairs) {
  const dl = el('dl', 'facts');
  for (const [k, v] of pairs) {
    dl.append(el('dt', '', k), el('dd', '', v === undefined || v === null || v === '' ? '–' : String(v)));
  }
  return dl;
}

function bar(label, used, total, format, usedLabel) {
  const row = el('div', 'bar');
  const pct = Number.isFinite(used) && Number.isFinite(total) && total > 0 ? Math.min(100, (100 * used) / total) : 0;
  const track = el('div', 'track');
  const fill = el('div', 'fill');
  fill.style.width = `${pct}%`;
  track.append(fill);
  row.append(el('span', 'bar-label', label), track,
    el('span', 'bar-figure', `${format(used)} ${usedLabel} of ${format(total)} (${Math.round(pct)}%)`));
  return row;
}

function time(t) {
  // To the second: the nanoseconds the server writes are noise on a page.
  return t ? `${t.replace(/\.\d+Z$/, 'Z')} (${formatAge(Date.now() - Date.parse(t))} ago)` : '–';
}

export function mountNode(container, ctx, name) {
  const store = ctx.store;
  const root = el('section', 'node-page');
  root.dataset.node = name;
  const title = el('div', 'node-title');
  const [statusPanel, statusBody] = section('Status', 'node-status');
  const [resourcePanel, resourceBody] = section('Resources', 'node-resources');
  const [conditionPanel, conditionBody] = section('Conditions', 'node-conditions');
  const [projectPanel, projectBody] = section('Projects', 'node-projects');
  const [eventPanel, eventBody] = section('Events', 'node-events');
  root.append(title, statusPanel, resourcePanel, conditionPanel, projectPanel, eventPanel);
  container.append(root);

  function renderTitle(row) {
    const back = el('a', 'back', '← all nodes');
    back.href = '#/';
    const h = el('h1', '', name);
    title.replaceChildren(back, h);
    if (!row) {
      title.append(el('p', 'error', store.loaded ? `There is no node "${name}" (it may have been deleted).` : 'Loading…'));
      return;
    }
    const badge = el('span', `badge state-${row.state}`, row.state);
    badge.id = 'node-state';
    h.append(' ', badge);
    if (ctx.mayWrite) {
      const draining = Boolean(row.node.spec?.unschedulable);
      const button = el('button', 'action', draining ? 'Undrain' : 'Drain');
      button.id = draining ? 'undrain' : 'drain';
      button.title = draining ? 'Clear spec.unschedulable: the node may take new work again'
        : 'Set spec.unschedulable: no new work; running work is untouched';
      button.addEventListener('click', async () => {
        button.disabled = true;
        try {
          await setUnschedulable(name, !draining);
        } catch (e) {
          ctx.showError(`Could not ${draining ? 'undrain' : 'drain'} ${name}: ${e.message}`);
          button.disabled = false;
        }
      });
      title.append(button);
    }
  }

  function renderNode() {
    const row = store.nodes.get(name);
    renderTitle(row);
    [statusPanel, resourcePanel, conditionPanel].forEach(p => { p.hidden = !row; });
    if (!row) {
      return;
    }
    const n = row.node;
    const s = n.status || {};
    const net = s.network || {};
    const info = s.info || {};
    statusBody.replaceChildren(facts([
      ['State', s.state], ['Hostname', n.spec?.hostname], ['Unschedulable', String(Boolean(n.spec?.unschedulable))],
      ['Last heartbeat', time(s.lastHeartbeat)], ['IP', net.ip], ['DNS name', net.dnsName], ['Network mode', net.mode],
      ['Agent port', net.agentPort], ['OS image', info.osImage], ['Kernel', info.kernelVersion],
      ['Agent version', info.agentVersion], ['Registered', time(n.metadata.createdAt)],
      ['Labels', row.labelText], ['Resource version', n.metadata.resourceVersion],
    ]));
    const used = store.allocated.get(name) || { cpu: 0, memory: 0 };
    const cap = s.capacity || {};
    const alloc = s.allocatable || {};
    const bars = [
      bar('CPU allocatable', quantity(alloc.cpu), quantity(cap.cpu), formatCpu, 'allocatable'),
      bar('Memory allocatable', quantity(alloc.memory), quantity(cap.memory), formatBytes, 'allocatable'),
    ];
    if (store.projectsAvailable) {
      bars.push(bar('CPU allocated', used.cpu, quantity(alloc.cpu), formatCpu, 'requested'),
        bar('Memory allocated', used.memory, quantity(alloc.memory), formatBytes, 'requested'));
    }
    resourceBody.replaceChildren(...bars);
    const conditions = s.conditions || [];
    conditionBody.replaceChildren(conditions.length
      ? table(['Type', 'Status', 'Reason', 'Message', 'Last heartbeat', 'Last transition'],
        conditions.map(c => [c.type, c.status, c.reason, c.message, time(c.lastHeartbeatTime), time(c.lastTransitionTime)]))
      : el('p', 'muted', 'No conditions reported.'));
    renderProjects();
  }

  function renderProjects() {
    projectPanel.hidden = !store.projectsAvailable;
    const mine = store.projectsOn(name);
    projectBody.replaceChildren(mine.length
      ? table(['Project', 'Phase', 'CPU request', 'Memory request'], mine.map(p => [p.metadata.name, p.status?.phase,
        p.spec?.resources?.requests?.cpu, p.spec?.resources?.requests?.memory]))
      : el('p', 'muted', 'No projects on this node.'));
  }

  const events = new Map();
  function renderEvents() {
    const list = [...events.values()].sort((a, b) => Date.parse(b.lastTimestamp) - Date.parse(a.lastTimestamp));
    eventBody.replaceChildren(list.length
      ? table(['Type', 'Reason', 'Message', 'Count', 'Last seen'],
        list.map(e => [e.type, e.reason, e.message, String(e.count), time(e.lastTimestamp)]))
      : el('p', 'muted', 'No events for this node.'));
  }
  const object = encodeURIComponent(`node/${name}`);
  const eventWatch = watch(`/api/v1/events?watch=true&object=${object}`, {
    onConnect: async () => {
      try {
        const list = await getJson(`/api/v1/events?object=${object}`);
        events.clear();
        (list.items || []).forEach(e => events.set(e.metadata.name, e));
        renderEvents();
      } catch (e) {
        if (!(e instanceof ApiError && e.status === 404)) {
          throw e;
        }
      }
    },
    onEvent: e => {
      if (e.type === 'DELETED') {
        events.delete(e.object.metadata.name);
      } else if (e.object?.metadata?.name) {
        events.set(e.object.metadata.name, e.object);
      }
      renderEvents();
    },
    onStatus: s => {
      if (s === 'unavailable') {
        eventBody.replaceChildren(el('p', 'muted', 'This server keeps no events (no /api/v1/events).'));
        eventPanel.dataset.unavailable = 'true';
      }
    },
  });

  renderNode();
  const unsubscribe = store.subscribe(changes => {
    if (changes.all || changes.nodes.has(name)) {
      renderNode();
    } else if (changes.projects) {
      renderProjects();
    }
  });
  const clock = setInterval(renderNode, 5000);
  return {
    destroy() {
      unsubscribe();
      clearInterval(clock);
      eventWatch.close();
    },
  };
}
