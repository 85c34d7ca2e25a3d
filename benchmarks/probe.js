// Installed in every benchmarked page before its own scripts (Playwright's init script), so that every
// time is read on the page's own clock (performance.now(), 0 = navigation start):
// - every websocket frame: time, direction (0 sent, 1 received), bytes, the message's top-level
//   protobuf field (which ForwardMsg/BackMsg it is) and, for script_finished, its status;
// - when the socket was created and opened;
// - `arm(spec, atStart)`: watch, from the user's action (the first keydown or pointerdown after arming;
//   navigation start when `atStart`), until every card of the expected page shows a value sent by a run
//   begun after the action (`cards`; Streamlit draws each element as its delta arrives, so this is
//   usually before that run has finished), then until that run has finished and every chart is drawn
//   (`complete`); the result lands in `result`, with the cards' texts before the action and at `cards`.
//
// How a card is known to come from the new run (Streamlit 1.67's frontend, index.js `isElementStale`):
// an element is drawn with data-stale="true" while the app's script state is running (or a rerun was
// requested) and the element's scriptRunId is not the run's; it is "false" otherwise. A widget's rerun
// does not mark anything stale when it is sent: the old cards look fresh until the new run's
// new_session arrives. So a card counts only when its element container is not stale now and either
// was stale at some moment since the action (the new run was under way and has since sent it again), or
// its value's text changed since the action (only a new delta changes it: a run that sends its cards
// first may have them drawn in the same commit as its new_session, never marked stale), or
// did not exist when the action came (drawn since, as on a first visit or a page switch), or the new
// run has finished: its script_finished came, the script state is notRunning and was running since the
// action (or, for a run React drew in one commit, the page changed after script_finished arrived);
// Streamlit then removes every element the run did not send.
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

  // When the first run begun after `since` finished (its script_finished frame arrived), or null.
  const finishedAt = since => {
    let sent = false;
    for (const [t, direction, , field, status] of bench.frames) {
      if (t < since) continue;
      if (direction === 0 && field === RERUN) sent = true;
      else if (sent && direction === 1 && field === FINISHED && status !== EARLY) return t;
    }
    return null;
  };
  const finishedSince = since => finishedAt(since) !== null;
  const rerunSince = since => bench.frames.some(([t, direction, , field]) => t >= since && direction === 0 && field === RERUN);

  const CONTAINER = '[data-testid="stElementContainer"]';
  // Element containers marked stale since the action, and whether the script state has been
  // running since it: kept by a MutationObserver, which sees every committed change, even one
  // undone before the next frame.
  let wentStale = new WeakSet(), ranSince = false, present = new WeakSet();
  const watch = records => {
    if (!bench.armed || bench.action === null) return;
    for (const record of records) {
      const node = record.target;
      if (record.attributeName === 'data-stale') {
        if (record.oldValue === 'true' || node.getAttribute('data-stale') === 'true') wentStale.add(node);
      } else if (node.getAttribute('data-test-script-state') === 'running') ranSince = true;
    }
  };
  const observer = new MutationObserver(watch);
  observer.observe(document, {
    subtree: true, attributes: true, attributeOldValue: true, attributeFilter: ['data-stale', 'data-test-script-state'],
  });
  // When the page last changed: a run fast enough for React to commit it whole (the empty app's) never
  // shows the running state; the page changing after its script_finished arrived says it was drawn.
  // A card whose value text changed since the action was drawn by the new run (only a delta changes it);
  // the new run may send its cards before anything marks them stale, in the commit of its new_session.
  let changed = 0, rewritten = new WeakSet();
  const VALUE = '[data-testid="stMetricValue"]';
  const rewrite = records => {
    if (!records.length) return;
    changed = performance.now();
    if (!bench.armed || bench.action === null) return;
    for (const record of records) {
      const node = record.target.nodeType === Node.ELEMENT_NODE ? record.target : record.target.parentElement;
      const container = node && node.closest(VALUE) && node.closest(CONTAINER);
      if (container) rewritten.add(container);
    }
  };
  const content = new MutationObserver(rewrite);
  content.observe(document, { subtree: true, childList: true, characterData: true });

  const main = () => document.querySelector('[data-testid="stMain"]');
  const cardValues = root => Array.from(root.querySelectorAll('[data-testid="stMetric"] [data-testid="stMetricValue"]'));
  const texts = () => {
    const root = main();
    return root ? cardValues(root).map(value => value.innerText.trim()) : [];
  };
  // The cards of `spec` on screen, each with a value sent by a run begun after the action (see the top);
  // `spec.cards` 0: the page's first table drawn instead.
  const cardsSent = spec => {
    watch(observer.takeRecords());
    rewrite(content.takeRecords());
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || !rerunSince(bench.action)) return false;
    if (spec.path && location.pathname !== spec.path) return false;
    const root = main();
    if (!root) return false;
    const end = finishedAt(bench.action);
    const finished = end !== null && app.dataset.testScriptState === 'notRunning' && (ranSince || changed > end);
    const sent = node => {
      const container = node.closest(CONTAINER);
      return container !== null && container.getAttribute('data-stale') !== 'true'
        && (finished || wentStale.has(container) || rewritten.has(container) || !present.has(container));
    };
    if (spec.cards > 0) {
      const values = cardValues(root);
      return values.length >= spec.cards && values.every(value => value.innerText.trim() !== '' && sent(value));
    }
    const grid = root.querySelector('[data-testid="stDataFrame"] canvas');
    return grid !== null && sent(grid);
  };
  // The same cards once the run has finished (the earlier measure, kept for `complete`). A placeholder
  // is an element whose code is still loading (stSkeleton) or an `st.skeleton` the app drew in its
  // place (stSkeletonElement: a chart drawn after the cards on a first visit, dashboard/view/firstpaint.py).
  const notFresh = '[data-stale="true"], [data-testid="stSkeleton"], [data-testid="stSkeletonElement"]';
  const cardsShown = spec => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.dataset.testConnectionState !== 'CONNECTED' || app.dataset.testScriptState !== 'notRunning') return false;
    if (spec.path && location.pathname !== spec.path) return false;
    const root = main();
    if (!root) return false;
    if (spec.cards > 0) {
      const values = cardValues(root).filter(value => !value.closest(notFresh));
      return values.length >= spec.cards && values.every(value => value.innerText.trim() !== '');
    }
    const grid = root.querySelector('[data-testid="stDataFrame"] canvas');
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
    wentStale = new WeakSet();
    rewritten = new WeakSet();
    ranSince = false;
    present = new WeakSet(document.querySelectorAll(CONTAINER));
    const before = texts();
    let cards = null, shown = null;
    // requestAnimationFrame follows painting; the interval keeps polling should frames be throttled.
    const timer = setInterval(() => check(), 50);
    const check = () => {
      if (mine !== generation || bench.result) {
        clearInterval(timer);
        return true;
      }
      if (bench.action === null) return false;
      const now = performance.now();
      if (cards === null && cardsSent(spec)) {
        cards = now;
        shown = texts();
      }
      if (cards !== null && finishedSince(bench.action) && cardsShown(spec) && complete()) {
        bench.result = { action: bench.action, cards, complete: now, before, shown };
        bench.armed = false;
        clearInterval(timer);
        return true;
      }
      return false;
    };
    const poll = () => { if (!check()) requestAnimationFrame(poll); };
    requestAnimationFrame(poll);
  };
})();
