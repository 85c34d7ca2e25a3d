// Installed in every benchmarked page before its own scripts (Playwright's init script), so that every
// time is read on the page's own clock (performance.now(), 0 = navigation start):
// - every websocket frame: time, direction (0 sent, 1 received), bytes, the message's top-level
//   protobuf field (which ForwardMsg/BackMsg it is) and, for script_finished, its status;
// - when the socket was created and opened;
// - `arm(spec, atStart)`: watch until a run that began after the user's action (the first keydown or
//   pointerdown after arming; navigation start when `atStart`) has finished and the page shows its
//   cards (`cards`), then until every chart is drawn too (`complete`); the result lands in `result`.
(() => {
  if (window.__bench) return;
  const RERUN = __RERUN__, FINISHED = __FINISHED__, EARLY = __EARLY__;
  const bench = (window.__bench = { frames: [], created: null, opened: null, armed: false, action: null, result: null });

  // The first top-level field of a protobuf message other than ForwardMsg's hash (1) and metadata (2),
  // with its value when it is a varint (script_finished's status).
  const scan = bytes => {
    let i = 0;
    const varint = () => {
      let value = 0, shift = 0, byte;
      do {
        byte = bytes[i++];
        value += (byte & 0x7f) * 2 ** shift;
        shift += 7;
      } while (byte & 0x80 && i < bytes.length);
      return value;
    };
    while (i < bytes.length) {
      const key = varint(), field = Math.floor(key / 8), wire = key & 7;
      if (wire === 0) {
        const value = varint();
        if (field > 2) return [field, value];
      } else if (wire === 2) {
        const length = varint();
        if (field > 2) return [field, null];
        i += length;
      } else if (wire === 1) i += 8;
      else if (wire === 5) i += 4;
      else return [-1, null];
    }
    return [0, null];
  };
  const asBytes = data =>
    data instanceof ArrayBuffer ? new Uint8Array(data)
      : ArrayBuffer.isView(data) ? new Uint8Array(data.buffer, data.byteOffset, data.byteLength) : null;

  const Native = window.WebSocket;
  class Probe extends Native {
    constructor(...args) {
      super(...args);
      bench.created = bench.created ?? performance.now();
      this.addEventListener('open', () => { bench.opened = bench.opened ?? performance.now(); });
      this.addEventListener('message', event => {
        const t = performance.now(), bytes = asBytes(event.data);
        const [field, status] = bytes ? scan(bytes) : [0, null];
        bench.frames.push([t, 1, bytes ? bytes.length : (event.data.size ?? event.data.length), field, status]);
      });
    }
    send(data) {
      const bytes = asBytes(data);
      bench.frames.push([performance.now(), 0, bytes ? bytes.length : String(data).length, bytes ? scan(bytes)[0] : 0, null]);
      return super.send(data);
    }
  }
  window.WebSocket = Probe;

  for (const type of ['keydown', 'pointerdown']) {
    window.addEventListener(type, () => {
      if (bench.armed && bench.action === null) bench.action = performance.now();
    }, true);
  }

  const finishedSince = since => {
    let sent = false;
    for (const [t, direction, , field, status] of bench.frames) {
      if (t < since) continue;
      if (direction === 0 && field === RERUN) sent = true;
      else if (sent && direction === 1 && field === FINISHED && status !== EARLY) return true;
    }
    return false;
  };
  // The cards readable: connected, the run finished, `spec.cards` KPI cards on the expected page with a
  // value, none of them stale or a placeholder (0: the page's first table drawn instead).
  const notFresh = '[data-stale="true"], [data-testid="stSkeleton"]';
  const cardsShown = spec => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') return false;
    if (spec.path && location.pathname !== spec.path) return false;
    const main = document.querySelector('[data-testid="stMain"]');
    if (!main) return false;
    if (spec.cards > 0) {
      const values = Array.from(main.querySelectorAll('[data-testid="stMetric"] [data-testid="stMetricValue"]'))
        .filter(value => !value.closest(notFresh));
      return values.length >= spec.cards && values.every(value => value.innerText.trim() !== '');
    }
    const grid = main.querySelector('[data-testid="stDataFrame"] canvas');
    return grid !== null && !grid.closest(notFresh);
  };
  // The whole page settled: no status widget, nothing stale or a placeholder, every chart drawn.
  const complete = () =>
    !document.querySelector('[data-testid="stStatusWidget"], ' + notFresh)
    && Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"]')).every(chart => chart.querySelector('svg.main-svg'));

  let generation = 0;
  bench.arm = (spec, atStart) => {
    const mine = ++generation;
    bench.armed = true;
    bench.action = atStart ? 0 : null;
    bench.result = null;
    let cards = null;
    // requestAnimationFrame follows painting; the interval keeps polling should frames be throttled.
    const timer = setInterval(() => check(), 50);
    const check = () => {
      if (mine !== generation || bench.result) {
        clearInterval(timer);
        return true;
      }
      const now = performance.now();
      if (bench.action !== null && finishedSince(bench.action) && cardsShown(spec)) {
        cards = cards ?? now;
        if (complete()) {
          bench.result = { action: bench.action, cards, complete: now };
          bench.armed = false;
          clearInterval(timer);
          return true;
        }
      }
      return false;
    };
    const poll = () => { if (!check()) requestAnimationFrame(poll); };
    requestAnimationFrame(poll);
  };
})();
