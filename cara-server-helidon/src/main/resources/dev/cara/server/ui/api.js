// The server's HTTP API as the dashboard uses it: JSON calls and NDJSON watch streams, both with the
// bearer token kept in sessionStorage. Watches use fetch() and a ReadableStream because EventSource
// cannot send an Authorization header.

const TOKEN_KEY = 'cara.token';

/** A non-2xx answer, with the problem JSON's detail when the server sent one. */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
  }
}

export function token() {
  return sessionStorage.getItem(TOKEN_KEY);
}

export function setToken(value) {
  if (value) {
    sessionStorage.setItem(TOKEN_KEY, value);
  } else {
    sessionStorage.removeItem(TOKEN_KEY);
  }
}

function headers(extra) {
  const h = { Accept: 'application/json', ...extra };
  const t = token();
  if (t) {
    h.Authorization = `Bearer ${t}`;
  }
  return h;
}

async function failure(res) {
  let detail = '';
  try {
    const problem = await res.json();
    detail = problem.detail || problem.title || '';
  } catch {
    detail = res.statusText;
  }
  return new ApiError(res.status, detail);
}

/** GET path as JSON. Throws ApiError for a non-2xx answer. */
export async function getJson(path) {
  const res = await fetch(path, { headers: headers() });
  if (!res.ok) {
    throw await failure(res);
  }
  return res.json();
}

/** PUT a JSON body; answers the JSON the server returns. */
export async function putJson(path, body) {
  const res = await fetch(path, {
    method: 'PUT',
    headers: headers({ 'Content-Type': 'application/json' }),
    body: JSON.stringify(body),
  });
  if (!res.ok) {
    throw await failure(res);
  }
  return res.json();
}

/**
 * Sets or clears a node's spec.unschedulable (drain, undrain) by read-modify-write, as caractrl
 * cordon does; a 409 means a concurrent spec write, so it reads again (a few times).
 */
export async function setUnschedulable(name, unschedulable) {
  const path = `/api/v1/nodes/${encodeURIComponent(name)}`;
  for (let attempt = 0; ; attempt++) {
    const node = await getJson(path);
    node.spec = { ...(node.spec || {}), unschedulable };
    try {
      return await putJson(path, node);
    } catch (e) {
      if (!(e instanceof ApiError) || e.status !== 409 || attempt >= 4) {
        throw e;
      }
    }
  }
}

const RETRY_MIN_MS = 500;
const RETRY_MAX_MS = 5000;

/**
 * Keeps a watch open on path: before each (re)connect it awaits onConnect() (to reload a list, so
 * that what was deleted while the stream was down disappears), then feeds each event to onEvent.
 * onStatus gets 'live', 'lost' (with the retry delay in ms), 'unavailable' (404: the server has no
 * such stream) or 'unauthenticated' (401; the watch stops until restarted). Returns { close() }.
 */
export function watch(path, { onConnect, onEvent, onStatus }) {
  let closed = false;
  let controller = null;
  let delay = RETRY_MIN_MS;
  let timer = null;

  async function run() {
    controller = new AbortController();
    try {
      if (onConnect) {
        await onConnect();
      }
      const res = await fetch(path, { headers: headers({ Accept: 'application/x-ndjson' }), signal: controller.signal });
      if (res.status === 401 || res.status === 404) {
        onStatus(res.status === 401 ? 'unauthenticated' : 'unavailable');
        return;
      }
      if (!res.ok) {
        throw await failure(res);
      }
      onStatus('live');
      delay = RETRY_MIN_MS;
      await readLines(res.body, line => onEvent(JSON.parse(line)));
      if (closed) {
        return;
      }
      throw new Error('the server ended the stream');
    } catch (e) {
      if (closed) {
        return;
      }
      if (e instanceof ApiError && e.status === 401) {
        onStatus('unauthenticated');
        return;
      }
      onStatus('lost', delay, e);
      timer = setTimeout(run, delay);
      delay = Math.min(delay * 2, RETRY_MAX_MS);
    }
  }

  run();
  return {
    close() {
      closed = true;
      clearTimeout(timer);
      if (controller) {
        controller.abort();
      }
    },
  };
}

/** Calls onLine for each non-blank line of a byte stream (blank lines are the server's keep-alives). */
async function readLines(body, onLine) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) {
      return;
    }
    buffered += value;
    let nl;
    while ((nl = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, nl);
      buffered = buffered.slice(nl + 1);
      if (line.trim() !== '') {
        onLine(line);
      }
    }
  }
}
