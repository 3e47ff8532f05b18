/* The WhaTap local agent dashboard: polls the JSON API every two seconds and renders it. Values
   from the applications (URLs, SQL, stacks) are untrusted text: they only ever go into textContent. */
'use strict';
(() => {
  const REFRESH_MS = 2000;
  const BAND_NAMES = ['<1s', '1-3s', '3-8s', '8-15s', '>15s'];
  const BAND_COLORS = ['#1f9d6b', '#6cbf3f', '#e7c21b', '#e79a1b', '#d93b3b'];
  const token = new URLSearchParams(location.search).get('token');
  const view = { app: 0, kind: 'recent', frozen: false, apps: [] };
  const $ = id => document.getElementById(id);

  function api(path) {
    let url = path;
    if (token) { url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token); }
    return fetch(url, { cache: 'no-store' }).then(r => r.json().then(body => {
      if (!r.ok) { throw new Error(body.error || ('HTTP ' + r.status)); }
      return body;
    }));
  }

  function el(tag, attrs, ...children) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v == null) { continue; }
      if (k === 'class') { e.className = v; } else if (k.startsWith('data-')) { e.setAttribute(k, v); } else { e[k] = v; }
    }
    for (const c of children) {
      if (c == null) { continue; }
      e.append(c instanceof Node ? c : document.createTextNode(String(c)));
    }
    return e;
  }

  const ms = v => (v == null ? '–' : (v >= 10000 ? (v / 1000).toFixed(1) + ' s' : Math.round(v) + ' ms'));
  const pct = v => (v == null ? '–' : (v * 100).toFixed(1) + ' %');
  const appName = id => (view.apps.find(a => a.id === id) || { name: '#' + id }).name;
  const appColor = id => Charts.PALETTE[(id - 1) % Charts.PALETTE.length];

  function time(t) {
    const d = new Date(t);
    return Charts.clock(t) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  // ------------------------------------------------------------------ header, KPIs

  function renderApps(body) {
    view.apps = body.apps;
    const sel = $('app-select');
    const want = ['0'].concat(body.apps.map(a => String(a.id)));
    const have = Array.from(sel.options).map(o => o.value);
    if (want.join() !== have.join() || body.apps.some((a, i) => sel.options[i + 1].textContent !== label(a))) {
      const keep = sel.value;
      sel.replaceChildren(el('option', { value: '0' }, 'All applications'),
        ...body.apps.map(a => el('option', { value: String(a.id) }, label(a))));
      sel.value = want.includes(keep) ? keep : '0';
    }
    $('kpi-apps').textContent = body.apps.filter(a => a.live).length;
  }

  function label(a) {
    return a.name + ' (pid ' + a.pid + ')' + (a.live ? '' : ' – silent');
  }

  function renderSummary(s) {
    const last = s.last;
    const tps = last ? last.tps : 0;
    const k = $('kpi-tps');
    k.textContent = tps.toFixed(tps >= 100 ? 0 : 1);
    k.dataset.value = String(tps);
    $('kpi-avg').textContent = last ? ms(last.avg) : '–';
    $('kpi-p90').textContent = last ? ms(last.p90) : '–';
    $('kpi-errors').textContent = last ? pct(last.errorRate) : '–';
    $('kpi-active').textContent = last ? last.active : 0;
    $('interval-note').textContent = 'Figures of the last closed ' + s.intervalMs / 1000 + '-second interval' +
      (last ? ' (' + Charts.clock(last.t) + ')' : ' (the first one is still open)') + '; ' +
      s.open.count + ' transaction(s) so far in the open one.';
    const a = s.agent;
    $('agent-status').textContent = a.datagrams + ' datagrams, ' + a.completed + ' transactions, ' +
      a.malformed + ' malformed, ' + a.unknownFrames + ' unknown frames';
  }

  // ------------------------------------------------------------------ charts

  function renderSeries(body) {
    const pts = body.points;
    const xs = pts.map(p => p.t);
    Charts.line($('chart-tps'), { xs, series: [{ name: 'TPS', color: Charts.PALETTE[0], values: pts.map(p => p.tps) }] });
    Charts.line($('chart-resp'), {
      xs,
      series: [
        { name: 'avg', color: Charts.PALETTE[0], values: pts.map(p => (p.count ? p.avg : null)) },
        { name: 'p90', color: Charts.PALETTE[1], values: pts.map(p => (p.count ? p.p90 : null)) },
        { name: 'p99', color: Charts.PALETTE[3], values: pts.map(p => (p.count ? p.p99 : null)) },
      ],
    });
    Charts.stacked($('chart-active'), {
      xs,
      series: BAND_NAMES.map((n, i) => ({ name: n, color: BAND_COLORS[i], values: pts.map(p => p.bands[i] || 0) })),
    });
    Charts.line($('chart-errors'), {
      xs, series: [{ name: 'errors', color: '#d93b3b', values: pts.map(p => p.errorRate * 100) }], legend: false,
    });
    const perApp = body.apps || [{ id: body.app, name: appName(body.app), points: pts }];
    const appSeries = f => perApp.map(a => {
      const byT = new Map(a.points.map(p => [p.t, p]));
      return { name: a.name, color: appColor(a.id), values: xs.map(t => (byT.has(t) ? f(byT.get(t)) : null)) };
    });
    Charts.line($('chart-cpu'), { xs, series: appSeries(p => p.cpuPct), legend: true });
    Charts.line($('chart-heap'), { xs, series: appSeries(p => (p.heapUsed == null ? null : p.heapUsed / 1048576)), legend: true });
    Charts.line($('chart-gc'), { xs, series: appSeries(p => p.gcTimeMs), legend: true });
  }

  function renderHitmap(body) {
    const now = Date.now();
    // the window grows from one minute to five as points accumulate, so a fresh start is not a thin stripe
    const first = body.points.length ? body.points[0][0] : now;
    Charts.scatter($('chart-hitmap'), {
      x0: Math.max(now - 5 * 60000, Math.min(now - 60000, first - 5000)),
      x1: now,
      points: body.points.map(p => [p[0], p[1], p[3] ? '#d93b3b' : appColor(p[2])]),
    });
  }

  // ------------------------------------------------------------------ tables

  function renderTransactions(body) {
    if (view.frozen) { return; }
    const rows = body.transactions.map(t => {
      const tr = el('tr', { 'data-txid': t.txid, class: (t.error ? 'err ' : '') + (t.elapsed >= 1000 ? 'slow' : '') },
        el('td', {}, time(t.end)),
        el('td', {}, t.app),
        el('td', { title: t.name }, (t.method ? t.method + ' ' : '') + t.name),
        el('td', { class: 'status' }, t.status || ''),
        el('td', { class: 'num elapsed' }, t.elapsed),
        el('td', { class: 'num' }, t.steps),
        el('td', { class: 'errcls' }, t.errorClass || ''));
      return tr;
    });
    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', { colSpan: 7, class: 'muted' }, 'No transactions yet.')));
    }
    $('recent').tBodies[0].replaceChildren(...rows);
  }

  function renderActive(body) {
    const box = $('active');
    const parts = [];
    for (const a of body.apps) {
      const bands = a.bands.map((n, i) => BAND_NAMES[i] + ': ' + n).join('  ');
      const list = a.transactions.map(t => el('div', { class: 'active-tx' },
        el('div', {}, ms(t.runningMs) + '  ' + (t.method || '') + ' ' + t.name + '  (thread ' + t.threadId + ')'),
        t.stack ? el('details', { class: 'stack' }, el('summary', {}, 'stack (fetched through the back channel)'),
          el('pre', {}, t.stack)) : null));
      parts.push(el('div', { class: 'active-app' }, el('strong', {}, a.name + ' (pid ' + a.pid + '): ' + a.active + ' active'),
        el('div', { class: 'bands' }, bands || 'no ACTIVE_STATS yet'), ...list));
    }
    if (parts.length === 0) { parts.push(el('p', { class: 'muted' }, 'No application has reported yet.')); }
    box.replaceChildren(...parts);
  }

  function renderNames(body) {
    $('names-window').textContent = body.windowMs ? '(last ' + Math.round(body.windowMs / 1000) + ' s)' : '(since start)';
    const rows = body.names.slice(0, 30).map(n => el('tr', {},
      el('td', { title: n.name }, n.name),
      el('td', { class: 'num' }, n.count),
      el('td', { class: 'num' }, n.errors),
      el('td', { class: 'num' }, Math.round(n.avg)),
      el('td', { class: 'num' }, n.p90),
      el('td', { class: 'num' }, n.max)));
    $('names').tBodies[0].replaceChildren(...rows);
  }

  // ------------------------------------------------------------------ profile

  function txLink(txid, text) {
    const a = el('a', { class: 'txlink', 'data-txid': txid }, text);
    a.addEventListener('click', () => openProfile(txid));
    return a;
  }

  function openProfile(txid) {
    api('/api/transactions/' + encodeURIComponent(txid)).then(renderProfile, err => {
      showProfile(txid, 'Transaction ' + txid, [el('p', { class: 'muted' }, err.message)]);
    });
  }

  function showProfile(txid, title, nodes) {
    const p = $('profile');
    p.dataset.txid = txid;
    $('profile-title').textContent = title;
    $('profile-body').replaceChildren(...nodes);
    p.hidden = false;
    $('profile-backdrop').hidden = false;
  }

  function closeProfile() {
    $('profile').hidden = true;
    $('profile-backdrop').hidden = true;
  }

  function renderProfile(t) {
    const meta = el('dl', { class: 'meta' });
    const add = (k, v) => { if (v != null && v !== '') { meta.append(el('dt', {}, k), el('dd', {}, v)); } };
    add('Application', t.app + ' (pid ' + t.pid + ')');
    add('Transaction id', t.txid);
    add('Status', (t.status || '–') + (t.error ? '  error: ' + (t.errorClass || '') + (t.errorMessage ? ' – ' + t.errorMessage : '') : ''));
    add('Elapsed', t.elapsed + ' ms' + (t.startMissing ? ' (TX_START was lost: from the earliest step)' : ''));
    add('Start', new Date(t.start).toLocaleString() + ' (' + time(t.start) + ')');
    add('Method', t.method);
    add('Host', t.host);
    add('Client IP', t.clientIp);
    add('User agent', t.userAgent);
    add('Referer', t.referer);
    if (t.cpuMs) { add('CPU', t.cpuMs + ' ms'); }
    if (t.caller) {
      meta.append(el('dt', {}, 'Called by'), el('dd', {},
        t.caller.transaction ? txLink(t.caller.txid, t.caller.transaction.app + ' ' + t.caller.transaction.name)
          : (t.caller.spec || '') + ' txid ' + t.caller.txid + ' (not kept)'));
    }
    if (t.chain && t.chain.length) {
      const dd = el('dd', {});
      t.chain.forEach((c, i) => {
        if (i) { dd.append(', '); }
        dd.append(txLink(c.txid, c.app + ' ' + c.name + ' (' + c.elapsed + ' ms)'));
      });
      meta.append(el('dt', {}, 'Same trace'), dd);
    }
    if (t.stepsDropped) { add('Steps dropped', t.stepsDropped + ' (over agent_profile_steps_max)'); }

    const total = Math.max(t.elapsed, 1);
    const timeline = el('div', { class: 'timeline' });
    const bar = (cls, off, len) => el('div', {
      class: 'bar ' + cls,
      style: 'left:' + Math.min(100, Math.max(0, (off / total) * 100)) + '%;width:' +
        Math.max(0.3, Math.min(100, (len / total) * 100)) + '%',
    });
    const track = (...bars) => { const d = el('div', { class: 'track' }); d.append(...bars); return d; };
    timeline.append(el('div', { class: 'row' }, el('span', {}, 'transaction'), track(bar('tx', 0, total)), el('span', {}, t.elapsed + ' ms')));
    const steps = el('div', { class: 'steps' });
    t.stepList.forEach((s, i) => {
      timeline.append(el('div', { class: 'row step-row', 'data-index': String(i) },
        el('span', {}, el('span', { class: 'badge ' + s.kind }, s.kind)),
        track(bar(s.kind, s.offset, s.elapsed)),
        el('span', {}, '+' + s.offset + ' ms')));
      const head = el('div', { class: 'head' },
        el('span', { class: 'badge ' + s.kind }, s.kind),
        el('span', { class: 'when' }, '+' + s.offset + ' ms, ' + s.elapsed + ' ms'),
        el('span', { class: 'title' }, s.title || ''));
      const body = el('div', { class: 'step', 'data-kind': s.kind }, head);
      if (s.kind === 'sql') { body.append(el('div', { class: 'muted small' }, (s.detail || '') + (s.fetch ? '  rows: ' + s.fetch : ''))); }
      if (s.kind === 'httpc' && s.calleeTxid) {
        body.append(el('div', { class: 'small' }, 'callee: ', s.callee ? txLink(s.calleeTxid, s.callee.app + ' ' + s.callee.name + ' (' + s.callee.elapsed + ' ms)') : 'txid ' + s.calleeTxid + ' (not kept)'));
      }
      if (s.kind !== 'sql' && s.kind !== 'httpc' && s.detail) { body.append(el('div', { class: 'small' }, s.detail)); }
      if (s.text) { body.append(el('details', { class: 'stack' }, el('summary', {}, s.kind === 'msg' ? 'description' : 'stack'), el('pre', {}, s.text))); }
      steps.append(body);
    });
    if (t.stepList.length === 0) { steps.append(el('p', { class: 'muted' }, 'No profile steps were recorded.')); }
    const nodes = [meta, el('h3', {}, 'Timeline'), timeline, el('h3', {}, 'Steps (' + t.stepList.length + ')'), steps];
    if (t.activeStack) {
      nodes.push(el('h3', {}, 'Stack while it was running'), el('pre', {}, t.activeStack));
    }
    showProfile(t.txid, (t.method ? t.method + ' ' : '') + t.name, nodes);
  }

  // ------------------------------------------------------------------ loop

  function refresh() {
    const q = 'app=' + view.app;
    return Promise.all([
      api('/api/apps').then(renderApps),
      api('/api/summary?' + q).then(renderSummary),
      api('/api/series?minutes=15&' + q).then(renderSeries),
      api('/api/transactions?limit=40&kind=' + view.kind + '&' + q).then(renderTransactions),
      api('/api/active?' + q).then(renderActive),
      api('/api/stats/names?' + q).then(renderNames),
      api('/api/hitmap?minutes=5&' + q).then(renderHitmap),
    ]).catch(err => {
      $('agent-status').textContent = 'cannot reach the agent: ' + err.message;
      if (view.app !== 0 && /no application/.test(err.message)) { view.app = 0; $('app-select').value = '0'; }
    });
  }

  function loop() {
    refresh().finally(() => setTimeout(loop, REFRESH_MS));
  }

  $('app-select').addEventListener('change', e => { view.app = Number(e.target.value); view.frozen = false; refresh(); });
  for (const b of document.querySelectorAll('#tx-tabs button')) {
    b.addEventListener('click', () => {
      view.kind = b.dataset.kind;
      document.querySelectorAll('#tx-tabs button').forEach(x => x.classList.toggle('on', x === b));
      view.frozen = false;
      refresh();
    });
  }
  const table = $('recent');
  table.addEventListener('mouseenter', () => { view.frozen = true; });
  table.addEventListener('mouseleave', () => { view.frozen = false; });
  table.tBodies[0].addEventListener('click', e => {
    const tr = e.target.closest('tr[data-txid]');
    if (tr) { openProfile(tr.dataset.txid); }
  });
  $('profile-close').addEventListener('click', closeProfile);
  $('profile-backdrop').addEventListener('click', closeProfile);
  document.addEventListener('keydown', e => { if (e.key === 'Escape') { closeProfile(); } });
  window.addEventListener('resize', () => refresh());
  loop();
})();
