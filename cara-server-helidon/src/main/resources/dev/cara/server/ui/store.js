// What the dashboard knows of the fleet, fed by the watch streams. Events are queued as they
// arrive and applied once per animation frame, so that a burst (10,000 ADDED events on connect, a
// few hundred heartbeats a second) costs one recomputation per frame, never one per event.
//
// State (owned here, changed only in flush() or the replace* calls, on the main thread):
// nodes (name -> row summary), projects (name -> Project JSON), allocated (node -> requests of its
// projects), and the queue of events not yet applied.

import { allocations, summarize } from './model.js';

export class Store {
  constructor() {
    this.nodes = new Map();
    this.projects = new Map();
    this.allocated = new Map();
    this.projectsAvailable = false;
    this.loaded = false; // true once the first node list arrived
    this.queue = [];
    this.frame = 0;
    this.listeners = new Set();
    this.revision = 0;
  }

  /**
   * listener(changes) after each applied batch; changes = { nodes: Set of names, previous: Map of
   * name -> the row before this batch (absent for a new node), projects: bool, all: bool }.
   */
  subscribe(listener) {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** The whole node list, on (re)connect: nodes deleted while the stream was down disappear. */
  replaceNodes(items) {
    this.queue = this.queue.filter(e => e.kind !== 'node');
    this.nodes = new Map(items.map(n => [n.metadata.name, summarize(n)]));
    this.loaded = true;
    this.notify({ nodes: new Set(), previous: new Map(), projects: false, all: true });
  }

  replaceProjects(items) {
    this.queue = this.queue.filter(e => e.kind !== 'project');
    this.projects = new Map(items.map(p => [p.metadata.name, p]));
    this.allocated = allocations(this.projects.values());
    this.notify({ nodes: new Set(), previous: new Map(), projects: true, all: true });
  }

  nodeEvent(event) {
    this.enqueue({ kind: 'node', event });
  }

  projectEvent(event) {
    this.enqueue({ kind: 'project', event });
  }

  enqueue(item) {
    this.queue.push(item);
    if (!this.frame) {
      this.frame = requestAnimationFrame(() => this.flush());
    }
  }

  flush() {
    this.frame = 0;
    const queue = this.queue;
    this.queue = [];
    const changes = { nodes: new Set(), previous: new Map(), projects: false, all: false };
    for (const { kind, event } of queue) {
      const object = event.object;
      if (!object?.metadata?.name || !['ADDED', 'MODIFIED', 'DELETED'].includes(event.type)) {
        continue;
      }
      const name = object.metadata.name;
      if (kind === 'node') {
        if (!changes.previous.has(name) && this.nodes.has(name)) {
          changes.previous.set(name, this.nodes.get(name));
        }
        if (event.type === 'DELETED') {
          this.nodes.delete(name);
        } else {
          this.nodes.set(name, summarize(object));
        }
        changes.nodes.add(name);
      } else {
        if (event.type === 'DELETED') {
          this.projects.delete(name);
        } else {
          this.projects.set(name, object);
        }
        changes.projects = true;
      }
    }
    if (changes.projects) {
      this.allocated = allocations(this.projects.values());
    }
    if (changes.nodes.size || changes.projects) {
      this.notify(changes);
    }
  }

  notify(changes) {
    this.revision++;
    for (const l of this.listeners) {
      l(changes);
    }
  }

  projectsOn(node) {
    return [...this.projects.values()].filter(p => p.status?.nodeRef === node);
  }
}
