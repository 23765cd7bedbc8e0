"""Measures the dashboard in headless Chromium against a running server with a large fleet.

  python3 measure.py URL [LOAD_SAMPLES] [UPDATE_SAMPLES]

(a) Page load: for each of LOAD_SAMPLES fresh loads of URL/ui/, the time from navigation start
    to the dashboard's 'cara-rows-visible' mark (set when the table first draws rows), with the
    Navigation Timing figures beside it, and the time until every node from the watch is applied.
(b) Live-update delay: for each of UPDATE_SAMPLES, a MutationObserver in the page waits for one
    visible row's data-state to change; the delay is from just before this script sends the drain
    (or undrain) PUT to the server until that DOM change, both on this machine's wall clock.
Then, with the page open and the fleet heartbeating, the longest main-thread task over 10 s
(Long Tasks API): the page must not freeze under the watch's steady stream of heartbeats.
"""
import json
import statistics
import sys
import time
import urllib.request

from webdriver import Browser


def call(method, url, body=None):
    data = None if body is None else json.dumps(body).encode()
    req = urllib.request.Request(url, data=data, method=method, headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=60) as res:
        return json.loads(res.read() or b"{}")


def set_unschedulable(base, name, value):
    node = call("GET", f"{base}/api/v1/nodes/{name}")
    node["spec"]["unschedulable"] = value
    call("PUT", f"{base}/api/v1/nodes/{name}", node)


def summary(values):
    values = sorted(values)
    p = lambda q: values[min(len(values) - 1, int(round(q * (len(values) - 1))))]
    return (f"n={len(values)} min {values[0]:.0f} median {statistics.median(values):.0f} "
            f"p90 {p(0.9):.0f} max {values[-1]:.0f} ms")


WATCH_OBSERVER = """
const [name, want] = arguments;
window.__seen = null;
const done = () => {
  const row = document.querySelector(`.vbody .vrow[data-name="${name}"]`);
  if (row && row.dataset.state === want && window.__seen === null) {
    window.__seen = Date.now();
    window.__observer.disconnect();
  }
};
window.__observer = new MutationObserver(done);
window.__observer.observe(document.querySelector('.vbody'), { subtree: true, attributes: true, attributeFilter: ['data-state', 'data-name'] });
"""


def main():
    base = sys.argv[1].rstrip("/")
    load_samples = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    update_samples = int(sys.argv[3]) if len(sys.argv) > 3 else 10
    total = len(call("GET", f"{base}/api/v1/nodes")["items"])
    browser = Browser()
    try:
        loads, navs, alls, lists = [], [], [], []
        for i in range(load_samples):
            browser.get("about:blank")
            browser.get(f"{base}/ui/")
            rows = browser.wait_for("const m = performance.getEntriesByName('cara-rows-visible')[0]; return m && m.startTime", 120)
            nav = browser.script("const n = performance.getEntriesByType('navigation')[0]; "
                                 "return [n.responseEnd, n.domContentLoadedEventEnd, n.loadEventEnd]")
            listed = browser.script("const r = performance.getEntriesByType('resource')"
                                    ".find(e => e.name.endsWith('/api/v1/nodes')); "
                                    "return r ? [r.requestStart, r.responseStart, r.responseEnd, r.encodedBodySize] : null")
            counted = browser.wait_for("const c = document.querySelector('.count[data-count=total] .n'); "
                                       "return c && c.textContent.replace(/,/g, '') === arguments[0] && performance.now()",
                                       120, str(total))
            loads.append(rows)
            navs.append(nav)
            alls.append(counted)
            lists.append(listed[2] - listed[0])
            print(f"load {i + 1}: rows visible at {rows:.0f} ms (HTML at {nav[0]:.0f} ms, DOMContentLoaded "
                  f"{nav[1]:.0f} ms; node list requested at {listed[0]:.0f} ms, first byte {listed[1]:.0f} ms, last byte "
                  f"{listed[2]:.0f} ms, {listed[3] / 1e6:.1f} MB); page answering again after the watch's "
                  f"{total:,} initial events at {counted:.0f} ms", flush=True)
        print(f"(a) page load to rows visible, {total:,} nodes: {summary(loads)}")
        print(f"    of which the node list's request to last byte: {summary(lists)}")
        print(f"    page answering again after the watch's initial {total:,} events: {summary(alls)}")

        browser.wait_for("return document.getElementById('connection').dataset.status === 'live'", 60)
        names = browser.script("return [...document.querySelectorAll('.vbody .vrow[data-name]:not([hidden])')]"
                               ".slice(0, 5).map(r => r.dataset.name)")
        delays = []
        for i in range(update_samples):
            name = names[i % len(names)]
            before = browser.script(f"return document.querySelector('.vbody .vrow[data-name=\"{name}\"]').dataset.state")
            drain = before != "Draining"
            want = "Draining" if drain else "Ready"
            browser.script(WATCH_OBSERVER, name, want)
            sent = time.time() * 1000
            set_unschedulable(base, name, drain)
            seen = browser.wait_for("return window.__seen", 60)
            delays.append(seen - sent)
            print(f"update {i + 1}: {name} {before} -> {want} in the DOM {seen - sent:.0f} ms after the PUT was sent",
                  flush=True)
        print(f"(b) live-update delay (server change to DOM), {total:,} nodes: {summary(delays)}")

        browser.script("window.__long = []; new PerformanceObserver(l => l.getEntries().forEach(e => window.__long.push(e.duration)))"
                       ".observe({ type: 'longtask' });")
        time.sleep(10)
        long_tasks = browser.script("return window.__long")
        worst = max(long_tasks) if long_tasks else 0
        print(f"(c) main-thread tasks over 50 ms during 10 s of live heartbeats: {len(long_tasks)}, longest {worst:.0f} ms")
        browser.screenshot("/tmp/cara-ui-benchmark.png")
    finally:
        browser.close()


if __name__ == "__main__":
    main()
