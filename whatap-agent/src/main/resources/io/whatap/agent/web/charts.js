/* Small canvas charts for the WhaTap local agent dashboard: time-series lines, stacked bars and a
   scatter (hitmap). Written for this page so that it works offline, from the agent's jar alone. */
'use strict';
const Charts = (() => {
  const PALETTE = ['#2f6fec', '#e0612f', '#1f9d6b', '#9b4de0', '#d4a015', '#1a8fb3', '#d93b82', '#6b7486'];
  const PAD = { left: 46, right: 10, top: 22, bottom: 22 };

  function setup(canvas) {
    const dpr = window.devicePixelRatio || 1;
    const w = canvas.clientWidth || 300;
    const h = canvas.clientHeight || 150;
    if (canvas.width !== Math.round(w * dpr) || canvas.height !== Math.round(h * dpr)) {
      canvas.width = Math.round(w * dpr);
      canvas.height = Math.round(h * dpr);
    }
    const ctx = canvas.getContext('2d');
    ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
    ctx.clearRect(0, 0, w, h);
    ctx.font = '11px system-ui, sans-serif';
    return { ctx, w, h, pw: w - PAD.left - PAD.right, ph: h - PAD.top - PAD.bottom };
  }

  /** A round upper bound for the y axis and its step (1, 2 or 5 times a power of ten). */
  function niceScale(max, ticks) {
    if (!(max > 0)) { max = 1; }
    const raw = max / ticks;
    const pow = Math.pow(10, Math.floor(Math.log10(raw)));
    const step = [1, 2, 5, 10].map(m => m * pow).find(s => s >= raw);
    return { max: step * Math.ceil(max / step), step };
  }

  function fmt(v) {
    if (Math.abs(v) >= 1e6) { return (v / 1e6).toFixed(1) + 'M'; }
    if (Math.abs(v) >= 1e4) { return (v / 1e3).toFixed(0) + 'k'; }
    if (Math.abs(v) >= 100 || v === Math.round(v)) { return String(Math.round(v)); }
    return v.toFixed(1);
  }

  function clock(t) {
    const d = new Date(t);
    return String(d.getHours()).padStart(2, '0') + ':' + String(d.getMinutes()).padStart(2, '0') + ':' +
      String(d.getSeconds()).padStart(2, '0');
  }

  function frame(g, x0, x1, yMax, yStep, yLabel) {
    const { ctx, pw, ph } = g;
    ctx.strokeStyle = '#e3e7ee';
    ctx.fillStyle = '#6b7486';
    ctx.lineWidth = 1;
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let v = 0; v <= yMax + yStep / 2; v += yStep) {
      const y = PAD.top + ph - (v / yMax) * ph;
      ctx.beginPath();
      ctx.moveTo(PAD.left, Math.round(y) + 0.5);
      ctx.lineTo(PAD.left + pw, Math.round(y) + 0.5);
      ctx.stroke();
      ctx.fillText(yLabel ? yLabel(v) : fmt(v), PAD.left - 4, y);
    }
    ctx.textBaseline = 'top';
    const span = x1 - x0;
    if (span > 0) {
      const n = Math.max(2, Math.floor(pw / 90));
      for (let i = 0; i <= n; i++) {
        const t = x0 + (span * i) / n;
        ctx.textAlign = i === 0 ? 'left' : i === n ? 'right' : 'center';
        ctx.fillText(clock(t), PAD.left + (pw * i) / n, PAD.top + ph + 5);
      }
    }
  }

  function empty(g, text) {
    g.ctx.fillStyle = '#9aa2b3';
    g.ctx.textAlign = 'center';
    g.ctx.textBaseline = 'middle';
    g.ctx.fillText(text || 'waiting for data…', g.w / 2, g.h / 2);
  }

  function legend(g, series) {
    const { ctx } = g;
    let x = PAD.left + 4;
    ctx.textAlign = 'left';
    ctx.textBaseline = 'top';
    for (let i = 0; i < series.length; i++) {
      const s = series[i];
      const width = 22 + ctx.measureText(s.name).width;
      if (x + width > g.w - PAD.right && i > 0) {
        ctx.fillStyle = '#4a5265';
        ctx.fillText('+' + (series.length - i), x, 3);
        return;
      }
      ctx.fillStyle = s.color;
      ctx.fillRect(x, 7, 10, 3);
      ctx.fillStyle = '#4a5265';
      ctx.fillText(s.name, x + 14, 3);
      x += width;
    }
  }

  /** Lines over time: opts = {xs: [t], series: [{name, color, values: [number|null]}], yLabel} */
  function line(canvas, opts) {
    const g = setup(canvas);
    const xs = opts.xs || [];
    if (xs.length === 0) { empty(g); return; }
    const x0 = xs[0];
    const x1 = xs.length > 1 ? xs[xs.length - 1] : x0 + 1;
    let max = 0;
    for (const s of opts.series) { for (const v of s.values) { if (v != null && v > max) { max = v; } } }
    const sc = niceScale(max, 4);
    frame(g, x0, x1, sc.max, sc.step, opts.yLabel);
    const { ctx, pw, ph } = g;
    const px = t => PAD.left + ((t - x0) / (x1 - x0)) * pw;
    const py = v => PAD.top + ph - (v / sc.max) * ph;
    for (const s of opts.series) {
      ctx.strokeStyle = s.color;
      ctx.lineWidth = 1.6;
      ctx.beginPath();
      let pen = false;
      s.values.forEach((v, i) => {
        if (v == null) { pen = false; return; }
        if (pen) { ctx.lineTo(px(xs[i]), py(v)); } else { ctx.moveTo(px(xs[i]), py(v)); pen = true; }
      });
      ctx.stroke();
      if (xs.length === 1 && s.values[0] != null) {
        ctx.fillStyle = s.color;
        ctx.fillRect(px(xs[0]) - 2, py(s.values[0]) - 2, 4, 4);
      }
    }
    if (opts.series.length > 1 || opts.legend) { legend(g, opts.series); }
  }

  /** Stacked bars over time: opts = {xs, series: [{name, color, values}]} */
  function stacked(canvas, opts) {
    const g = setup(canvas);
    const xs = opts.xs || [];
    if (xs.length === 0) { empty(g); return; }
    const totals = xs.map((_, i) => opts.series.reduce((a, s) => a + (s.values[i] || 0), 0));
    const sc = niceScale(Math.max(...totals), 4);
    const x0 = xs[0];
    const x1 = xs.length > 1 ? xs[xs.length - 1] : x0 + 1;
    frame(g, x0, x1, sc.max, sc.step);
    const { ctx, pw, ph } = g;
    const bw = Math.max(1, pw / Math.max(xs.length, 1) - 1);
    xs.forEach((t, i) => {
      let base = 0;
      const x = PAD.left + (xs.length > 1 ? ((t - x0) / (x1 - x0)) * (pw - bw) : 0);
      for (const s of opts.series) {
        const v = s.values[i] || 0;
        if (v > 0) {
          ctx.fillStyle = s.color;
          const y0 = PAD.top + ph - (base / sc.max) * ph;
          const y1 = PAD.top + ph - ((base + v) / sc.max) * ph;
          ctx.fillRect(x, y1, bw, y0 - y1);
        }
        base += v;
      }
    });
    legend(g, opts.series);
  }

  /** Scatter of elapsed over time on a log scale: opts = {points: [[t, ms, color]], x0, x1} */
  function scatter(canvas, opts) {
    const g = setup(canvas);
    const pts = opts.points || [];
    const x0 = opts.x0;
    const x1 = opts.x1;
    let max = 10;
    for (const p of pts) { if (p[1] > max) { max = p[1]; } }
    const top = Math.pow(10, Math.ceil(Math.log10(max + 1)));
    const { ctx, pw, ph } = g;
    const ly = v => Math.log10(Math.max(v, 0) + 1) / Math.log10(top + 1);
    ctx.strokeStyle = '#e3e7ee';
    ctx.fillStyle = '#6b7486';
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (let v = 1; v <= top; v *= 10) {
      const y = PAD.top + ph - ly(v) * ph;
      ctx.beginPath();
      ctx.moveTo(PAD.left, Math.round(y) + 0.5);
      ctx.lineTo(PAD.left + pw, Math.round(y) + 0.5);
      ctx.stroke();
      ctx.fillText(v >= 1000 ? v / 1000 + 's' : v + 'ms', PAD.left - 4, y);
    }
    frame(g, x0, x1, 1, 2, () => '');
    if (pts.length === 0) { empty(g, 'no transactions in the last 5 minutes'); return; }
    for (const p of pts) {
      ctx.fillStyle = p[2];
      const x = PAD.left + ((p[0] - x0) / (x1 - x0)) * pw;
      const y = PAD.top + ph - ly(p[1]) * ph;
      ctx.fillRect(x - 1.5, y - 1.5, 3, 3);
    }
  }

  return { line, stacked, scatter, PALETTE, clock };
})();
