// The fleet overview: counts by state, a label-selector and state filter, and the node table
// (virtually scrolled; sorted by any column). A batch of changes that moves no row (the common case:
// heartbeats) patches the rows in place and redraws only if one is in view; anything else filters
// and sorts again, once per batch. Every second the visible rows are redrawn so that ages tick.
//
// State (owned here): rows (filtered and sorted) and position (name -> index in rows).

import { formatAge, formatBytes, formatCpu, parseSelector, sameSortKey, sortRows } from './model.js';
import { VirtualTable, el } from './table.js';

const STATES = ['Ready', 'NotReady', 'Draining'];
let firstRowsMarked = false;

function allocatedOf(ctx, row, key, format) {
  const used = ctx.store.allocated.get(row.name);
  const total = format(row[key]);
  return ctx.store.projectsAvailable ? `${format(used ? used[key] : 0)} / ${total}` : total;
}

export function mountFleet(container, ctx) {
  const filter = ctx.fleet;
  const store = ctx.store;
  const root = el('section', 'fleet');
  const counts = el('div', 'counts');
  const controls = el('form', 'filters');
  controls.addEventListener('submit', e => e.preventDefault());
  const selector = el('input');
  Object.assign(selector, { type: 'search', id: 'selector', placeholder: 'label selector, e.g. zone=eu,gpu', value: filter.selector });
  const state = el('select');
  state.id = 'state-filter';
  for (const s of ['', ...STATES]) {
    const o = el('option', '', s || 'any state');
    o.value = s;
    state.append(o);
  }
  state.value = filter.state;
  const problem = el('span', 'error');
  controls.append(el('label', '', 'Labels '), selector, el('label', '', ' State '), state, problem);
  root.append(counts, controls);
  container.append(root);

  let predicate = () => true;
  let rows = [];
  let position = new Map();
  const matches = r => (!filter.state || r.state === filter.state) && predicate(r.labels);
  const table = new VirtualTable(root, [
    { key: 'name', title: 'Name', sortable: true, cell: r => r.name, width: 'minmax(10rem, 2fr)' },
    { key: 'state', title: 'State', sortable: true, cell: r => r.state, className: 'state', width: '7rem' },
    { key: 'conditions', title: 'Conditions', sortable: true, cell: r => r.conditions, width: 'minmax(8rem, 1.5fr)' },
    { key: 'cpu', title: '', sortable: true, cell: r => allocatedOf(ctx, r, 'cpu', formatCpu), width: '15.5rem' },
    { key: 'memory', title: '', sortable: true, cell: r => allocatedOf(ctx, r, 'memory', formatBytes), width: '17.5rem' },
    { key: 'heartbeat', title: 'Last heartbeat', sortable: true, cell: (r, now) => formatAge(now - r.heartbeat), width: '10rem' },
    { key: 'labels', title: 'Labels', sortable: true, cell: r => r.labelText, width: 'minmax(10rem, 3fr)' },
  ], {
    rowKey: r => r.name,
    rowState: r => r.state,
    onSort: key => {
      filter.descending = filter.sort === key ? !filter.descending : false;
      filter.sort = key;
      recompute();
    },
    onOpen: r => { location.hash = `#/node/${encodeURIComponent(r.name)}`; },
  });

  function readFilter() {
    filter.selector = selector.value;
    filter.state = state.value;
    try {
      predicate = parseSelector(filter.selector);
      problem.textContent = '';
      selector.setCustomValidity('');
    } catch (e) {
      problem.textContent = e.message;
      selector.setCustomValidity(e.message);
    }
  }

  function renderCounts() {
    const by = { Ready: 0, NotReady: 0, Draining: 0 };
    for (const r of store.nodes.values()) {
      by[r.state] = (by[r.state] || 0) + 1;
    }
    const chips = [['', 'Nodes', store.nodes.size], ...STATES.map(s => [s, s, by[s]])].map(([value, label, n]) => {
      const chip = el('button', `count ${value ? `state-${value}` : ''}`);
      chip.type = 'button';
      chip.dataset.count = value || 'total';
      chip.classList.toggle('active', filter.state === value);
      chip.append(el('span', 'n', n.toLocaleString('en')), el('span', 'label', label));
      chip.addEventListener('click', () => {
        state.value = value;
        readFilter();
        recompute();
      });
      return chip;
    });
    counts.replaceChildren(...chips);
  }

  /** Applies a batch in place when no row enters, leaves or moves; false when it cannot. */
  function patch(changes) {
    if (changes.all || changes.projects) {
      return false;
    }
    const indices = [];
    let stateChanged = false;
    for (const name of changes.nodes) {
      const before = changes.previous.get(name);
      const after = store.nodes.get(name);
      if (!before || !after) {
        return false;
      }
      const shown = position.has(name);
      if (shown !== matches(after) || (shown && !sameSortKey(filter.sort, before, after))) {
        return false;
      }
      stateChanged ||= before.state !== after.state;
      if (shown) {
        indices.push(position.get(name));
      }
    }
    for (const i of indices) {
      rows[i] = store.nodes.get(rows[i].name);
    }
    table.patched(indices);
    if (stateChanged) {
      renderCounts();
    }
    return true;
  }

  function update(changes) {
    if (!patch(changes)) {
      recompute();
    }
  }

  function recompute() {
    rows = [];
    for (const r of store.nodes.values()) {
      if (matches(r)) {
        rows.push(r);
      }
    }
    sortRows(rows, filter.sort, filter.descending);
    position = new Map(rows.map((r, i) => [r.name, i]));
    const allocated = store.projectsAvailable ? ' alloc. / allocatable' : ' allocatable';
    table.retitle('cpu', `CPU${allocated}`);
    table.retitle('memory', `Memory${allocated}`);
    table.sortedBy(filter.sort, filter.descending);
    table.setRows(rows, store.nodes.size ? 'No node matches the filter.' : 'No nodes registered yet.');
    renderCounts();
    if (rows.length && !firstRowsMarked) {
      firstRowsMarked = true;
      performance.mark('cara-rows-visible');
    }
  }

  let debounce = 0;
  selector.addEventListener('input', () => {
    clearTimeout(debounce);
    debounce = setTimeout(() => { readFilter(); recompute(); }, 150);
  });
  state.addEventListener('change', () => { readFilter(); recompute(); });

  readFilter();
  recompute();
  const unsubscribe = store.subscribe(update);
  const clock = setInterval(() => table.refresh(), 1000);
  return {
    destroy() {
      unsubscribe();
      clearInterval(clock);
      clearTimeout(debounce);
      table.destroy();
    },
  };
}
