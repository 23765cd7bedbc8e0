// A virtually scrolled table: the DOM holds only the rows in view (plus a margin), however many rows
// the model has, so 10,000 nodes cost the same to render as 30. Rows are divs in a CSS grid; a
// spacer gives the scrollbar its full height and the visible slice is translated into place.
//
// State (owned here, changed only on the main thread): rows (the current sorted, filtered array,
// replaced by setRows), the pool of row elements, and the slice last drawn.

const ROW_HEIGHT = 30;
const MARGIN_ROWS = 8;

export class VirtualTable {
  /**
   * columns: [{ key, title, sortable, cell(row, now) -> string, className? }]
   * onSort(key), onOpen(row): callbacks for a header click and a row click.
   */
  constructor(parent, columns, { onSort, onOpen, rowKey, rowState }) {
    this.columns = columns;
    this.rowKey = rowKey;
    this.rowState = rowState;
    this.rows = [];
    this.pool = [];
    this.drawn = { first: -1, last: -1 };
    this.frame = 0;

    this.root = el('div', 'vtable');
    this.root.setAttribute('role', 'table');
    const template = columns.map(c => c.width || 'minmax(6rem, 1fr)').join(' ');
    this.root.style.setProperty('--columns', template);
    this.header = el('div', 'vrow vhead');
    this.header.setAttribute('role', 'row');
    for (const c of columns) {
      const h = el('div', 'vcell');
      h.setAttribute('role', 'columnheader');
      h.dataset.key = c.key;
      h.textContent = c.title;
      if (c.sortable) {
        h.classList.add('sortable');
        h.addEventListener('click', () => onSort(c.key));
      }
      this.header.append(h);
    }
    this.viewport = el('div', 'vviewport');
    this.spacer = el('div', 'vspacer');
    this.body = el('div', 'vbody');
    this.body.setAttribute('role', 'rowgroup');
    this.viewport.append(this.spacer, this.body);
    this.empty = el('div', 'vempty');
    this.root.append(this.header, this.viewport, this.empty);
    parent.append(this.root);

    this.viewport.addEventListener('scroll', () => this.schedule(), { passive: true });
    this.body.addEventListener('click', e => {
      const rowEl = e.target.closest('.vrow');
      if (rowEl && rowEl.rowData) {
        onOpen(rowEl.rowData);
      }
    });
    this.resize = new ResizeObserver(() => this.schedule());
    this.resize.observe(this.viewport);
  }

  /** Marks the sorted column in the header. */
  sortedBy(key, descending) {
    for (const h of this.header.children) {
      h.classList.toggle('sorted', h.dataset.key === key);
      h.classList.toggle('descending', h.dataset.key === key && descending);
    }
  }

  /** Renames a column (its cells follow the data, but a header is drawn once). */
  retitle(key, title) {
    for (const h of this.header.children) {
      if (h.dataset.key === key && h.textContent !== title) {
        h.textContent = title;
      }
    }
  }

  setRows(rows, emptyText) {
    this.rows = rows;
    this.spacer.style.height = `${rows.length * ROW_HEIGHT}px`;
    this.empty.textContent = rows.length ? '' : emptyText;
    this.empty.hidden = rows.length > 0;
    this.draw(true);
  }

  schedule() {
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => {
        this.frame = 0;
        this.draw(false);
      });
    }
  }

  /** Draws the rows in view; with force, redraws them even when the slice did not move (data changed). */
  draw(force) {
    const top = this.viewport.scrollTop;
    const height = this.viewport.clientHeight || 600;
    const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - MARGIN_ROWS);
    const last = Math.min(this.rows.length, Math.ceil((top + height) / ROW_HEIGHT) + MARGIN_ROWS);
    if (!force && first === this.drawn.first && last === this.drawn.last) {
      return;
    }
    this.drawn = { first, last };
    const count = last - first;
    while (this.pool.length < count) {
      const rowEl = el('div', 'vrow');
      rowEl.setAttribute('role', 'row');
      for (const c of this.columns) {
        const cell = el('div', `vcell ${c.className || ''}`);
        cell.setAttribute('role', 'cell');
        rowEl.append(cell);
      }
      this.pool.push(rowEl);
      this.body.append(rowEl);
    }
    const now = Date.now();
    this.body.style.transform = `translateY(${first * ROW_HEIGHT}px)`;
    for (let i = 0; i < this.pool.length; i++) {
      const rowEl = this.pool[i];
      if (i >= count) {
        rowEl.hidden = true;
        rowEl.rowData = null;
        continue;
      }
      const row = this.rows[first + i];
      rowEl.hidden = false;
      rowEl.rowData = row;
      rowEl.dataset.name = this.rowKey(row);
      if (this.rowState) {
        rowEl.dataset.state = this.rowState(row);
      }
      const cells = rowEl.children;
      for (let c = 0; c < this.columns.length; c++) {
        const text = this.columns[c].cell(row, now);
        if (cells[c].textContent !== text) {
          cells[c].textContent = text;
          cells[c].title = text;
        }
      }
    }
  }

  /** Rows replaced in place (same positions): redraws only when one of them is in view. */
  patched(indices) {
    if (indices.some(i => i >= this.drawn.first && i < this.drawn.last)) {
      this.draw(true);
    }
  }

  /** Redraws the rows in view only (for clocks such as the heartbeat age). */
  refresh() {
    this.draw(true);
  }

  destroy() {
    this.resize.disconnect();
    cancelAnimationFrame(this.frame);
    this.root.remove();
  }
}

export function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) {
    e.className = className;
  }
  if (text !== undefined) {
    e.textContent = text;
  }
  return e;
}
