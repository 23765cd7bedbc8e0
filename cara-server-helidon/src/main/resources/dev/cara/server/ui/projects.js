// The projects page: every project with its phase, node and requests, live from the projects watch.

import { formatAge } from './model.js';
import { VirtualTable, el } from './table.js';

export function mountProjects(container, ctx) {
  const store = ctx.store;
  const root = el('section', 'projects');
  const summary = el('div', 'counts');
  root.append(summary);
  container.append(root);
  const table = new VirtualTable(root, [
    { key: 'name', title: 'Name', cell: p => p.metadata.name, width: 'minmax(10rem, 2fr)' },
    { key: 'phase', title: 'Phase', cell: p => p.status?.phase || 'Pending', className: 'state', width: '8rem' },
    { key: 'node', title: 'Node', cell: p => p.status?.nodeRef || '–', width: 'minmax(8rem, 1.5fr)' },
    { key: 'cpu', title: 'CPU request', cell: p => p.spec?.resources?.requests?.cpu || '–', width: '9rem' },
    { key: 'memory', title: 'Memory request', cell: p => p.spec?.resources?.requests?.memory || '–', width: '11rem' },
    { key: 'age', title: 'Age', cell: (p, now) => formatAge(now - Date.parse(p.metadata.createdAt)), width: '7rem' },
  ], {
    rowKey: p => p.metadata.name,
    rowState: p => p.status?.phase || 'Pending',
    onSort: () => {},
    onOpen: p => {
      if (p.status?.nodeRef) {
        location.hash = `#/node/${encodeURIComponent(p.status.nodeRef)}`;
      }
    },
  });

  function recompute() {
    if (!store.projectsAvailable) {
      summary.replaceChildren(el('p', 'muted', 'This server has no projects API.'));
    }
    const rows = [...store.projects.values()].sort((a, b) => (a.metadata.name < b.metadata.name ? -1 : 1));
    const phases = new Map();
    rows.forEach(p => phases.set(p.status?.phase || 'Pending', (phases.get(p.status?.phase || 'Pending') || 0) + 1));
    if (store.projectsAvailable) {
      summary.replaceChildren(...[['Projects', rows.length], ...phases].map(([label, n]) => {
        const chip = el('span', 'count');
        chip.append(el('span', 'n', String(n)), el('span', 'label', label));
        return chip;
      }));
    }
    table.setRows(rows, 'No projects yet.');
  }

  recompute();
  const unsubscribe = store.subscribe(c => { if (c.projects || c.all) recompute(); });
  const clock = setInterval(() => table.refresh(), 1000);
  return {
    destroy() {
      unsubscribe();
      clearInterval(clock);
      table.destroy();
    },
  };
}
