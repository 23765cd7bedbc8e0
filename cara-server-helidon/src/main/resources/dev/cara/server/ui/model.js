// Pure functions over the API's JSON: quantities, a node's row summary, label selectors, sorting.
// Nothing here touches the DOM, so each can be reasoned about (and reused) on its own.

const BINARY = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const DECIMAL = { n: 1e-9, u: 1e-6, m: 1e-3, '': 1, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY = /^([+-]?[0-9.]+(?:[eE][+-]?[0-9]+)?)([a-zA-Z]*)$/;

/** A Kubernetes quantity ("4000m", "8Gi", "2") as a number of base units; NaN when unreadable or absent. */
export function quantity(text) {
  if (text === undefined || text === null) {
    return NaN;
  }
  const m = QUANTITY.exec(String(text).trim());
  if (!m) {
    return NaN;
  }
  const factor = BINARY[m[2]] ?? DECIMAL[m[2]];
  return factor === undefined ? NaN : Number(m[1]) * factor;
}

export function formatCpu(cores) {
  if (!Number.isFinite(cores)) {
    return '–';
  }
  return cores < 10 ? `${Math.round(cores * 100) / 100}` : `${Math.round(cores)}`;
}

export function formatBytes(bytes) {
  if (!Number.isFinite(bytes)) {
    return '–';
  }
  const units = ['B', 'Ki', 'Mi', 'Gi', 'Ti', 'Pi'];
  let i = 0;
  while (bytes >= 1024 && i < units.length - 1) {
    bytes /= 1024;
    i++;
  }
  return `${bytes < 10 && i > 0 ? bytes.toFixed(1) : Math.round(bytes)}${units[i]}`;
}

/** "3s", "4m 10s", "2h 5m", "3d 4h": how long ago, coarse enough to read at a glance. */
export function formatAge(ms) {
  if (!Number.isFinite(ms)) {
    return 'never';
  }
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) {
    return `${s}s`;
  }
  if (s < 3600) {
    return `${Math.floor(s / 60)}m ${s % 60}s`;
  }
  if (s < 86400) {
    return `${Math.floor(s / 3600)}h ${Math.floor((s % 3600) / 60)}m`;
  }
  return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** An adverse condition: any type but Ready whose status is True (as caractrl's CONDITIONS column). */
export function adverseConditions(node) {
  return (node.status?.conditions || []).filter(c => c.type !== 'Ready' && c.status === 'True').map(c => c.type);
}

/** What the fleet table shows of a node, computed once per change rather than per frame. */
export function summarize(node) {
  const status = node.status || {};
  const labels = node.metadata?.labels || {};
  const adverse = adverseConditions(node);
  const heartbeat = status.lastHeartbeat ? Date.parse(status.lastHeartbeat) : NaN;
  return {
    name: node.metadata.name,
    state: status.state || 'NotReady',
    conditions: adverse.length ? adverse.join(', ') : 'Healthy',
    cpu: quantity(status.allocatable?.cpu),
    memory: quantity(status.allocatable?.memory),
    heartbeat,
    labels,
    labelText: Object.entries(labels).map(([k, v]) => `${k}=${v}`).join(' '),
    node,
  };
}

/** What the projects on each node request, by node name: { cpu, memory } in base units. */
export function allocations(projects) {
  const byNode = new Map();
  for (const p of projects) {
    const node = p.status?.nodeRef;
    const phase = p.status?.phase;
    if (!node || phase === 'Terminated' || phase === 'Failed') {
      continue;
    }
    const requests = p.spec?.resources?.requests || {};
    const sum = byNode.get(node) || { cpu: 0, memory: 0 };
    sum.cpu += quantity(requests.cpu) || 0;
    sum.memory += quantity(requests.memory) || 0;
    byNode.set(node, sum);
  }
  return byNode;
}

const KEY = '[A-Za-z0-9](?:[-A-Za-z0-9_./]*[A-Za-z0-9])?';
const VALUE = '(?:[A-Za-z0-9](?:[-A-Za-z0-9_.]*[A-Za-z0-9])?)?';
const TERM = new RegExp(`^(?:(!)\\s*(${KEY})|(${KEY})\\s*(==|=|!=)\\s*(${VALUE})|(${KEY})\\s+(in|notin)\\s*\\(([^)]*)\\)|(${KEY}))$`);

/** Splits on the commas that are not inside a set's parentheses. */
function terms(text) {
  const out = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    if (text[i] === ')') depth--;
    if (text[i] === ',' && depth === 0) {
      out.push(text.slice(start, i));
      start = i + 1;
    }
  }
  out.push(text.slice(start));
  return out.map(t => t.trim());
}

/**
 * A label selector as the API reads it (k=v, k==v, k!=v, k in (a,b), k notin (a,b), k, !k, joined
 * by commas) as a predicate over a labels object. Throws an Error naming the term it cannot read.
 */
export function parseSelector(text) {
  if (!text || !text.trim()) {
    return () => true;
  }
  const tests = terms(text).map(term => {
    const m = TERM.exec(term);
    if (!m) {
      throw new Error(`cannot read "${term}": use key=value, key!=value, key in (a,b), key notin (a,b), key or !key`);
    }
    if (m[1]) {
      const key = m[2];
      return labels => !(key in labels);
    }
    if (m[3]) {
      const [key, op, value] = [m[3], m[4], m[5] || ''];
      return op === '!=' ? labels => labels[key] !== value : labels => labels[key] === value;
    }
    if (m[6]) {
      const [key, op] = [m[6], m[7]];
      const values = new Set(m[8].split(',').map(v => v.trim()).filter(v => v));
      return op === 'in' ? labels => values.has(labels[key]) : labels => !values.has(labels[key]);
    }
    const key = m[9];
    return labels => key in labels;
  });
  return labels => tests.every(t => t(labels));
}

const STATE_ORDER = { NotReady: 0, Draining: 1, Ready: 2 };

/** Comparators by column; ties fall back to the name so that the order is stable between frames. */
const COMPARE = {
  name: () => 0,
  state: (a, b) => (STATE_ORDER[a.state] ?? 3) - (STATE_ORDER[b.state] ?? 3),
  conditions: (a, b) => (a.conditions < b.conditions ? -1 : a.conditions > b.conditions ? 1 : 0),
  cpu: (a, b) => (a.cpu || 0) - (b.cpu || 0),
  memory: (a, b) => (a.memory || 0) - (b.memory || 0),
  heartbeat: (a, b) => (b.heartbeat || 0) - (a.heartbeat || 0),
  labels: (a, b) => (a.labelText < b.labelText ? -1 : a.labelText > b.labelText ? 1 : 0),
};

export const SORTABLE = Object.keys(COMPARE);

/** Whether a and b sort alike by column, so that a row changing from a to b keeps its place. */
export function sameSortKey(column, a, b) {
  return (COMPARE[column] || COMPARE.name)(a, b) === 0;
}

export function sortRows(rows, column, descending) {
  const compare = COMPARE[column] || COMPARE.name;
  const sign = descending ? -1 : 1;
  return rows.sort((a, b) => sign * (compare(a, b) || (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)));
}
