/* The WhaTap local agent dashboard. Pages are chosen by the URL's fragment (#/, #/name/<name>,
   #/tx/<txid>, #/errors[/<group>], #/sql, #/calls, #/jvm), so every view is a link that survives a
   reload; the time range rides along (?range=1h or ?from=&to=, epoch ms). Values from the
   applications (URLs, SQL, stacks) are untrusted text: they only ever go into textContent.

   Transaction ids are shown one way everywhere: as unsigned 64-bit decimal numbers (WhaTap's txids
   are 64-bit; the API carries them as signed decimal strings, converted here with BigInt). */
'use strict';
(() => {
  const LIVE_REFRESH_MS = 2000;
  const RANGE_REFRESH_MS = 30000;
  const LIVE_WINDOW_MS = 15 * 60000;
  const PRESETS = { '15m': 15 * 60000, '1h': 3600000, '6h': 6 * 3600000, '24h': 24 * 3600000, '7d': 7 * 24 * 3600000 };
  const BAND_NAMES = ['<1s', '1-3s', '3-8s', '8-15s', '>15s'];
  const BAND_COLORS = ['#1f9d6b', '#6cbf3f', '#e7c21b', '#e79a1b', '#d93b3b'];
  const PROFILE_FETCH_MAX = 150; // profiles read per view when an aggregate endpoint is absent
  const token = new URLSearchParams(location.search).get('token');
  const view = {
    app: 0, kind: 'recent', frozen: false, apps: [], range: { preset: 'live' }, page: 'overview', arg: null,
    names: [], namesSort: { key: 'sum', dir: -1 }, hitBox: null, lastPage: '#/', timer: null, seq: 0,
  };
  const profiles = new Map(); // txid (signed, as the API speaks) -> profile; completed profiles never change
  const $ = id => document.getElementById(id);

  // ------------------------------------------------------------------ API

  class ApiError extends Error {
    constructor(status, message) { super(message); this.status = status; }
  }

  function api(path, method) {
    let url = path;
    if (token) { url += (url.includes('?') ? '&' : '?') + 'token=' + encodeURIComponent(token); }
    return fetch(url, { cache: 'no-store', method: method || 'GET' }).then(r => r.json().then(body => {
      if (!r.ok) { throw new ApiError(r.status, body.error || ('HTTP ' + r.status)); }
      return body;
    }));
  }

  /**
   * An endpoint of the history store: null when this agent has none (404 "no such API") or its
   * store is off (503); view.storeOff tells which, for the page's note.
   */
  function optional(path) {
    return api(path).catch(e => {
      if (e.status === 404 && /^no such API/.test(e.message)) { return null; }
      if (e.status === 503) { view.storeOff = true; return null; }
      throw e;
    });
  }

  /**
   * A list that takes a time range: live asks memory (the newest, as it arrives); a chosen range asks
   * with from/to, and memory again when the store is off (503).
   */
  function ranged(path) {
    const sep = path.includes('?') ? '&' : '?';
    const memory = () => api(path + sep + memoryQuery());
    if (view.range.preset === 'live') { return memory(); }
    return api(path + sep + rangeQuery()).catch(e => {
      if (e.status === 503) { view.storeOff = true; return memory(); }
      throw e;
    });
  }

  // ------------------------------------------------------------------ helpers

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
  const appColor = id => Charts.PALETTE[(id - 1 + Charts.PALETTE.length) % Charts.PALETTE.length];
  /** The txid as shown and linked: unsigned decimal. */
  const shownTxid = s => { try { return BigInt.asUintN(64, BigInt(s)).toString(); } catch (e) { return String(s); } };
  /** The txid as the API reads it: signed decimal. */
  const apiTxid = s => { try { return BigInt.asIntN(64, BigInt(s)).toString(); } catch (e) { return String(s); } };

  function time(t) {
    const d = new Date(t);
    return Charts.clock(t) + '.' + String(d.getMilliseconds()).padStart(3, '0');
  }

  // ------------------------------------------------------------------ time range

  /** The window shown now: {from, to} in epoch ms. */
  function windowNow() {
    const r = view.range;
    if (r.preset === 'custom') { return { from: r.from, to: r.to }; }
    const to = Date.now();
    return { from: to - (r.preset === 'live' ? LIVE_WINDOW_MS : PRESETS[r.preset]), to };
  }

  /** from/to for the history store, and minutes for the in-memory endpoints (which keep at most a day). */
  function rangeQuery() {
    const w = windowNow();
    const minutes = Math.max(1, Math.min(1440, Math.ceil((Date.now() - w.from) / 60000)));
    return 'from=' + w.from + '&to=' + w.to + '&minutes=' + minutes + '&app=' + view.app;
  }

  /** What the in-memory endpoints take: how many minutes back (they keep at most a day). */
  function memoryQuery() {
    const w = windowNow();
    return 'minutes=' + Math.max(1, Math.min(1440, Math.ceil((Date.now() - w.from) / 60000))) + '&app=' + view.app;
  }

  function rangeHash() {
    const r = view.range;
    const q = r.preset === 'custom' ? 'from=' + r.from + '&to=' + r.to : (r.preset === 'live' ? '' : 'range=' + r.preset);
    return [q, view.app ? 'app=' + view.app : ''].filter(x => x).join('&');
  }

  function setRange(range) {
    view.range = range;
    go(pagePath());
  }

  function renderRangeBar() {
    const r = view.range;
    for (const b of document.querySelectorAll('#range button')) { b.classList.toggle('on', b.dataset.range === r.preset); }
    $('range-custom').hidden = r.preset !== 'custom';
    const w = windowNow();
    $('range-label').textContent = r.preset === 'live' ? 'last 15 minutes, refreshed every 2 s'
      : Charts.stamp(w.from) + ' – ' + Charts.stamp(w.to) + (r.preset === 'custom' ? '' : ' (refreshed every 30 s)');
    if (r.preset === 'custom') {
      $('range-from').value = localInput(r.from);
      $('range-to').value = localInput(r.to);
    }
  }

  function localInput(t) {
    const d = new Date(t - new Date(t).getTimezoneOffset() * 60000);
    return d.toISOString().slice(0, 19);
  }

  function zoomTo(from, to) {
    if (to - from < 1000) { return; }
    setRange({ preset: 'custom', from, to });
  }

  // ------------------------------------------------------------------ routing

  function pagePath() {
    if (view.page === 'tx') { return '#/tx/' + view.arg; }
    if (view.page === 'overview') { return '#/'; }
    return '#/' + view.page + (view.arg != null ? '/' + encodeURIComponent(view.arg) : '');
  }

  function go(path) {
    const q = rangeHash();
    const target = path + (q ? '?' + q : '');
    if (location.hash === target) { route(); } else { location.hash = target; }
  }

  function parseHash() {
    const h = location.hash.replace(/^#/, '') || '/';
    const qAt = h.indexOf('?');
    const path = qAt >= 0 ? h.slice(0, qAt) : h;
    const q = new URLSearchParams(qAt >= 0 ? h.slice(qAt + 1) : '');
    const parts = path.split('/').filter((p, i) => i > 0);
    const page = parts[0] || 'overview';
    const rest = parts.slice(1).join('/');
    let arg = null;
    if (rest) { try { arg = decodeURIComponent(rest); } catch (e) { arg = rest; } }
    if (qAt < 0) {
      // a plain link (#/errors, #/tx/<txid>): the time range and application stay as they are
      const keep = rangeHash();
      if (keep) { history.replaceState(null, '', '#' + path + '?' + keep); }
      return { page: pageOf(page), arg };
    }
    if (q.get('from') && q.get('to')) {
      const from = Number(q.get('from'));
      const to = Number(q.get('to'));
      if (from > 0 && to > from) { view.range = { preset: 'custom', from, to }; }
    } else if (PRESETS[q.get('range')]) {
      view.range = { preset: q.get('range') };
    } else {
      view.range = { preset: 'live' };
    }
    view.app = Number(q.get('app') || 0) || 0;
    return { page: pageOf(page), arg };
  }

  function pageOf(page) {
    return ['overview', 'name', 'tx', 'errors', 'sql', 'calls', 'jvm'].includes(page) ? page : 'overview';
  }

  function route() {
    const r = parseHash();
    $('app-select').value = String(view.app);
    if (r.page === 'tx') {
      // a profile opens over the page it was reached from (the overview after a reload)
      view.page = 'tx';
      view.arg = r.arg;
      const under = view.under || 'overview';
      showPage(under);
      openProfile(r.arg);
    } else {
      closeProfileView();
      view.page = r.page;
      view.arg = r.arg;
      view.under = r.page;
      view.underArg = r.arg;
      view.lastPage = location.hash;
      showPage(r.page);
    }
    renderRangeBar();
    view.hitBox = null;
    $('hitmap-selection').hidden = true;
    refresh();
  }

  function showPage(page) {
    for (const p of document.querySelectorAll('main > .page')) { p.hidden = p.id !== 'page-' + page; }
    for (const a of document.querySelectorAll('#nav a')) { a.classList.toggle('on', a.dataset.page === page); }
    document.body.dataset.page = page;
    Charts.resize();
  }

  // ------------------------------------------------------------------ refresh loop

  function schedule() {
    clearTimeout(view.timer);
    const r = view.range.preset;
    if (r === 'custom') { return; }
    view.timer = setTimeout(refresh, r === 'live' ? LIVE_REFRESH_MS : RANGE_REFRESH_MS);
  }

  function refresh() {
    clearTimeout(view.timer);
    const seq = ++view.seq;
    const page = view.page === 'tx' ? (view.under || 'overview') : view.page;
    const arg = view.page === 'tx' ? view.underArg : view.arg;
    const work = [api('/api/apps').then(renderApps), api('/api/summary?app=' + view.app).then(renderSummary)];
    if (page === 'overview') { work.push(refreshOverview()); }
    if (page === 'name') { work.push(refreshName(arg)); }
    if (page === 'errors') { work.push(refreshErrors(arg)); }
    if (page === 'sql') { work.push(refreshAggregates('sql')); }
    if (page === 'calls') { work.push(refreshAggregates('calls')); }
    if (page === 'jvm') { work.push(refreshJvm()); }
    return Promise.all(work).then(() => { document.body.dataset.refreshed = String(seq); }, err => {
      $('agent-status').textContent = 'cannot reach the agent: ' + err.message;
      if (view.app !== 0 && /no application/.test(err.message)) { view.app = 0; go(pagePath()); }
    }).finally(() => { if (seq === view.seq) { schedule(); } });
  }

  // ------------------------------------------------------------------ header, KPIs

  function renderApps(body) {
    view.apps = body.apps;
    const sel = $('app-select');
    const want = ['0'].concat(body.apps.map(a => String(a.id)));
    const have = Array.from(sel.options).map(o => o.value);
    if (want.join() !== have.join() || body.apps.some((a, i) => sel.options[i + 1].textContent !== label(a))) {
      sel.replaceChildren(el('option', { value: '0' }, 'All applications'),
        ...body.apps.map(a => el('option', { value: String(a.id) }, label(a))));
      sel.value = want.includes(String(view.app)) ? String(view.app) : '0';
    }
    $('kpi-apps').textContent = body.apps.filter(a => a.live).length;
    view.appsBody = body;
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
    view.intervalMs = s.intervalMs;
    const a = s.agent;
    $('agent-status').textContent = a.datagrams + ' datagrams, ' + a.completed + ' transactions, ' +
      a.malformed + ' malformed, ' + a.unknownFrames + ' unknown frames';
  }

  /** The "needs the history store" note of a page: shown when one of its endpoints is absent. */
  function storeNote(page, missing, what) {
    const note = document.querySelector('#page-' + page + ' .store-note');
    note.hidden = !missing;
    if (missing) {
      note.textContent = 'This view needs the history store for the chosen time range (' + missing + ': ' +
        (view.storeOff ? 'the store is off, agent_store_enabled=false' : 'not served by this agent') + '). Shown instead: ' + what + '.';
    }
  }

  // ------------------------------------------------------------------ overview

  function refreshOverview() {
    const q = rangeQuery();
    return Promise.all([
      api('/api/series?' + q).then(renderSeries),
      ranged('/api/transactions?limit=40&kind=' + view.kind).then(renderTransactions),
      api('/api/active?app=' + view.app).then(renderActive),
      ranged('/api/stats/names?intervals=0').then(renderNames),
      api('/api/hitmap?limit=5000&' + memoryQuery()).then(renderHitmap),
    ]);
  }

  function inWindow(points, w) {
    return points.filter(p => p.t >= w.from - (view.intervalMs || 5000) && p.t <= w.to);
  }

  function renderSeries(body) {
    const w = windowNow();
    const pts = inWindow(body.points, w);
    const xs = pts.map(p => p.t);
    const common = { xs, x0: w.from, x1: w.to, onZoom: zoomTo };
    Charts.time($('chart-tps'), Object.assign({ series: [{ name: 'TPS', color: Charts.PALETTE[0], values: pts.map(p => p.tps) }] }, common));
    Charts.time($('chart-resp'), Object.assign({
      unit: ' ms',
      series: [
        { name: 'avg', color: Charts.PALETTE[0], values: pts.map(p => (p.count ? p.avg : null)) },
        { name: 'p90', color: Charts.PALETTE[1], values: pts.map(p => (p.count ? p.p90 : null)) },
        { name: 'p99', color: Charts.PALETTE[3], values: pts.map(p => (p.count ? p.p99 : null)) },
      ],
    }, common));
    Charts.time($('chart-active'), Object.assign({
      stacked: true,
      series: BAND_NAMES.map((n, i) => ({ name: n, color: BAND_COLORS[i], values: pts.map(p => (p.bands && p.bands[i]) || 0) })),
    }, common));
    Charts.time($('chart-errors'), Object.assign({
      unit: ' %', series: [{ name: 'errors', color: '#d93b3b', values: pts.map(p => (p.count ? p.errorRate * 100 : null)) }],
    }, common));
  }

  function renderHitmap(body) {
    const w = windowNow();
    const points = body.points.filter(p => p[0] >= w.from && p[0] <= w.to);
    Charts.hitmap($('chart-hitmap'), { points, x0: w.from, x1: w.to, onSelect: selectHits });
  }

  /**
   * Transactions of the window (recent and slow/failed merged, newest first): for client-side views.
   * memoryOnly: what the agent holds in memory (the hitmap's points are from there).
   */
  function windowTransactions(extra, memoryOnly) {
    const get = kind => {
      const path = '/api/transactions?kind=' + kind + '&limit=10000' + (extra || '');
      return memoryOnly ? api(path + '&' + memoryQuery()) : ranged(path);
    };
    return Promise.all([get('recent'), get('slow')]).then(([recent, slow]) => {
      const w = windowNow();
      const seen = new Map();
      for (const t of recent.transactions.concat(slow.transactions)) {
        if (t.end >= w.from && t.end <= w.to && !seen.has(t.txid)) { seen.set(t.txid, t); }
      }
      return Array.from(seen.values()).sort((a, b) => b.end - a.end);
    });
  }

  function selectHits(box) {
    view.hitBox = box;
    $('hitmap-selection').dataset.box = JSON.stringify(box);
    const maxMs = Number.isFinite(box.maxMs) ? box.maxMs : null;
    windowTransactions('', true).then(list => {
      const hits = list.filter(t => t.end >= box.from && t.end <= box.to && t.elapsed >= box.minMs && t.elapsed <= box.maxMs);
      $('hitmap-selection').hidden = false;
      $('hitmap-selection-title').textContent = hits.length + ' transaction(s) ended ' + Charts.clock(box.from) + '–' +
        Charts.clock(box.to) + ', ' + (maxMs == null ? 'at least ' + box.minMs : box.minMs + '–' + maxMs) + ' ms' +
        (hits.length ? '' : ' among those the agent keeps (the last ones, and the slow and failed)');
      $('hitmap-list').tBodies[0].replaceChildren(...hits.slice(0, 200).map(t => el('tr', { 'data-txid': shownTxid(t.txid), class: t.error ? 'err' : '' },
        el('td', {}, time(t.end)), el('td', {}, t.app), el('td', { title: t.name }, (t.method ? t.method + ' ' : '') + t.name),
        el('td', { class: 'status' }, t.status || ''), el('td', { class: 'num' }, t.elapsed), el('td', {}, txLink(t.txid)))));
    });
  }

  function txRow(t) {
    return el('tr', { 'data-txid': shownTxid(t.txid), class: (t.error ? 'err ' : '') + (t.elapsed >= 1000 ? 'slow' : '') },
      el('td', {}, time(t.end)),
      el('td', {}, t.app),
      el('td', { title: t.name }, (t.method ? t.method + ' ' : '') + t.name),
      el('td', { class: 'status' }, t.status || ''),
      el('td', { class: 'num elapsed' }, t.elapsed),
      el('td', { class: 'num' }, t.steps),
      el('td', { class: 'errcls' }, t.errorClass || ''));
  }

  function renderTransactions(body) {
    if (view.frozen) { return; }
    const w = windowNow();
    const rows = body.transactions.filter(t => t.end >= w.from && t.end <= w.to).map(txRow);
    if (rows.length === 0) {
      rows.push(el('tr', {}, el('td', { colSpan: 7, class: 'muted' }, 'No transactions in this time range.')));
    }
    $('recent').tBodies[0].replaceChildren(...rows);
  }

  function renderActive(body) {
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
    $('active').replaceChildren(...parts);
  }

  function renderNames(body) {
    $('names-window').textContent = body.from != null ? '(' + Charts.stamp(body.from) + ' – ' + Charts.stamp(body.to) + ')'
      : body.windowMs ? '(last ' + Math.round(body.windowMs / 1000) + ' s)' : '(since the agent started: it keeps no per-name history)';
    view.names = body.names;
    drawNames();
  }

  function drawNames() {
    const f = $('names-filter').value.trim().toLowerCase();
    const { key, dir } = view.namesSort;
    const rows = view.names.filter(n => !f || n.name.toLowerCase().includes(f))
      .sort((a, b) => (key === 'name' ? a.name.localeCompare(b.name) : (a[key] || 0) - (b[key] || 0)) * dir);
    for (const th of document.querySelectorAll('#names th[data-sort]')) {
      th.classList.toggle('sorted', th.dataset.sort === key);
      th.dataset.dir = th.dataset.sort === key ? (dir > 0 ? 'asc' : 'desc') : '';
    }
    const shown = rows.slice(0, 200).map(n => el('tr', { 'data-name': n.name, class: 'link' },
      el('td', { title: n.name }, n.name),
      el('td', { class: 'num' }, n.count),
      el('td', { class: 'num' }, n.errors),
      el('td', { class: 'num' }, Math.round(n.avg)),
      el('td', { class: 'num' }, n.p90),
      el('td', { class: 'num' }, n.max),
      el('td', { class: 'num' }, n.sum)));
    if (shown.length === 0) {
      shown.push(el('tr', {}, el('td', { colSpan: 7, class: 'muted' }, f ? 'No name matches.' : 'No transactions in this time range.')));
    }
    $('names').tBodies[0].replaceChildren(...shown);
  }

  // ------------------------------------------------------------------ name page

  function refreshName(name) {
    $('name-title').textContent = name;
    const q = rangeQuery();
    const enc = encodeURIComponent(name);
    const w = windowNow();
    view.storeOff = false;
    return Promise.all([
      optional('/api/names/' + enc + '/series?' + q),
      optional('/api/names/' + enc + '/transactions?kind=slowest&limit=15&' + q),
      optional('/api/names/' + enc + '/transactions?kind=failed&limit=15&' + q),
      windowTransactions('&name=' + enc),
      ranged('/api/stats/names?intervals=0'),
      optional('/api/sql?name=' + enc + '&' + q),
      optional('/api/calls?name=' + enc + '&' + q),
    ]).then(([series, slowest, failed, all, names, sql, calls]) => {
      const txs = all.filter(t => t.name === name);
      const row = names.names.find(n => n.name === name);
      const missing = [];
      if (!series) { missing.push('/api/names/{name}/series'); }
      if (!slowest || !failed) { missing.push('/api/names/{name}/transactions'); }
      if (!sql || !calls) { missing.push('/api/sql, /api/calls'); }
      storeNote('name', missing.join(', '), 'what the agent keeps in memory: the statistics since it started,' +
        ' and the recent, slow and failed transactions of this name (' + txs.length + ')');
      const kpis = row ? [['Count', row.count], ['Errors', row.errors], ['Avg', ms(row.avg)], ['p50', ms(row.p50)],
        ['p90', ms(row.p90)], ['p99', ms(row.p99)], ['Max', ms(row.max)]] : [['Count', txs.length]];
      $('name-kpis').replaceChildren(...kpis.map(([k, v]) => el('div', { class: 'kpi' }, el('div', { class: 'label' }, k),
        el('div', { class: 'value' }, v))));
      const pts = series ? series.points : bucketize(txs, w);
      const xs = pts.map(p => p.t);
      const common = { xs, x0: w.from, x1: w.to, onZoom: zoomTo };
      Charts.time($('chart-name-count'), Object.assign({ series: [{ name: 'count', color: Charts.PALETTE[0], values: pts.map(p => p.count) }] }, common));
      Charts.time($('chart-name-errors'), Object.assign({ series: [{ name: 'errors', color: '#d93b3b', values: pts.map(p => p.errors) }] }, common));
      Charts.time($('chart-name-pct'), Object.assign({
        unit: ' ms',
        series: ['p50', 'p90', 'p99'].map((k, i) => ({ name: k, color: Charts.PALETTE[i], values: pts.map(p => (p.count ? p[k] : null)) })),
      }, common));
      fillTxList($('name-slowest'), slowest ? slowest.transactions
        : txs.slice().sort((a, b) => b.elapsed - a.elapsed).slice(0, 15), 'No transactions of this name are kept.');
      fillTxList($('name-failed'), failed ? failed.transactions : txs.filter(t => t.error).slice(0, 15), 'None failed.');
      const stepsOf = kind => profilesOf(txs).then(ps => aggregateSteps(ps, kind));
      return Promise.all([sql ? sql : stepsOf('sql'), calls ? calls : stepsOf('calls')]).then(([s, c]) => {
        fillAggregate($('name-sql'), rowsOf(s), 'sql', 'No SQL recorded.');
        fillAggregate($('name-calls'), rowsOf(c), 'calls', 'No outgoing calls recorded.');
      });
    });
  }

  /** Per-interval count, errors and percentiles from single transactions (when the store is absent). */
  function bucketize(txs, w) {
    const n = 60;
    const step = Math.max(view.intervalMs || 5000, Math.ceil((w.to - w.from) / n));
    const buckets = new Map();
    for (const t of txs) {
      const b = w.from + Math.floor((t.end - w.from) / step) * step;
      if (!buckets.has(b)) { buckets.set(b, []); }
      buckets.get(b).push(t);
    }
    return Array.from(buckets.keys()).sort((a, b) => a - b).map(b => {
      const list = buckets.get(b);
      const el2 = list.map(t => t.elapsed).sort((x, y) => x - y);
      const q = p => el2[Math.min(el2.length - 1, Math.floor((p / 100) * el2.length))];
      return { t: b, count: list.length, errors: list.filter(t => t.error).length, p50: q(50), p90: q(90), p99: q(99) };
    });
  }

  function fillTxList(table, txs, emptyText) {
    const rows = txs.map(t => el('tr', { 'data-txid': shownTxid(t.txid), class: t.error ? 'err' : '' },
      el('td', {}, time(t.end)), el('td', {}, t.app), el('td', { class: 'status' }, t.status || ''),
      el('td', { class: 'num' }, t.elapsed + ' ms'), el('td', { class: 'errcls' }, t.errorClass || ''),
      el('td', {}, txLink(t.txid))));
    if (rows.length === 0) { rows.push(el('tr', {}, el('td', { class: 'muted' }, emptyText))); }
    table.tBodies[0].replaceChildren(...rows);
  }

  // ------------------------------------------------------------------ profiles (for client-side grouping)

  /** The profiles of up to PROFILE_FETCH_MAX of these transactions (the newest), read once each. */
  function profilesOf(txs, filter) {
    const want = txs.filter(filter || (t => t.steps > 0 || t.error)).slice(0, PROFILE_FETCH_MAX);
    const out = [];
    let next = 0;
    const worker = () => {
      if (next >= want.length) { return Promise.resolve(); }
      const t = want[next++];
      const id = apiTxid(t.txid);
      if (profiles.has(id)) { out.push(profiles.get(id)); return worker(); }
      return api('/api/transactions/' + id).then(p => {
        profiles.set(id, p);
        if (profiles.size > 2000) { profiles.delete(profiles.keys().next().value); }
        out.push(p);
      }, () => null).then(worker);
    };
    return Promise.all([worker(), worker(), worker(), worker()]).then(() => out);
  }

  /** SQL by statement or calls by URL (without its query) over these profiles. */
  function aggregateSteps(ps, kind) {
    const groups = new Map();
    for (const p of ps) {
      for (const s of p.stepList || []) {
        if (kind === 'sql' ? s.kind !== 'sql' : s.kind !== 'httpc') { continue; }
        const key = kind === 'sql' ? (s.title || '') : String(s.title || '').split('?')[0];
        let g = groups.get(key);
        if (!g) { g = { key, count: 0, totalMs: 0, maxMs: 0, rows: 0, txids: [] }; groups.set(key, g); }
        g.count++;
        g.totalMs += s.elapsed;
        g.maxMs = Math.max(g.maxMs, s.elapsed);
        g.rows += s.fetch || 0;
        if (g.txids.length < 5 && !g.txids.includes(p.txid)) { g.txids.push(p.txid); }
      }
    }
    return { fromProfiles: ps.length, groups: Array.from(groups.values()) };
  }

  /** Rows from /api/sql or /api/calls (whatever their exact field names) or from aggregateSteps. */
  function rowsOf(body) {
    const list = body.groups || body.statements || body.calls || body.sql || body.rows || [];
    return list.map(g => {
      const count = g.count || 0;
      const totalMs = g.totalMs != null ? g.totalMs : (g.sum != null ? g.sum : (g.total || 0));
      return {
        key: g.key || g.sql || g.statement || g.url || '', count, totalMs,
        avgMs: g.avgMs != null ? g.avgMs : (g.avg != null ? g.avg : (count ? totalMs / count : 0)),
        maxMs: g.maxMs != null ? g.maxMs : (g.max || 0), rows: g.rows != null ? g.rows : (g.fetch || 0),
        txids: (g.txids || g.examples || []).map(x => (typeof x === 'object' ? x.txid : x)),
      };
    });
  }

  const AGG_COLUMNS = [['key', ''], ['count', 'Count'], ['totalMs', 'Total (ms)'], ['avgMs', 'Avg (ms)'], ['maxMs', 'Max (ms)'], ['rows', 'Rows']];

  function fillAggregate(table, rows, kind, emptyText, filterText, sort) {
    const s = sort || { key: 'totalMs', dir: -1 };
    const f = (filterText || '').trim().toLowerCase();
    const list = rows.filter(r => !f || r.key.toLowerCase().includes(f))
      .sort((a, b) => (s.key === 'key' ? a.key.localeCompare(b.key) : a[s.key] - b[s.key]) * s.dir);
    const cols = kind === 'sql' ? AGG_COLUMNS : AGG_COLUMNS.filter(c => c[0] !== 'rows');
    let head = table.tHead;
    if (!head) {
      head = table.createTHead();
      head.append(el('tr', {}, ...cols.map(([k, n]) => el('th', { class: k === 'key' ? '' : 'num', 'data-sort': k },
        n || (kind === 'sql' ? 'Statement' : 'URL'))), el('th', {}, 'Examples')));
    }
    for (const th of head.querySelectorAll('th[data-sort]')) {
      th.classList.toggle('sorted', th.dataset.sort === s.key);
      th.dataset.dir = th.dataset.sort === s.key ? (s.dir > 0 ? 'asc' : 'desc') : '';
    }
    const out = list.slice(0, 300).map(r => el('tr', { 'data-key': r.key },
      ...cols.map(([k]) => (k === 'key' ? el('td', { class: 'stmt', title: r.key }, r.key)
        : el('td', { class: 'num' }, k === 'avgMs' ? r.avgMs.toFixed(1) : r[k]))),
      el('td', {}, ...r.txids.slice(0, 3).flatMap((x, i) => (i ? [' ', txLink(x, '#' + (i + 1))] : [txLink(x, '#1')])))));
    if (out.length === 0) { out.push(el('tr', {}, el('td', { class: 'muted', colSpan: cols.length + 1 }, emptyText))); }
    table.tBodies[0].replaceChildren(...out);
  }

  const aggState = { sql: { rows: [], sort: { key: 'totalMs', dir: -1 } }, calls: { rows: [], sort: { key: 'totalMs', dir: -1 } } };

  function refreshAggregates(kind) {
    const q = rangeQuery();
    view.storeOff = false;
    return optional('/api/' + kind + '?' + q).then(body => {
      if (body) {
        storeNote(kind, null);
        return rowsOf(body);
      }
      return windowTransactions().then(txs => profilesOf(txs, t => t.steps > 0)).then(ps => {
        storeNote(kind, '/api/' + kind, 'the ' + (kind === 'sql' ? 'statements' : 'calls') + ' in the profiles of the ' +
          ps.length + ' newest transactions with steps that the agent keeps in memory');
        return rowsOf(aggregateSteps(ps, kind));
      });
    }).then(rows => {
      aggState[kind].rows = rows;
      drawAggregate(kind);
    });
  }

  function drawAggregate(kind) {
    const st = aggState[kind];
    fillAggregate($(kind + '-table'), st.rows, kind, 'Nothing recorded in this time range.', $(kind + '-filter').value, st.sort);
  }

  // ------------------------------------------------------------------ errors

  /** An error message with its variable parts (numbers, quoted text, ids) replaced: the group's pattern. */
  function messagePattern(m) {
    if (!m) { return ''; }
    return String(m).slice(0, 300)
      .replace(/'[^']*'|"[^"]*"/g, '?')
      .replace(/\b[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\b/gi, '?')
      .replace(/\b0x[0-9a-f]+\b/gi, '?')
      .replace(/\d+(\.\d+)?/g, '?');
  }

  function groupKey(cls, pattern) {
    return cls + '\n' + pattern;
  }

  function refreshErrors(arg) {
    const q = rangeQuery();
    const w = windowNow();
    view.storeOff = false;
    return optional('/api/errors?' + q).then(body => {
      if (body) {
        storeNote('errors', null);
        const groups = (body.groups || []).map(g => {
          const points = (g.points || []).map(p => (Array.isArray(p) ? { t: p[0], count: p[1] } : p));
          return {
            cls: g.class || g.errorClass || '', pattern: g.pattern || '', count: g.count || 0,
            last: points.reduce((m, p) => (p.count > 0 && p.t > m ? p.t : m), 0), points,
            txs: (g.examples || []).map(x => (typeof x === 'object' ? x : { txid: x })),
          };
        });
        // the examples of the open group, as list entries (the store gives their txids)
        const open = groups.find(g => arg != null && groupKey(g.cls, g.pattern) === arg);
        if (!open) { return groups; }
        return profilesOf(open.txs, () => true).then(ps => { open.txs = ps; return groups; });
      }
      return windowTransactions().then(txs => {
        const failed = txs.filter(t => t.error);
        return profilesOf(failed, () => true).then(ps => {
          storeNote('errors', '/api/errors', 'the ' + failed.length + ' failed transactions the agent keeps in memory,' +
            ' grouped here (messages read from the newest ' + ps.length + ')');
          const byId = new Map(ps.map(p => [p.txid, p]));
          const groups = new Map();
          for (const t of failed) {
            const p = byId.get(t.txid);
            const cls = t.errorClass || (p && p.errorClass) || ('HTTP ' + t.status);
            const pattern = messagePattern(p ? p.errorMessage : '');
            const key = groupKey(cls, pattern);
            let g = groups.get(key);
            if (!g) { g = { cls, pattern, count: 0, last: 0, txs: [] }; groups.set(key, g); }
            g.count++;
            g.last = Math.max(g.last, t.end);
            g.txs.push(t);
          }
          return Array.from(groups.values());
        });
      });
    }).then(groups => {
      groups.sort((a, b) => b.count - a.count);
      const rows = groups.map(g => el('tr', { class: 'link', 'data-group': groupKey(g.cls, g.pattern) },
        el('td', { class: 'errcls' }, g.cls), el('td', { class: 'stmt', title: g.pattern }, g.pattern || '–'),
        el('td', { class: 'num' }, g.count), el('td', {}, g.last ? Charts.stamp(g.last) : '–'),
        el('td', {}, ...g.txs.slice(0, 3).flatMap((t, i) => (i ? [' ', txLink(t.txid, '#' + (i + 1))] : [txLink(t.txid, '#1')])))));
      if (rows.length === 0) { rows.push(el('tr', {}, el('td', { class: 'muted', colSpan: 5 }, 'No failed transactions in this time range.'))); }
      $('error-groups').tBodies[0].replaceChildren(...rows);
      const open = arg != null ? groups.find(g => groupKey(g.cls, g.pattern) === arg) : null;
      $('error-group').hidden = !open;
      if (open) {
        $('error-group-title').textContent = open.cls + ' (' + open.count + ')';
        $('error-group-pattern').textContent = open.pattern ? 'Message pattern: ' + open.pattern : 'No message.';
        const pts = open.points ? open.points : bucketize(open.txs.filter(t => t.end), w);
        Charts.time($('chart-error-group'), {
          xs: pts.map(p => p.t), x0: w.from, x1: w.to, onZoom: zoomTo,
          series: [{ name: 'errors', color: '#d93b3b', values: pts.map(p => p.count) }],
        });
        fillTxList($('error-group-examples'), open.txs.filter(t => t.end).slice(0, 20), 'No example kept.');
      }
    });
  }

  // ------------------------------------------------------------------ JVM

  function refreshJvm() {
    return api('/api/series?' + rangeQuery()).then(body => {
      const w = windowNow();
      const perApp = body.apps || [{ id: body.app, name: appName(body.app), points: body.points }];
      const xsSet = new Set();
      for (const a of perApp) { for (const p of inWindow(a.points, w)) { xsSet.add(p.t); } }
      const xs = Array.from(xsSet).sort((a, b) => a - b);
      const series = f => perApp.map(a => {
        const byT = new Map(a.points.map(p => [p.t, p]));
        return { name: a.name + ' (' + a.pid + ')', color: appColor(a.id), values: xs.map(t => (byT.has(t) ? f(byT.get(t)) : null)) };
      });
      const common = { xs, x0: w.from, x1: w.to, onZoom: zoomTo };
      const mb = v => (v == null ? null : v / 1048576);
      Charts.time($('chart-heap'), Object.assign({ series: series(p => mb(p.heapUsed)), unit: ' MB' }, common));
      Charts.time($('chart-heapmax'), Object.assign({ series: series(p => mb(p.heapMax)), unit: ' MB' }, common));
      Charts.time($('chart-cpu'), Object.assign({ series: series(p => p.cpuPct), unit: ' %' }, common));
      Charts.time($('chart-gc'), Object.assign({ series: series(p => p.gcTimeMs), unit: ' ms' }, common));
      Charts.time($('chart-gccount'), Object.assign({ series: series(p => p.gcCount) }, common));
      Charts.time($('chart-threads'), Object.assign({ series: series(p => p.threads) }, common));
      const apps = (view.appsBody ? view.appsBody.apps : []).filter(a => !view.app || a.id === view.app);
      const buttons = $('jvm-dump-buttons');
      const want = apps.map(a => a.id + ':' + a.name).join();
      if (buttons.dataset.key !== want) {
        buttons.dataset.key = want;
        buttons.replaceChildren(...apps.map(a => el('button', { type: 'button', 'data-app': String(a.id) },
          'Take a thread dump of ' + a.name + ' (pid ' + a.pid + ')')));
      }
      $('jvm-counters').replaceChildren(...apps.map(a => {
        const c = a.counters || {};
        const keys = Object.keys(c).sort();
        return el('div', { class: 'counters' }, el('h3', {}, a.name + ' (pid ' + a.pid + ')' + (a.countersAt ? ', ' + Charts.stamp(a.countersAt) : '')),
          keys.length ? el('dl', { class: 'meta' }, ...keys.flatMap(k => [el('dt', {}, k), el('dd', {}, typeof c[k] === 'number' ? Charts.fmt(c[k]) : c[k])]))
            : el('p', { class: 'muted' }, 'No counters heard lately.'));
      }));
    });
  }

  /** Takes a thread dump of the application's process through the back channel (the agent waits for the answer). */
  function takeThreadDump(appId) {
    const status = $('jvm-dump-status');
    const app = ((view.appsBody || {}).apps || []).find(x => String(x.id) === String(appId));
    if (!app) {
      status.textContent = 'No such application.';
      return;
    }
    status.textContent = 'Asking ' + app.name + '\u2026';
    api('/api/threaddump?app=' + encodeURIComponent(app.name) + '&pid=' + encodeURIComponent(app.pid), 'POST').then(d => {
      const pre = $('jvm-dump');
      pre.textContent = d.dump + (d.complete ? '' : '\n[' + d.partsReceived + ' of ' + d.parts + ' parts arrived]');
      pre.dataset.app = String(appId);
      pre.hidden = false;
      status.textContent = app.name + ' (pid ' + d.pid + '), ' + Charts.stamp(d.takenAt);
    }, err => { status.textContent = err.message; });
  }

  // ------------------------------------------------------------------ profile

  function txLink(txid, text) {
    const shown = shownTxid(txid);
    return el('a', { class: 'txlink', 'data-txid': shown, href: '#/tx/' + shown }, text || shown);
  }

  function openProfile(txid) {
    const shown = shownTxid(txid);
    showProfile(shown, 'Transaction ' + shown, [el('p', { class: 'muted' }, 'Loading…')]);
    api('/api/transactions/' + apiTxid(txid)).then(renderProfile, err => {
      showProfile(shown, 'Transaction ' + shown, [el('p', { class: 'muted' }, err.message)]);
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

  function closeProfileView() {
    $('profile').hidden = true;
    $('profile-backdrop').hidden = true;
  }

  function closeProfile() {
    if (view.page === 'tx') { location.hash = view.lastPage || '#/'; } else { closeProfileView(); }
  }

  function renderProfile(t) {
    if (view.page !== 'tx' || apiTxid(view.arg) !== t.txid) { return; }
    const meta = el('dl', { class: 'meta' });
    const add = (k, v) => { if (v != null && v !== '') { meta.append(el('dt', {}, k), el('dd', {}, v)); } };
    add('Application', t.app + ' (pid ' + t.pid + ')');
    add('Transaction id', shownTxid(t.txid));
    meta.append(el('dt', {}, 'Name'), el('dd', {}, el('a', { href: '#/name/' + encodeURIComponent(t.name), class: 'txlink' }, t.name)));
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
          : (t.caller.spec || '') + ' txid ' + shownTxid(t.caller.txid) + ' (not kept)'));
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
    const bar = (cls, off, len) => {
      const b = el('div', { class: 'bar ' + cls });
      b.style.left = Math.min(100, Math.max(0, (off / total) * 100)) + '%';
      b.style.width = Math.max(0.3, Math.min(100, (len / total) * 100)) + '%';
      return b;
    };
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
        body.append(el('div', { class: 'small' }, 'callee: ', s.callee ? txLink(s.calleeTxid, s.callee.app + ' ' + s.callee.name + ' (' + s.callee.elapsed + ' ms)') : 'txid ' + shownTxid(s.calleeTxid) + ' (not kept)'));
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
    showProfile(shownTxid(t.txid), (t.method ? t.method + ' ' : '') + t.name, nodes);
  }

  // ------------------------------------------------------------------ events

  $('app-select').addEventListener('change', e => { view.app = Number(e.target.value); view.frozen = false; go(pagePath()); });
  for (const b of document.querySelectorAll('#range button')) {
    b.addEventListener('click', () => {
      const r = b.dataset.range;
      if (r === 'custom') {
        const w = windowNow();
        setRange({ preset: 'custom', from: w.from, to: w.to });
      } else {
        setRange({ preset: r });
      }
    });
  }
  $('range-apply').addEventListener('click', () => {
    const from = new Date($('range-from').value).getTime();
    const to = new Date($('range-to').value).getTime();
    if (from > 0 && to > from) { setRange({ preset: 'custom', from, to }); }
  });
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
  document.addEventListener('click', e => {
    const tr = e.target.closest('tr[data-txid]');
    if (tr && !e.target.closest('a')) { go('#/tx/' + tr.dataset.txid); return; }
    const nameRow = e.target.closest('#names tr[data-name]');
    if (nameRow) { go('#/name/' + encodeURIComponent(nameRow.dataset.name)); return; }
    const group = e.target.closest('#error-groups tr[data-group]');
    if (group && !e.target.closest('a')) { go('#/errors/' + encodeURIComponent(group.dataset.group)); return; }
    const dump = e.target.closest('#jvm-dump-buttons button[data-app]');
    if (dump) { takeThreadDump(Number(dump.dataset.app)); return; }
    const th = e.target.closest('th[data-sort]');
    if (th) {
      const k = th.dataset.sort;
      const tableId = th.closest('table').id;
      const st = tableId === 'names' ? view.namesSort : tableId === 'sql-table' ? aggState.sql.sort : aggState.calls.sort;
      if (st.key === k) { st.dir = -st.dir; } else { st.key = k; st.dir = k === 'name' || k === 'key' ? 1 : -1; }
      if (tableId === 'names') { drawNames(); } else { drawAggregate(tableId === 'sql-table' ? 'sql' : 'calls'); }
    }
  });
  $('names-filter').addEventListener('input', drawNames);
  $('sql-filter').addEventListener('input', () => drawAggregate('sql'));
  $('calls-filter').addEventListener('input', () => drawAggregate('calls'));
  $('hitmap-clear').addEventListener('click', () => { view.hitBox = null; $('hitmap-selection').hidden = true; });
  $('profile-close').addEventListener('click', closeProfile);
  $('profile-backdrop').addEventListener('click', closeProfile);
  document.addEventListener('keydown', e => { if (e.key === 'Escape' && !$('profile').hidden) { closeProfile(); } });
  window.addEventListener('resize', () => Charts.resize());
  window.addEventListener('hashchange', route);
  route();
})();
