/* Charts for the WhaTap local agent dashboard, drawn by uPlot (bundled in the agent's jar, MIT):
   time series with a tooltip and drag-to-zoom, stacked bars, and the hitmap with box selection.
   One uPlot instance per container, kept and fed new data on every refresh. */
'use strict';
const Charts = (() => {
  const PALETTE = ['#2f6fec', '#e0612f', '#1f9d6b', '#9b4de0', '#d4a015', '#1a8fb3', '#d93b82', '#6b7486'];
  const HEIGHT = 180;
  const made = new Map(); // container element -> {u, key, x0, x1, raw, opts}

  const two = n => String(n).padStart(2, '0');
  function clock(t) {
    const d = new Date(t);
    return two(d.getHours()) + ':' + two(d.getMinutes()) + ':' + two(d.getSeconds());
  }
  function stamp(t) {
    const d = new Date(t);
    return d.getFullYear() + '-' + two(d.getMonth() + 1) + '-' + two(d.getDate()) + ' ' + clock(t);
  }
  function fmt(v) {
    if (v == null || Number.isNaN(v)) { return '–'; }
    if (Math.abs(v) >= 1e6) { return (v / 1e6).toFixed(1) + 'M'; }
    if (Math.abs(v) >= 1e4) { return (v / 1e3).toFixed(0) + 'k'; }
    if (Math.abs(v) >= 100 || v === Math.round(v)) { return String(Math.round(v)); }
    return v.toFixed(2);
  }
  /** A round upper bound for a y axis starting at zero. */
  function niceMax(max) {
    if (!(max > 0)) { return 1; }
    const pow = Math.pow(10, Math.floor(Math.log10(max)));
    return [1, 1.2, 1.5, 2, 2.5, 3, 4, 5, 6, 8, 10].map(m => m * pow).find(s => s >= max * 1.05) || max * 1.1;
  }
  const nonNull = a => a.reduce((n, v) => n + (v == null ? 0 : 1), 0);

  /** A tooltip that follows the cursor and shows every series' value at the nearest time. */
  function tooltip(entry) {
    let tip;
    return {
      hooks: {
        init: u => {
          tip = document.createElement('div');
          tip.className = 'chart-tip';
          tip.hidden = true;
          u.over.appendChild(tip);
          u.over.addEventListener('mouseleave', () => { tip.hidden = true; });
        },
        setCursor: u => {
          const i = u.cursor.idx;
          if (i == null || u.cursor.left == null || u.cursor.left < 0) { tip.hidden = true; return; }
          const lines = entry.describe(u, i);
          if (!lines.length) { tip.hidden = true; return; }
          tip.replaceChildren(...lines.map((l, k) => {
            const row = document.createElement('div');
            if (k === 0) { row.className = 'tip-head'; }
            if (l.color) {
              const dot = document.createElement('span');
              dot.className = 'tip-dot';
              dot.style.background = l.color;
              row.append(dot);
            }
            row.append(document.createTextNode(l.text));
            return row;
          }));
          tip.hidden = false;
          const w = tip.offsetWidth;
          const left = u.cursor.left + 14 + w > u.over.clientWidth ? u.cursor.left - 14 - w : u.cursor.left + 14;
          tip.style.left = Math.max(0, left) + 'px';
          tip.style.top = Math.max(0, Math.min(u.cursor.top, u.over.clientHeight - tip.offsetHeight)) + 'px';
        },
      },
    };
  }

  function sizeOf(container) {
    return { width: Math.max(240, container.clientWidth || 300), height: Number(container.dataset.height || HEIGHT) };
  }

  function keyOf(kind, series) {
    return kind + '|' + series.map(s => s.name + ':' + s.color).join(',');
  }

  function make(container, key, opts, data, entry) {
    const old = made.get(container);
    if (old) { old.u.destroy(); }
    container.replaceChildren();
    entry.key = key;
    entry.u = new uPlot(Object.assign(sizeOf(container), opts), data, container);
    if (!container.dataset.ready) { container.addEventListener('mousedown', e => dragStart(container, e), true); }
    made.set(container, entry);
    container.dataset.ready = '1';
    return entry;
  }

  /**
   * A drag across a chart, measured from the press to the release (uPlot draws the box while it
   * moves; its own box lags behind a quick release, so the result is taken from the two events).
   * Zoom charts get the time span; the hitmap gets the box of time and elapsed.
   */
  function dragStart(container, down) {
    const entry = made.get(container);
    if (!entry || down.button !== 0 || !entry.u.over.contains(down.target)) { return; }
    const u = entry.u;
    const r = u.over.getBoundingClientRect();
    u.syncRect(); // uPlot re-reads the plot's position only on scroll and resize; tables above it change height
    const clamp = (v, max) => Math.max(0, Math.min(max, v));
    const x0 = clamp(down.clientX - r.left, r.width);
    const y0 = clamp(down.clientY - r.top, r.height);
    document.addEventListener('mouseup', up => {
      const x1 = clamp(up.clientX - r.left, r.width);
      const y1 = clamp(up.clientY - r.top, r.height);
      const left = Math.min(x0, x1);
      const width = Math.abs(x1 - x0);
      if (width < 5) { return; }
      if (entry.onSelect) {
        const top = Math.abs(y1 - y0) < 5 ? 0 : Math.min(y0, y1);
        const height = Math.abs(y1 - y0) < 5 ? r.height : Math.abs(y1 - y0);
        u.setSelect({ left, top, width, height }, false);
        const box = {
          from: Math.floor(u.posToVal(left, 'x')), to: Math.ceil(u.posToVal(left + width, 'x')),
          maxMs: top <= 1 ? Infinity : Math.ceil(u.posToVal(top, 'y')),
          minMs: top + height >= r.height - 1 ? 0 : Math.floor(u.posToVal(top + height, 'y')),
        };
        entry.onSelect(box);
      } else if (entry.onZoom) {
        u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
        entry.onZoom(Math.round(u.posToVal(left, 'x')), Math.round(u.posToVal(left + width, 'x')));
      }
    }, { once: true });
  }

  /**
   * Lines (or stacked bars) over time.
   * opts = {xs: [epoch ms], series: [{name, color, values: [number|null]}], x0, x1 (the time range shown),
   *         stacked: bool, unit: ' ms', onZoom(from, to)}
   */
  function time(container, opts) {
    const stacked = !!opts.stacked;
    const key = keyOf(stacked ? 'bars' : 'line', opts.series);
    let entry = made.get(container);
    const xs = opts.xs || [];
    let values = opts.series.map(s => s.values);
    if (stacked) {
      // drawn as cumulative bars, the largest (the total) first so that each lower band paints over it
      const acc = xs.map(() => 0);
      values = values.map(v => v.map((n, i) => (acc[i] += n || 0)));
      values.reverse();
    }
    let max = 0;
    for (const v of values) { for (const n of v) { if (n != null && n > max) { max = n; } } }
    const data = [xs].concat(values);
    if (!entry || entry.key !== key) {
      entry = { x0: opts.x0, x1: opts.x1, yMax: 1 };
      const drawn = stacked ? opts.series.slice().reverse() : opts.series;
      entry.describe = (u, i) => {
        const lines = [{ text: stamp(u.data[0][i]) }];
        for (const s of entry.series) {
          const v = s.values[i];
          if (v != null) { lines.push({ color: s.color, text: s.name + ': ' + fmt(v) + (entry.unit || '') }); }
        }
        return lines.length > 1 ? lines : [];
      };
      const bars = uPlot.paths && uPlot.paths.bars ? uPlot.paths.bars({ size: [0.8, 40] }) : undefined;
      make(container, key, {
        ms: 1,
        legend: { show: false },
        padding: [8, 8, 0, 0],
        cursor: { drag: { x: true, y: false, setScale: false }, points: { size: 6 } },
        scales: {
          x: { time: true, range: () => [entry.x0, entry.x1] },
          y: { range: () => [0, entry.yMax] },
        },
        axes: [
          { stroke: '#6b7486', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e3e7ee' } },
          { stroke: '#6b7486', grid: { stroke: '#eef0f4' }, ticks: { stroke: '#e3e7ee' }, size: 46, values: (u, t) => t.map(v => (v == null ? '' : fmt(v))) },
        ],
        series: [{}].concat(drawn.map(s => (stacked
          ? { label: s.name, stroke: s.color, fill: s.color, width: 0, paths: bars, points: { show: false } }
          : {
            label: s.name, stroke: s.color, width: 1.6, spanGaps: false,
            // a lone interval (or a handful) is shown as points: a line needs two
            points: { show: (u, si) => nonNull(u.data[si]) < 40, size: 6, fill: s.color },
          }))),
        plugins: [tooltip(entry)],
      }, data, entry);
    }
    entry.x0 = opts.x0 != null ? opts.x0 : (xs.length ? xs[0] : Date.now() - 60000);
    entry.x1 = opts.x1 != null ? opts.x1 : (xs.length ? xs[xs.length - 1] : Date.now());
    if (entry.x1 <= entry.x0) { entry.x1 = entry.x0 + 1000; }
    entry.yMax = niceMax(max);
    entry.series = opts.series;
    entry.unit = opts.unit;
    entry.onZoom = opts.onZoom;
    container.dataset.points = String(xs.length);
    container.dataset.x0 = String(entry.x0);
    container.dataset.x1 = String(entry.x1);
    entry.u.setData(data);
    legend(container, opts.series);
  }

  /** The series' names and colours under the chart (uPlot's own legend is off: the tooltip shows values). */
  function legend(container, series) {
    let box = container.nextElementSibling;
    if (!box || !box.classList.contains('chart-legend')) {
      box = document.createElement('div');
      box.className = 'chart-legend';
      container.after(box);
    }
    const want = series.map(s => s.name + s.color).join('|');
    if (box.dataset.key === want) { return; }
    box.dataset.key = want;
    box.replaceChildren(...(series.length > 1 ? series : []).map(s => {
      const item = document.createElement('span');
      const dot = document.createElement('span');
      dot.className = 'tip-dot';
      dot.style.background = s.color;
      item.append(dot, document.createTextNode(s.name));
      return item;
    }));
  }

  /**
   * The hitmap: every transaction as a point, end time against elapsed on a log scale (red: failed).
   * opts = {points: [[end, elapsed, appId, error]], x0, x1, onSelect({from, to, minMs, maxMs})}
   * Dragging a box selects the transactions inside it.
   */
  function hitmap(container, opts) {
    const pts = (opts.points || []).slice().sort((a, b) => a[0] - b[0]);
    const xs = pts.map(p => p[0]);
    const ok = pts.map(p => (p[3] ? null : Math.max(1, p[1])));
    const err = pts.map(p => (p[3] ? Math.max(1, p[1]) : null));
    let top = 10;
    for (const p of pts) { if (p[1] > top) { top = p[1]; } }
    const data = [xs, ok, err];
    let entry = made.get(container);
    if (!entry || entry.key !== 'hitmap') {
      entry = { x0: opts.x0, x1: opts.x1, top: 10 };
      entry.describe = (u, i) => {
        const v = u.data[1][i] != null ? u.data[1][i] : u.data[2][i];
        return v == null ? [] : [{ text: stamp(u.data[0][i]) },
          { color: u.data[2][i] != null ? '#d93b3b' : PALETTE[0], text: fmt(v) + ' ms' + (u.data[2][i] != null ? ' (failed)' : '') }];
      };
      const dots = color => ({
        stroke: color, fill: color, width: 0, paths: () => null,
        points: { show: true, size: 4, width: 0, stroke: color, fill: color },
      });
      make(container, 'hitmap', {
        ms: 1,
        legend: { show: false },
        padding: [8, 8, 0, 0],
        cursor: { drag: { x: true, y: true, setScale: false }, points: { show: false } },
        scales: {
          x: { time: true, range: () => [entry.x0, entry.x1] },
          y: { distr: 3, log: 10, range: () => [1, entry.top] },
        },
        axes: [
          { stroke: '#6b7486', grid: { stroke: '#eef0f4' } },
          { stroke: '#6b7486', grid: { stroke: '#eef0f4' }, size: 50, values: (u, t) => t.map(v => (v == null ? '' : v >= 1000 ? v / 1000 + 's' : v + 'ms')) },
        ],
        series: [{}, Object.assign({ label: 'ok' }, dots(PALETTE[0])), Object.assign({ label: 'failed' }, dots('#d93b3b'))],
        plugins: [tooltip(entry)],
      }, data, entry);
    }
    entry.x0 = opts.x0;
    entry.x1 = opts.x1 > opts.x0 ? opts.x1 : opts.x0 + 1000;
    entry.top = Math.pow(10, Math.ceil(Math.log10(top + 1)));
    entry.onSelect = opts.onSelect;
    container.dataset.points = String(pts.length);
    container.dataset.x0 = String(entry.x0);
    container.dataset.x1 = String(entry.x1);
    entry.u.setData(data);
  }

  function resize() {
    for (const [container, entry] of made) {
      if (!container.isConnected) { entry.u.destroy(); made.delete(container); continue; }
      const s = sizeOf(container);
      if (container.offsetParent !== null && (s.width !== entry.u.width || s.height !== entry.u.height)) {
        entry.u.setSize(s);
      }
    }
  }

  return { time, hitmap, resize, PALETTE, clock, stamp, fmt };
})();
