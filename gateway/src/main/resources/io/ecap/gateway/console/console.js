// The ECAP web console: one page, plain JavaScript, no framework. Every value from the server is put into the page as
// text (textContent, never innerHTML). Data calls go to the /v1 routes with the session cookie and the same-origin
// marker header X-ECAP-Console (see docs/CONSOLE.md for why that is CSRF-safe).
'use strict';

(function () {
  const PAGE_SIZE = 20;
  const MAX_ALERTS = 100;
  const $ = (id) => document.getElementById(id);
  let me = null;
  let socket = null;
  let retryTimer = null;
  let pages = [null];
  let current = null;

  class Unauthorized extends Error {}

  async function api(method, path, body) {
    const options = { method: method, credentials: 'same-origin', headers: { 'X-ECAP-Console': '1' } };
    if (body !== undefined) {
      options.headers['Content-Type'] = 'application/json';
      options.body = JSON.stringify(body);
    }
    const response = await fetch(path, options);
    const text = await response.text();
    let data = null;
    try {
      data = text ? JSON.parse(text) : null;
    } catch (e) {
      data = null;
    }
    if (response.status === 401) {
      loggedOut();
      throw new Unauthorized('log in again');
    }
    if (!response.ok) {
      throw new Error((data && data.message) ? data.message : 'the server answered ' + response.status);
    }
    return data;
  }

  function el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) {
      node.textContent = String(text);
    }
    if (className) {
      node.className = className;
    }
    return node;
  }

  function clear(node) {
    while (node.firstChild) {
      node.removeChild(node.firstChild);
    }
  }

  function fail(target, error) {
    if (!(error instanceof Unauthorized)) {
      $(target).textContent = error.message;
    }
  }

  function definitions(dl, pairs) {
    clear(dl);
    for (const [name, value] of pairs) {
      dl.appendChild(el('dt', name));
      dl.appendChild(el('dd', value === null || value === undefined ? '' : value));
    }
  }

  // --- login and logout

  function showLogin() {
    $('login').hidden = false;
    $('app').hidden = true;
    $('who').hidden = true;
    $('alertsView').hidden = true;
    $('apiKey').focus();
  }

  function loggedOut() {
    me = null;
    stopLive();
    if (retryTimer) {
      clearTimeout(retryTimer);
      retryTimer = null;
    }
    if (socket) {
      socket.close();
      socket = null;
    }
    showLogin();
  }

  async function login(event) {
    event.preventDefault();
    $('loginError').textContent = '';
    const response = await fetch('login', {
      method: 'POST', credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-ECAP-Console': '1' },
      body: JSON.stringify({ apiKey: $('apiKey').value })
    });
    $('apiKey').value = '';
    if (!response.ok) {
      const data = await response.json().catch(() => null);
      $('loginError').textContent = data && data.message ? data.message : 'login failed (' + response.status + ')';
      return;
    }
    started(await response.json());
  }

  async function logout() {
    await fetch('logout', { method: 'POST', credentials: 'same-origin', headers: { 'X-ECAP-Console': '1' } });
    loggedOut();
  }

  function started(session) {
    me = session;
    $('login').hidden = true;
    $('app').hidden = false;
    $('who').hidden = false;
    $('alertsView').hidden = false;
    $('whoName').textContent = session.name + (session.merchants.length ? ' (' + session.merchants.join(', ') + ')' : '');
    connectAlerts();
    startLive();
    route();
  }

  // --- the review queue

  function queueQuery(cursor) {
    const query = new URLSearchParams();
    query.set('limit', String(PAGE_SIZE));
    if ($('fStatus').value) {
      query.set('status', $('fStatus').value);
    }
    if ($('fMerchant').value.trim()) {
      query.set('merchant', $('fMerchant').value.trim());
    }
    if ($('fMinScore').value.trim()) {
      query.set('minScore', $('fMinScore').value.trim());
    }
    if (cursor) {
      query.set('cursor', cursor);
    }
    return query.toString();
  }

  async function loadQueue(page) {
    $('queueError').textContent = '';
    let data;
    try {
      data = await api('GET', '/v1/cases?' + queueQuery(pages[page]));
    } catch (e) {
      fail('queueError', e);
      return;
    }
    const rows = $('queueRows');
    clear(rows);
    for (const c of data.cases) {
      const tr = document.createElement('tr');
      tr.dataset.journalIndex = String(c.journalIndex);
      const values = [c.journalIndex, c.txnId, c.decision, c.score, c.status, c.assignee, c.merchantId,
        c.amount + ' ' + c.currency, c.openedAt];
      values.forEach((v, i) => tr.appendChild(el('td', v, i === 2 ? c.decision : undefined)));
      tr.addEventListener('click', () => { location.hash = '#/case/' + tr.dataset.journalIndex; });
      rows.appendChild(tr);
    }
    $('queueEmpty').hidden = data.cases.length > 0;
    pages = pages.slice(0, page + 1);
    if (data.nextCursor) {
      pages.push(data.nextCursor);
    }
    $('nextPage').hidden = !data.nextCursor;
    $('nextPage').dataset.page = String(page + 1);
  }

  function showQueue() {
    showOnly('queueView');
    pages = [null];
    loadQueue(0);
  }

  // --- one case

  async function loadCase(journalIndex) {
    $('caseError').textContent = '';
    let c;
    try {
      c = await api('GET', '/v1/cases/' + encodeURIComponent(journalIndex));
    } catch (e) {
      fail('caseError', e);
      return;
    }
    current = c;
    $('caseId').textContent = String(c.journalIndex);
    definitions($('caseSummary'), [['Status', c.status], ['Assignee', c.assignee], ['Decision', c.decision],
      ['Score', c.score], ['Transaction', c.txnId], ['Merchant', c.merchantId], ['Customer', c.customerId],
      ['Card', c.cardId], ['Amount', c.amount + ' ' + c.currency], ['Event time', c.eventTime],
      ['Opened', c.openedAt], ['Updated', c.updatedAt]]);
    const resolved = c.status === 'CONFIRMED_FRAUD' || c.status === 'LEGITIMATE';
    $('assignMe').disabled = resolved;
    $('resolveFraud').disabled = resolved;
    $('resolveLegit').disabled = resolved;
    const reasons = $('reasons');
    clear(reasons);
    const decision = (c.entry && c.entry.decision) || { reasons: [] };
    for (const r of decision.reasons) {
      const tr = document.createElement('tr');
      [r.code, r.detail, r.value].forEach((v) => tr.appendChild(el('td', v)));
      reasons.appendChild(tr);
    }
    const txn = (c.entry && c.entry.transaction) || {};
    definitions($('transaction'), Object.keys(txn).map((k) => [k, typeof txn[k] === 'object'
      ? JSON.stringify(txn[k]) : txn[k]]));
    const comments = $('comments');
    clear(comments);
    for (const m of c.comments) {
      const li = el('li');
      li.appendChild(el('strong', m.author));
      li.appendChild(document.createTextNode(' ' + m.at + ': '));
      li.appendChild(el('span', m.text));
      comments.appendChild(li);
    }
    const audit = $('audit');
    clear(audit);
    for (const a of c.audit) {
      const tr = document.createElement('tr');
      [a.at, a.actor, a.action, JSON.stringify(a.details)].forEach((v) => tr.appendChild(el('td', v)));
      audit.appendChild(tr);
    }
    if (c.customerId) {
      loadCustomer(c.customerId, c.deviceId);
    }
  }

  /**
   * The case's customer as the business knows them (GET /v1/customers/{id}): the published segment, CLV and churn
   * risk, the last orders, the devices they paid from (the case's own marked), and the customer's other review
   * cases, each a link to its case.
   */
  async function loadCustomer(customerId, caseDeviceId) {
    const note = $('customerNote');
    note.textContent = '';
    clear($('customerSummary'));
    clear($('customerOrders'));
    clear($('customerDevices'));
    clear($('customerCases'));
    let c;
    try {
      c = await api('GET', '/v1/customers/' + encodeURIComponent(customerId));
    } catch (error) {
      if (!(error instanceof Unauthorized)) {
        note.textContent = error.message;
      }
      return;
    }
    const a = c.analytics;
    if (a) {
      definitions($('customerSummary'), [['Segment', a.segment], ['RFM', a.rfm],
        ['Predicted CLV', a.predictedClv === null || a.predictedClv === undefined ? null
          : a.predictedClv + ' ' + (a.clvCurrency || '')],
        ['Churn risk', typeof a.churnProbability === 'number' ? Math.round(a.churnProbability * 100) + '%' : null],
        ['Orders (RFM)', a.frequency], ['Days with a purchase (CLV)', a.orders],
        ['As of', a.segmentAsOf || a.clvAsOf || a.churnAsOf]]);
    } else {
      note.textContent = c.note || 'No published analytics for this customer (ecap lake publish).';
    }
    for (const o of c.lastOrders || []) {
      const tr = el('tr');
      [o.eventTs, o.txnId, o.amount + ' ' + o.currency, o.merchantId, o.deviceId, o.decision]
        .forEach((v) => tr.appendChild(el('td', v)));
      $('customerOrders').appendChild(tr);
    }
    for (const d of c.devices || []) {
      const tr = el('tr', null, d.deviceId === caseDeviceId ? 'live' : '');
      [d.deviceId === caseDeviceId ? d.deviceId + ' (this case)' : d.deviceId, d.payments, d.notApproved,
        d.firstSeen, d.lastSeen].forEach((v) => tr.appendChild(el('td', v)));
      $('customerDevices').appendChild(tr);
    }
    for (const r of (c.fraud && c.fraud.recent) || []) {
      const tr = el('tr');
      tr.dataset.journalIndex = String(r.journalIndex);
      [r.journalIndex, r.txnId, r.decision, r.score, r.status].forEach((v) => tr.appendChild(el('td', v)));
      tr.addEventListener('click', () => { location.hash = '#/case/' + tr.dataset.journalIndex; });
      $('customerCases').appendChild(tr);
    }
  }

  function showCase(journalIndex) {
    showOnly('caseView');
    loadCase(journalIndex);
  }

  // --- rule set and model versions, live and in the shadow (an admin key)

  function fillVersions(tbody, versions, liveWord) {
    clear(tbody);
    if (versions.length === 0) {
      const row = el('tr');
      const cell = el('td', 'none yet');
      cell.colSpan = 5;
      row.appendChild(cell);
      tbody.appendChild(row);
    }
    for (const v of versions.slice().reverse()) {
      const row = el('tr', null, v.live ? 'live' : '');
      row.appendChild(el('td', v.version));
      row.appendChild(el('td', v.live ? liveWord : ''));
      row.appendChild(el('td', v.actor));
      row.appendChild(el('td', v.ts));
      row.appendChild(el('td', v.journalIndex));
      tbody.appendChild(row);
    }
  }

  async function loadVersions() {
    $('versionsError').textContent = '';
    if (!me.scopes.includes('admin')) {
      $('versionsError').textContent = 'Rule and model versions need a key with the admin scope; this one has '
        + me.scopes.join(', ') + '.';
      return;
    }
    try {
      const [rules, models, shadowRules, shadowModels, shadow] = await Promise.all([
        api('GET', '/v1/admin/rules'), api('GET', '/v1/admin/models'), api('GET', '/v1/admin/shadow/rules'),
        api('GET', '/v1/admin/shadow/models'), api('GET', '/v1/admin/shadow')]);
      fillVersions($('ruleVersions'), rules.versions, 'live');
      fillVersions($('modelVersions'), models.versions, 'live');
      fillVersions($('shadowRuleVersions'), shadowRules.versions, 'in the shadow');
      fillVersions($('shadowModelVersions'), shadowModels.versions, 'in the shadow');
      const since = shadow.sinceStart;
      $('shadowSummary').textContent = shadow.active
        ? 'In the shadow: rule set ' + (shadow.ruleSetVersion || 'the live one') + ', model '
          + (shadow.modelVersion || 'the live one') + '. Since the service started it scored ' + since.scored
          + (since.scored === 1 ? ' transaction (' : ' transactions (') + since.approve + ' approve, ' + since.review + ' review, ' + since.decline
          + ' decline), ' + since.different + ' of them otherwise than the decision.'
        : 'Nothing is in the shadow: only the live rule set and model score.';
    } catch (error) {
      fail('versionsError', error);
    }
  }

  // the lake's drift figures (ecap lake drift, then publish): a bar per feature, as long as its PSI up to 0.5,
  // coloured by band (stable below 0.1, moderate below 0.25, large from 0.25)
  async function loadDrift() {
    const note = $('driftNote');
    const tbody = $('driftRows');
    clear(tbody);
    note.textContent = '';
    if (!me.scopes.includes('analytics')) {
      note.textContent = 'Feature drift needs a key with the analytics scope; this one has ' + me.scopes.join(', ')
        + '.';
      return;
    }
    try {
      const drift = await api('GET', '/v1/analytics/drift');
      if (drift.drift.length === 0) {
        note.textContent = 'No drift published: ecap lake drift, then ecap lake publish.';
      }
      for (const d of drift.drift) {
        const row = el('tr');
        row.appendChild(el('td', d.model));
        row.appendChild(el('td', d.feature));
        row.appendChild(el('td', Number(d.psi).toFixed(3)));
        const cell = el('td');
        const bar = el('span', null, 'bar ' + d.band);
        bar.style.width = Math.round(Math.min(Number(d.psi), 0.5) / 0.5 * 8) + 'rem';
        bar.title = d.band;
        cell.appendChild(bar);
        cell.appendChild(el('span', ' ' + d.band));
        row.appendChild(cell);
        row.appendChild(el('td', d.currentFrom + ' to ' + d.currentTo));
        tbody.appendChild(row);
      }
    } catch (error) {
      if (!(error instanceof Unauthorized)) {
        note.textContent = 'No drift to show: ' + error.message;
      }
    }
  }

  function showVersions() {
    showOnly('versionsView');
    loadVersions();
    loadDrift();
  }

  // --- block and allow lists (an analyst key; changes need one for every merchant)

  function listPath(value) {
    const path = '/v1/lists/' + encodeURIComponent($('lList').value) + '/' + encodeURIComponent($('lKind').value);
    return value === undefined ? path : path + '/' + encodeURIComponent(value);
  }

  /** The value after which the next page of the shown list starts, or null when it is all shown. */
  let listNext = null;
  /** Counts list reads: an answer to an older read (another kind chosen since, a change made) is dropped. */
  let listReads = 0;

  /**
   * Reads the chosen list's first page and shows it in place of the rows shown, once it is here (the rows never go
   * blank in between); a change's message stays (the list is read again after every change).
   */
  async function loadList(keepMessages) {
    if (keepMessages !== true) {
      $('listsError').textContent = '';
      $('listsDone').textContent = '';
    }
    await loadListPage(true);
  }

  /** Shows the first page of the chosen list, or appends its next page (100 values at a time, in value order). */
  async function loadListPage(first) {
    const read = ++listReads;
    const after = first === true || listNext === null ? '' : '?after=' + encodeURIComponent(listNext);
    let data;
    try {
      data = await api('GET', listPath() + after);
    } catch (error) {
      if (read !== listReads) {
        return;
      }
      clear($('listRows'));
      $('listEmpty').hidden = true;
      $('listCount').textContent = '';
      $('listMore').hidden = true;
      fail('listsError', error);
      return;
    }
    if (read !== listReads) {
      return;
    }
    const rows = $('listRows');
    if (first === true) {
      clear(rows);
    }
    for (const entry of data.entries) {
      const row = el('tr');
      row.dataset.value = entry.value;
      row.appendChild(el('td', entry.value));
      row.appendChild(el('td', entry.reason));
      row.appendChild(el('td', entry.actor));
      row.appendChild(el('td', entry.addedAt));
      const cell = el('td');
      const remove = el('button', 'Remove', 'remove');
      remove.type = 'button';
      remove.addEventListener('click', () => removeFromList(entry.value));
      cell.appendChild(remove);
      row.appendChild(cell);
      rows.appendChild(row);
    }
    listNext = data.next === undefined ? null : data.next;
    $('listEmpty').hidden = data.count > 0;
    $('listCount').textContent = data.count > 0
      ? rows.children.length.toLocaleString('en') + ' of ' + data.count.toLocaleString('en') + ' shown' : '';
    $('listMore').hidden = listNext === null;
  }

  async function addToList(event) {
    event.preventDefault();
    $('listsError').textContent = '';
    $('listsDone').textContent = '';
    const body = { value: $('lValue').value };
    if ($('lReason').value) {
      body.reason = $('lReason').value;
    }
    try {
      await api('POST', listPath(), body);
      $('listsDone').textContent = body.value + ' is on the ' + $('lList').value + ' list of ' + $('lKind').value
        + 's; the engines apply it within about a second.';
      $('lValue').value = '';
      $('lReason').value = '';
    } catch (error) {
      fail('listsError', error);
    }
    loadList(true);
  }

  async function removeFromList(value) {
    $('listsError').textContent = '';
    $('listsDone').textContent = '';
    try {
      const answer = await api('DELETE', listPath(value));
      $('listsDone').textContent = answer.removed ? value + ' is off the list.' : value + ' was not on the list.';
    } catch (error) {
      fail('listsError', error);
    }
    loadList(true);
  }

  function showLists() {
    showOnly('listsView');
    loadList();
  }

  /** Shows one of the app's views and hides the others. */
  function showOnly(id) {
    for (const view of ['queueView', 'caseView', 'listsView', 'versionsView']) {
      $(view).hidden = view !== id;
    }
  }

  async function change(path, body) {
    if (!current) {
      return;
    }
    $('caseError').textContent = '';
    const index = current.journalIndex;
    try {
      await api('POST', '/v1/cases/' + encodeURIComponent(index) + path, body);
    } catch (e) {
      fail('caseError', e);
    }
    await loadCase(index);
  }

  function resolve(resolution) {
    const body = { resolution: resolution };
    const note = $('resolveNote').value.trim();
    if (note) {
      body.note = note;
    }
    $('resolveNote').value = '';
    return change('/resolve', body);
  }

  async function comment(event) {
    event.preventDefault();
    const text = $('commentText').value.trim();
    if (text) {
      await change('/comments', { text: text });
      $('commentText').value = '';
    }
  }

  // --- live figures (GET /v1/live: every engine sharing the lists' Redis), every 5 s while logged in

  let liveTimer = null;

  async function loadLive() {
    let data;
    try {
      data = await api('GET', '/v1/live?minutes=15&top=5');
    } catch (e) {
      if (!(e instanceof Unauthorized)) {
        $('liveStatus').textContent = e.message;
        clear($('liveRows'));
        clear($('liveMerchants'));
      }
      return;
    }
    $('liveStatus').textContent = '';
    const rows = $('liveRows');
    clear(rows);
    data.minutes.slice().reverse().forEach((m) => {
      const tr = el('tr');
      tr.appendChild(el('td', m.minute.substring(11, 16)));
      tr.appendChild(el('td', m.APPROVE));
      tr.appendChild(el('td', m.REVIEW, m.REVIEW ? 'REVIEW' : undefined));
      tr.appendChild(el('td', m.DECLINE, m.DECLINE ? 'DECLINE' : undefined));
      rows.appendChild(tr);
    });
    const lat = data.latency;
    $('liveLatency').textContent = lat ? 'Latency, this gateway, last ' + Math.round(lat.windowSeconds / 60)
      + ' minutes: answer p50 ' + lat.answer.p50Ms + ' ms, p99 ' + lat.answer.p99Ms + ' ms; engine p50 '
      + lat.engine.p50Us + ' µs, p99 ' + lat.engine.p99Us + ' µs' : '';
    const q = data.reviewQueue;
    $('liveQueue').textContent = q ? 'Review queue: ' + q.open + ' open, ' + q.inReview + ' in review' : '';
    const merchants = $('liveMerchants');
    clear(merchants);
    data.topAlertMerchants[0].merchants.forEach((m) => merchants.appendChild(el('li', m.merchantId + ': ' + m.alerts)));
  }

  function startLive() {
    loadLive();
    if (liveTimer === null) {
      liveTimer = setInterval(loadLive, 5000);
    }
  }

  function stopLive() {
    if (liveTimer !== null) {
      clearInterval(liveTimer);
      liveTimer = null;
    }
  }

  // --- live alerts

  function alertsState(state, text) {
    $('alertsStatus').dataset.state = state;
    $('alertsStatus').textContent = text;
  }

  function connectAlerts() {
    if (socket || !me) {
      return;
    }
    const scheme = location.protocol === 'https:' ? 'wss://' : 'ws://';
    const ws = new WebSocket(scheme + location.host + '/v1/alerts');
    socket = ws;
    ws.addEventListener('open', () => alertsState('live', 'live'));
    ws.addEventListener('message', (event) => addAlert(JSON.parse(event.data)));
    ws.addEventListener('close', () => {
      if (socket === ws) {
        socket = null;
        alertsState('closed', 'offline, reconnecting');
        retryTimer = setTimeout(() => { retryTimer = null; connectAlerts(); }, 3000);
      }
    });
  }

  function addAlert(alert) {
    const d = alert.decision || {};
    const t = alert.transaction || {};
    const li = el('li');
    li.dataset.txnId = String(d.txnId);
    li.appendChild(el('span', d.decision + ' ' + d.score, d.decision));
    li.appendChild(document.createTextNode(' '));
    const link = el('a', d.txnId);
    link.href = '#/case/' + encodeURIComponent(String(d.journalIndex));
    li.appendChild(link);
    li.appendChild(document.createTextNode(' ' + (t.merchantId || '') + ' ' + (t.amount || '') + ' '
      + (t.currency || '')));
    const list = $('alerts');
    list.insertBefore(li, list.firstChild);
    while (list.children.length > MAX_ALERTS) {
      list.removeChild(list.lastChild);
    }
  }

  // --- navigation

  function route() {
    if (!me) {
      return;
    }
    const match = /^#\/case\/(\d+)$/.exec(location.hash);
    if (match) {
      showCase(match[1]);
    } else if (location.hash === '#/versions') {
      showVersions();
    } else if (location.hash === '#/lists') {
      showLists();
    } else {
      showQueue();
    }
  }

  document.addEventListener('DOMContentLoaded', async () => {
    $('loginForm').addEventListener('submit', login);
    $('logoutButton').addEventListener('click', logout);
    $('filters').addEventListener('submit', (event) => { event.preventDefault(); pages = [null]; loadQueue(0); });
    $('firstPage').addEventListener('click', () => loadQueue(0));
    $('nextPage').addEventListener('click', () => loadQueue(Number($('nextPage').dataset.page)));
    $('assignMe').addEventListener('click', () => change('/assign', { assignee: me.name }));
    $('resolveFraud').addEventListener('click', () => resolve('FRAUD'));
    $('resolveLegit').addEventListener('click', () => resolve('LEGITIMATE'));
    $('commentForm').addEventListener('submit', comment);
    $('listAdd').addEventListener('submit', addToList);
    $('lList').addEventListener('change', () => loadList());
    $('lKind').addEventListener('change', () => loadList());
    $('listMore').addEventListener('click', () => loadListPage());
    window.addEventListener('hashchange', route);
    const response = await fetch('session', { credentials: 'same-origin', headers: { 'X-ECAP-Console': '1' } });
    if (response.ok) {
      started(await response.json());
    } else {
      showLogin();
    }
  });
}());
