// The leaders' console: asks the bot's api/ with Telegram's initData on every request and
// builds the page from the answers. Text is always placed with textContent, never as markup.
'use strict';

(function () {
  const tg = window.Telegram && window.Telegram.WebApp;
  const initData = readInitData();
  const main = document.getElementById('main');
  const tabs = document.getElementById('tabs');
  let T = {};
  let session = null;
  let route = { page: 'today' };
  let map = null;

  function readInitData() {
    if (tg && tg.initData) return tg.initData;
    // Telegram passes it in the URL's fragment; telegram-web-app.js reads it from there too.
    const hash = new URLSearchParams(window.location.hash.slice(1));
    return hash.get('tgWebAppData') || '';
  }

  function t(key) {
    return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key;
  }

  function el(tag, props, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props || {})) {
      if (value === undefined || value === null || value === false) continue;
      if (key === 'class') node.className = value;
      else if (key === 'text') node.textContent = value;
      else if (key.startsWith('on')) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? '' : String(value));
    }
    for (const child of children.flat(Infinity)) {
      if (child === null || child === undefined || child === false) continue;
      node.append(child instanceof Node ? child : String(child));
    }
    return node;
  }

  class Refused extends Error {}

  async function api(path, options) {
    const opts = options || {};
    const headers = { Authorization: 'tma ' + initData };
    let body;
    if (opts.body !== undefined) {
      headers['Content-Type'] = 'application/json';
      body = JSON.stringify(opts.body);
    }
    const response = await fetch('api/' + path, { method: opts.method || 'GET', headers, body });
    if (response.status === 401 || response.status === 403) throw new Refused(String(response.status));
    if (response.status === 429) throw new Error(t('web-busy'));
    if (!response.ok) throw new Error(t('web-failed'));
    return opts.blob ? response.blob() : response.json();
  }

  function post(path, body) {
    return api(path, { method: 'POST', body: body || {} });
  }

  // ---- small widgets ------------------------------------------------------------------------

  let toastTimer = null;
  function toast(message) {
    const box = document.getElementById('toast');
    box.textContent = message;
    box.hidden = false;
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.hidden = true; }, 3500);
  }

  // A question in a dialog: a text (required or not), or a choice among options.
  function ask(title, field) {
    const dialog = document.getElementById('ask');
    const holder = document.getElementById('ask-field');
    document.getElementById('ask-title').textContent = title;
    document.getElementById('ask-ok').textContent = field.ok || t('web-ok');
    document.getElementById('ask-cancel').textContent = t('web-cancel');
    let input;
    if (field.options) {
      input = el('select', { id: 'ask-input' },
        field.options.map((name, index) => el('option', { value: String(index), text: name })));
    } else {
      input = el('textarea', { id: 'ask-input', rows: 3, maxlength: field.max || 300 });
      input.value = field.value || '';
      input.placeholder = field.placeholder || '';
      if (field.required) input.required = true;
    }
    holder.replaceChildren(el('label', { for: 'ask-input', text: field.label || '' }), input);
    return new Promise((resolve) => {
      const cancel = document.getElementById('ask-cancel');
      function done(value) {
        dialog.removeEventListener('close', onClose);
        cancel.removeEventListener('click', onCancel);
        resolve(value);
      }
      function onClose() { done(dialog.returnValue === 'ok' ? input.value.trim() : null); }
      function onCancel() { dialog.returnValue = 'cancel'; dialog.close(); }
      dialog.addEventListener('close', onClose);
      cancel.addEventListener('click', onCancel);
      document.getElementById('ask-ok').value = 'ok';
      dialog.returnValue = '';
      dialog.showModal();
      input.focus();
    });
  }

  // Photos come through the server as blobs (the request must carry the initData header).
  // A certification's photos never change: each is fetched once per opening of the console
  // (the chart is drawn afresh each time).
  const photoQueue = [];
  const photoCache = new Map();
  let photosLoading = 0;
  function photo(path, alt) {
    const img = el('img', { class: 'photo', alt: alt || '', loading: 'lazy' });
    const cached = photoCache.get(path);
    if (cached) {
      img.src = cached;
      img.classList.add('loaded');
    } else {
      photoQueue.push([img, path]);
      pumpPhotos();
    }
    return img;
  }
  function pumpPhotos() {
    while (photosLoading < 4 && photoQueue.length) {
      const [img, path] = photoQueue.shift();
      photosLoading += 1;
      api(path, { blob: true })
        .then((blob) => {
          const url = URL.createObjectURL(blob);
          if (path !== 'chart.png') remember(path, url);
          img.src = url;
          img.classList.add('loaded');
        })
        .catch(() => { img.classList.add('missing'); })
        .finally(() => { photosLoading -= 1; pumpPhotos(); });
    }
  }
  function remember(path, url) {
    photoCache.set(path, url);
    if (photoCache.size > 300) {
      const [oldest, oldUrl] = photoCache.entries().next().value;
      photoCache.delete(oldest);
      URL.revokeObjectURL(oldUrl);
    }
  }

  function outcome(result) {
    if (result.outcome === 'done') toast(t('web-done'));
    else if (result.outcome === 'unchanged') toast(t('web-unchanged'));
    else if (result.outcome === 'invalid') toast(result.message || t('web-failed'));
    else toast(t('web-unknown'));
    return result.outcome === 'done';
  }

  async function act(path, body) {
    try {
      const result = await post(path, body);
      outcome(result);
    } catch (error) {
      if (error instanceof Refused) return refused();
      toast(error.message);
    }
    return show();
  }

  function section(titleKey, ...children) {
    return el('section', { class: 'section' }, el('h2', { text: t(titleKey) }), children);
  }

  function empty(key) {
    return el('p', { class: 'hint', text: t(key) });
  }

  function category(code) {
    return code ? t('web-category-' + code) : '—';
  }

  // Whole hours go to the 1365 portal; the minutes are carried to the next certification.
  function hours(whole, carried) {
    return whole + t('web-hours-unit') + (carried ? ' ' + carried + t('web-minutes-unit') : '');
  }

  function statusName(code) {
    return t('web-status-' + code);
  }

  // ---- pages --------------------------------------------------------------------------------

  const PAGES = ['today', 'people', 'risks', 'stats'];

  function drawTabs() {
    tabs.replaceChildren(...PAGES.map((page) => el('button', {
      class: route.page === page || (page === 'people' && route.page === 'person') ? 'tab active' : 'tab',
      id: 'tab-' + page,
      onclick: () => go({ page }),
      text: t('web-tab-' + page),
    })));
  }

  function go(next) {
    route = next;
    window.scrollTo(0, 0);
    return show();
  }

  // Each page asks the server first; an answer that arrives after the leader moved on to
  // another page is dropped instead of replacing it.
  let renders = 0;
  function stale(ticket) { return ticket !== renders; }

  // Inside Telegram, a person's page gets Telegram's own back button.
  function backButton() {
    const back = tg && tg.BackButton;
    if (!back) return;
    if (route.page === 'person') back.show(); else back.hide();
  }

  async function show() {
    drawTabs();
    backButton();
    if (map) { map.remove(); map = null; }
    const ticket = ++renders;
    try {
      if (route.page === 'today') await showToday(ticket);
      else if (route.page === 'people') await showPeople(ticket);
      else if (route.page === 'person') await showPerson(ticket);
      else if (route.page === 'risks') await showRisks(ticket);
      else if (route.page === 'stats') await showStats(ticket);
    } catch (error) {
      if (error instanceof Refused) return refused();
      main.replaceChildren(el('p', { class: 'error', text: error.message }));
    }
    document.body.dataset.page = route.page;
  }

  function counts(items) {
    return el('div', { class: 'counts' }, items.map(([key, value]) => el('div', { class: 'count' },
      el('strong', { text: String(value) }), el('span', { text: t(key) }))));
  }

  async function showToday(ticket) {
    const data = await api('today?offset=' + (route.offset || 0));
    if (stale(ticket)) return;
    const c = data.counts;
    main.replaceChildren(
      el('h1', { text: data.day }),
      counts([['web-count-pending', c.pending], ['web-count-certified', c.certified],
        ['web-count-revoked', c.revoked], ['web-count-risks', c.risks]]),
      section('web-applications', data.applications.length
        ? el('div', { class: 'cards' }, data.applications.map(applicationCard))
        : empty('web-applications-none')),
      section('web-certifications', data.certifications.items.length
        ? [el('div', { class: 'grid', id: 'cert-grid' }, data.certifications.items.map(certificationCard)),
          pager(data.certifications, (offset) => go({ page: 'today', offset }))]
        : empty('web-certifications-none')),
      section('web-new-risks', data.risks.length
        ? el('ul', { class: 'list' }, data.risks.map((r) => el('li', {},
          el('button', { class: 'link', onclick: () => go({ page: 'risks' }),
            text: t('risk-category-' + r.category) + ' · ' + place(r) }),
          el('p', { class: 'note', text: r.description || '' }))))
        : empty('web-risks-none')),
    );
  }

  function pager(block, open) {
    const pages = Math.ceil(block.total / block.page);
    if (pages <= 1) return null;
    const current = Math.floor(block.offset / block.page);
    return el('div', { class: 'pager' },
      el('button', { class: 'secondary', disabled: current === 0,
        onclick: () => open((current - 1) * block.page), text: t('web-previous') }),
      el('span', { text: (current + 1) + ' / ' + pages }),
      el('button', { class: 'secondary', disabled: current + 1 >= pages,
        onclick: () => open((current + 1) * block.page), text: t('web-next') }));
  }

  function field(labelKey, value) {
    return [el('dt', { text: t(labelKey) }), el('dd', { text: value === null || value === undefined || value === '' ? '—' : String(value) })];
  }

  function applicationCard(a) {
    return el('article', { class: 'card application', 'data-id': a.id },
      el('h3', { text: a.name }),
      el('dl', {},
        field('web-field-category', category(a.category)),
        a.category === 'middle' ? field('web-field-under14', a.under_14 ? t('web-yes') + (a.guardian_consent ? ' · ' + t('web-guardian-ok') : '') : t('web-no')) : null,
        field('web-field-affiliation', a.affiliation),
        field('web-field-neighbourhood', a.neighbourhood),
        field('web-field-volunteer-id', a.volunteer_id || t('web-missing')),
        field('web-field-telegram', a.telegram_name + (a.username ? ' @' + a.username : '')),
        field('web-field-applied', a.applied)),
      el('div', { class: 'actions' },
        el('button', { class: 'approve', onclick: () => act('applications/' + a.id + '/approve'), text: t('web-approve') }),
        el('button', { class: 'danger', onclick: async () => {
          const reason = await ask(t('web-reject-title') + ' ' + a.name, { label: t('web-reason-optional') });
          if (reason !== null) await act('applications/' + a.id + '/reject', { reason });
        }, text: t('web-reject') })));
  }

  function certificationCard(c) {
    const revoked = c.status === 'revoked';
    return el('article', { class: revoked ? 'card cert revoked' : 'card cert', 'data-id': c.id },
      el('div', { class: 'pair' }, ['start', 'end'].map((role) => el('figure', {},
        c.photos.includes(role) ? photo('photo/' + c.id + '/' + role, t('web-photo-' + role)) : el('div', { class: 'photo missing' }),
        el('figcaption', { text: t('web-photo-' + role) + ' ' + (role === 'start' ? c.start : c.end) })))),
      el('h3', {}, el('button', { class: 'link', onclick: () => go({ page: 'person', id: c.participant }), text: c.name })),
      el('p', { class: 'mission', text: c.mission }),
      c.note ? el('p', { class: 'note', text: c.note }) : null,
      revoked ? el('p', { class: 'badge danger-text', text: t('web-revoked') + (c.reason ? ': ' + c.reason : '') }) : null,
      el('div', { class: 'actions' }, revoked
        ? el('button', { class: 'secondary restore', onclick: () => act('certifications/' + c.id + '/restore'), text: t('web-restore') })
        : el('button', { class: 'danger revoke', onclick: async () => {
          const reason = await ask(t('web-revoke-title') + ' ' + c.name, { label: t('web-reason-required'), required: true });
          if (reason) await act('certifications/' + c.id + '/revoke', { reason });
        }, text: t('web-revoke') })));
  }

  // ---- 참여자 -------------------------------------------------------------------------------

  const table = { q: '', status: '', category: '', missing: false, sort: 'name', desc: false, offset: 0 };
  const COLUMNS = [
    ['name', 'web-col-name'], ['category', 'web-col-category'], ['affiliation', 'web-col-affiliation'],
    ['neighbourhood', 'web-col-neighbourhood'], ['status', 'web-col-status'], ['round', 'web-col-round'],
    ['total', 'web-col-total'], [null, 'web-col-hours'], [null, 'web-col-streak'],
    [null, 'web-col-rewards'], [null, 'web-col-volunteer-id'],
  ];

  async function showPeople(ticket) {
    if (stale(ticket)) return;
    const search = el('input', { type: 'search', id: 'people-search', placeholder: t('web-search'), value: table.q });
    let timer = null;
    search.addEventListener('input', () => {
      clearTimeout(timer);
      timer = setTimeout(() => { table.q = search.value; table.offset = 0; loadTable(); }, 250);
    });
    const status = el('select', { id: 'people-status', onchange: (e) => { table.status = e.target.value; table.offset = 0; loadTable(); } },
      el('option', { value: '', text: t('web-all-statuses') }),
      ['approved', 'paused', 'pending', 'rejected'].map((s) => el('option', { value: s, selected: table.status === s, text: statusName(s) })));
    const cat = el('select', { id: 'people-category', onchange: (e) => { table.category = e.target.value; table.offset = 0; loadTable(); } },
      el('option', { value: '', text: t('web-all-categories') }),
      ['middle', 'high', 'university', 'adult'].map((s) => el('option', { value: s, selected: table.category === s, text: category(s) })));
    const missing = el('input', { type: 'checkbox', id: 'people-missing', checked: table.missing,
      onchange: (e) => { table.missing = e.target.checked; table.offset = 0; loadTable(); } });
    main.replaceChildren(
      el('h1', { text: t('web-tab-people') }),
      el('div', { class: 'filters' }, search, status, cat,
        el('label', { class: 'check' }, missing, t('web-missing-id-only'))),
      el('div', { id: 'people-table' }));
    await loadTable();
  }

  let tableLoads = 0;
  async function loadTable() {
    const query = new URLSearchParams({ q: table.q, status: table.status, category: table.category,
      missing: table.missing ? '1' : '', sort: table.sort, desc: table.desc ? '1' : '', offset: String(table.offset) });
    const ticket = renders;
    const load = ++tableLoads;
    const data = await api('participants?' + query);
    const holder = document.getElementById('people-table');
    if (stale(ticket) || load !== tableLoads || !holder) return;
    const head = el('tr', {}, COLUMNS.map(([sort, key]) => el('th', {}, sort
      ? el('button', { class: 'sort', onclick: () => {
        table.desc = table.sort === sort ? !table.desc : false;
        table.sort = sort; table.offset = 0; loadTable();
      }, text: t(key) + (table.sort === sort ? (table.desc ? ' ▼' : ' ▲') : '') })
      : t(key))));
    const rows = data.items.map((p) => el('tr', { 'data-id': p.id },
      el('td', {}, el('button', { class: 'link', onclick: () => go({ page: 'person', id: p.id }), text: p.name })),
      el('td', { text: category(p.category) }),
      el('td', { text: p.affiliation || '—' }),
      el('td', { text: p.neighbourhood || '—' }),
      el('td', { text: statusName(p.status) }),
      el('td', { class: 'num', text: String(p.in_round) }),
      el('td', { class: 'num', text: String(p.total) }),
      el('td', { class: 'num', text: hours(p.hours, p.carried) }),
      el('td', { class: 'num', text: String(p.streak) }),
      el('td', { class: 'num', text: p.rewards + ' / ' + p.handed_out }),
      el('td', { class: p.missing_id ? 'danger-text' : '', text: p.missing_id ? t('web-missing') : '✓' })));
    holder.replaceChildren(...[
      el('p', { class: 'hint', text: t('web-people-count') + ' ' + data.total }),
      el('div', { class: 'table-wrap' }, el('table', { class: 'people' }, el('thead', {}, head), el('tbody', {}, rows))),
      data.items.length ? pager(data, (offset) => { table.offset = offset; loadTable(); }) : empty('web-people-none'),
    ].filter(Boolean));
  }

  async function showPerson(ticket) {
    const p = await api('participants/' + route.id);
    if (stale(ticket)) return;
    const paused = p.status === 'approved' && p.paused;
    const buttons = [];
    if (p.status === 'approved') {
      buttons.push(paused
        ? el('button', { onclick: () => act('participants/' + p.id + '/resume'), text: t('web-resume') })
        : el('button', { class: 'secondary', onclick: () => textAction(p, 'pause', 'web-pause-title'), text: t('web-pause') }));
      buttons.push(el('button', { class: 'danger', onclick: () => textAction(p, 'remove', 'web-remove-title'), text: t('web-remove') }));
    }
    buttons.push(el('button', { class: 'secondary', onclick: () => textAction(p, 'name', 'web-fix-name', p.name), text: t('web-fix-name') }));
    buttons.push(el('button', { class: 'secondary', onclick: () => textAction(p, 'volunteer-id', 'web-fix-volunteer-id', p.volunteer_id || ''), text: t('web-fix-volunteer-id') }));
    // Where the campaign requires the camera page: a person whose phone cannot may use chat photos.
    const photos = await api('participants/' + p.id + '/chat-photos');
    if (stale(ticket)) return;
    if (photos.required) {
      const verb = photos.allowed ? 'withdraw' : 'allow';
      buttons.push(el('button', { class: 'secondary', onclick: () => act('participants/' + p.id + '/chat-photos/' + verb), text: t('web-' + verb + '-chat-photos') }));
    }
    main.replaceChildren(
      el('button', { class: 'link back', onclick: () => go({ page: 'people' }), text: '← ' + t('web-tab-people') }),
      el('h1', { text: p.name }),
      el('p', { class: 'badge', text: statusName(paused ? 'paused' : p.status) + (p.reason ? ' · ' + p.reason : '') }),
      counts([['web-count-today', p.today], ['web-count-round', p.in_round], ['web-count-total', p.total],
        ['web-count-hours', hours(p.hours, p.carried)]]),
      el('div', { class: 'actions' }, buttons),
      section('web-person-info', el('dl', {},
        field('web-field-category', category(p.category)),
        field('web-field-affiliation', p.affiliation),
        field('web-field-neighbourhood', p.neighbourhood),
        field('web-field-volunteer-id', p.volunteer_id || t('web-missing')),
        field('web-field-telegram', p.telegram_name + (p.username ? ' @' + p.username : '')),
        field('web-field-reachable', p.reachable ? t('web-yes') : t('web-no')),
        field('web-field-handed-out', p.handed_out.join(', ')))),
      section('web-rewards', el('ul', { class: 'list' },
        p.rewards.map((r) => el('li', {}, r.name + ' (' + r.count + ') · ',
          r.handed ? t('web-handed') : r.reached
            ? el('button', { class: 'secondary handout', onclick: () => act('participants/' + p.id + '/handout', { reward: r.reward }), text: t('web-hand-out') })
            : t('web-not-reached'))),
        el('li', {}, t('web-letter') + ' · ', p.letter ? t('web-handed')
          : el('button', { class: 'secondary handout', onclick: () => act('participants/' + p.id + '/handout', { reward: 'letter' }), text: t('web-hand-out') })))),
      section('web-calendar', el('p', { class: 'hint', text: p.round }),
        el('div', { class: 'calendar' }, p.calendar.map((d) => el('span', {
          class: d.count ? 'day done' : 'day', title: d.day, text: String(d.label) })))),
      section('web-history', p.history.length ? el('ul', { class: 'list' }, p.history.map((h) => el('li', {
        class: h.status === 'revoked' ? 'revoked' : '' },
        el('strong', { text: h.day }), ' ', h.mission,
        h.status === 'revoked' ? el('span', { class: 'danger-text', text: ' · ' + t('web-revoked') }) : null,
        h.note ? el('p', { class: 'note', text: h.note }) : null))) : empty('web-history-none')));
  }

  async function textAction(person, verb, titleKey, value) {
    const required = verb !== 'resume';
    const text = await ask(t(titleKey) + ' · ' + person.name, { label: t(verb === 'name' || verb === 'volunteer-id' ? 'web-new-value' : 'web-reason-required'), required, value });
    if (text) await act('participants/' + person.id + '/' + verb, { text });
  }

  // ---- 위험 신고 ----------------------------------------------------------------------------

  const riskFilter = { status: 'open', category: '' };

  function place(r) {
    if (r.latitude !== null && r.longitude !== null) return r.latitude.toFixed(5) + ', ' + r.longitude.toFixed(5);
    return r.address || '—';
  }

  async function showRisks(ticket) {
    const data = await api('risks?' + new URLSearchParams(riskFilter));
    if (stale(ticket)) return;
    const status = el('select', { id: 'risk-status', onchange: (e) => { riskFilter.status = e.target.value; show(); } },
      ['open', 'all', ...session.risk_statuses].map((s) => el('option', { value: s, selected: riskFilter.status === s,
        text: s === 'open' ? t('web-risk-open') : s === 'all' ? t('web-all-statuses') : t('risk-status-' + s) })));
    const cat = el('select', { id: 'risk-category', onchange: (e) => { riskFilter.category = e.target.value; show(); } },
      el('option', { value: '', text: t('web-all-categories') }),
      session.categories.map((c) => el('option', { value: c, selected: riskFilter.category === c, text: t('risk-category-' + c) })));
    const notice = el('p', { class: 'hint', id: 'map-notice', hidden: true, text: t('web-map-failed') });
    const mapBox = el('div', { id: 'map', role: 'region', 'aria-label': t('web-tab-risks') });
    main.replaceChildren(
      el('h1', { text: t('web-tab-risks') }),
      el('div', { class: 'filters' }, status, cat),
      mapBox, notice,
      el('ul', { class: 'list risks', id: 'risk-list' }, data.items.length ? data.items.map(riskItem) : empty('web-risks-none')));
    drawMap(mapBox, notice, data.items);
  }

  function drawMap(box, notice, items) {
    if (!window.L) { box.hidden = true; notice.hidden = false; return; }
    map = window.L.map(box, { zoomControl: true });
    let loaded = 0;
    const layer = window.L.tileLayer(session.tile_url, { maxZoom: 19, attribution: '© OpenStreetMap' });
    layer.on('tileload', () => { loaded += 1; notice.hidden = true; });
    layer.on('tileerror', () => { if (!loaded) notice.hidden = false; });
    layer.addTo(map);
    const located = items.filter((r) => r.latitude !== null && r.longitude !== null);
    const cluster = window.L.markerClusterGroup ? window.L.markerClusterGroup() : window.L.layerGroup();
    for (const r of located) {
      const popup = el('div', { class: 'popup' },
        el('strong', { text: '#' + r.id + ' ' + t('risk-category-' + r.category) }),
        el('p', { text: t('risk-status-' + r.status) }),
        el('p', { text: r.description || '' }));
      cluster.addLayer(window.L.marker([r.latitude, r.longitude], { title: '#' + r.id }).bindPopup(popup));
    }
    map.addLayer(cluster);
    if (located.length) map.fitBounds(located.map((r) => [r.latitude, r.longitude]), { padding: [30, 30], maxZoom: 16 });
    else map.setView([35.948, 126.957], 13);
  }

  function riskItem(r) {
    const open = r.status === 'submitted' || r.status === 'forwarded';
    const photoHolder = el('div', { class: 'risk-photo' });
    return el('li', { class: 'risk', 'data-id': r.id },
      el('h3', { text: '#' + r.id + ' ' + t('risk-category-' + r.category) + ' · ' + t('risk-status-' + r.status) }),
      el('p', { class: 'place', text: place(r) }),
      el('p', { class: 'note', text: r.description || '' }),
      el('p', { class: 'hint', text: r.name + ' · ' + r.submitted + (r.agency ? ' · ' + r.agency : '') }),
      photoHolder,
      el('div', { class: 'actions' },
        r.has_photo ? el('button', { class: 'secondary', onclick: (e) => {
          e.target.remove(); photoHolder.replaceChildren(photo('risk-photo/' + r.id, t('web-photo')));
        }, text: t('web-show-photo') }) : null,
        open ? el('button', { class: 'forward', onclick: async () => {
          const choice = await ask(t('web-forward-title') + ' #' + r.id, { options: session.agencies, label: t('web-agency') });
          if (choice !== null) await act('risks/' + r.id + '/forward', { agency: Number(choice), name: session.agencies[Number(choice)] });
        }, text: t('web-forward') }) : null,
        open ? el('button', { class: 'secondary', onclick: async () => {
          const text = await ask(t('web-resolve-title') + ' #' + r.id, { label: t('web-note-required'), required: true });
          if (text) await act('risks/' + r.id + '/resolve', { text });
        }, text: t('web-resolve') }) : null,
        open ? el('button', { class: 'danger', onclick: async () => {
          const text = await ask(t('web-risk-reject-title') + ' #' + r.id, { label: t('web-reason-required'), required: true });
          if (text) await act('risks/' + r.id + '/reject', { text });
        }, text: t('web-reject') }) : null));
  }

  // ---- 통계 --------------------------------------------------------------------------------

  async function showStats(ticket) {
    const s = await api('stats');
    if (stale(ticket)) return;
    if (!s.round) { main.replaceChildren(empty('web-no-round')); return; }
    const chart = s.chart.days.length ? photo('chart.png', t('web-chart')) : empty('web-chart-none');
    chart.classList.add('chart');
    main.replaceChildren(
      el('h1', { text: s.round + ' · ' + s.day }),
      counts([['web-count-approved', s.by_status.approved || 0], ['web-count-pending', s.by_status.pending || 0],
        ['web-count-certified', s.today], ['web-count-round-total', s.certifications], ['web-count-certified-once', s.certified_once]]),
      section('web-chart', chart),
      section('web-by-category', el('table', { class: 'small' }, el('tbody', {},
        ['middle', 'high', 'university', 'adult'].map((c) => el('tr', {}, el('th', { text: category(c) }),
          el('td', { class: 'num', text: String(s.by_category[c] || 0) })))))),
      section('web-rewards', el('table', { class: 'small' },
        el('thead', {}, el('tr', {}, el('th', { text: t('web-col-reward') }), el('th', { text: t('web-col-reached') }),
          el('th', { text: t('web-col-handed') }), el('th', { text: t('web-col-to-hand') }))),
        el('tbody', {}, s.rewards.map((r) => el('tr', {}, el('td', { text: r.reward + ' (' + r.count + ')' }),
          el('td', { class: 'num', text: String(r.reached) }), el('td', { class: 'num', text: String(r.handed) }),
          el('td', { class: 'num', text: String(Math.max(0, r.reached - r.handed)) })))))),
      section('web-top', s.top.length ? el('table', { class: 'small', id: 'ranking' },
        el('thead', {}, el('tr', {}, el('th', { text: '#' }), el('th', { text: t('web-col-name') }),
          el('th', { text: t('web-col-round') }), el('th', { text: t('web-col-streak') }), el('th', { text: t('web-col-reports') }),
          el('th', { text: t('web-letter') }))),
        el('tbody', {}, s.top.map((p, i) => el('tr', {}, el('td', { text: String(i + 1) }),
          el('td', {}, el('button', { class: 'link', onclick: () => go({ page: 'person', id: p.id }), text: p.name })),
          el('td', { class: 'num', text: String(p.in_round) }), el('td', { class: 'num', text: String(p.streak) }),
          el('td', { class: 'num', text: String(p.reports) }),
          el('td', {}, p.letter ? t('web-handed') : el('button', { class: 'secondary handout',
            onclick: () => act('participants/' + p.id + '/handout', { reward: 'letter' }), text: t('web-hand-out-letter') }))))))
        : empty('web-top-none')),
      section('web-exports', el('div', { class: 'actions' },
        [['hours-xlsx', 'web-export-hours-xlsx'], ['hours-csv', 'web-export-hours-csv'],
          ['reports-xlsx', 'web-export-reports-xlsx'], ['reports-geojson', 'web-export-reports-geojson']]
          .map(([kind, key]) => el('button', { class: 'secondary', id: 'export-' + kind, onclick: () => download(kind), text: t(key) })))));
  }

  async function download(kind) {
    try {
      const link = await post('exports/' + kind);
      const url = new URL(link.url, window.location.href).href;
      if (tg && tg.initData && typeof tg.downloadFile === 'function') {
        tg.downloadFile({ url, file_name: link.file_name });
        return;
      }
      const anchor = el('a', { href: url, download: link.file_name, hidden: true });
      document.body.append(anchor);
      anchor.click();
      anchor.remove();
    } catch (error) {
      if (error instanceof Refused) return refused();
      toast(error.message);
    }
  }

  // ---- start --------------------------------------------------------------------------------

  async function refused() {
    tabs.replaceChildren();
    let text = 'Open the console from the bot: /console';
    try {
      const texts = await (await fetch('refused.json')).json();
      const language = (navigator.language || 'ko').toLowerCase().startsWith('en') ? 'en' : 'ko';
      text = texts[language];
    } catch (error) { /* the English line stays */ }
    main.replaceChildren(el('p', { class: 'error', id: 'refused', text }));
    document.body.dataset.page = 'refused';
  }

  // The bot's Korean font, loaded before the first page is drawn (a device without a Korean
  // font would otherwise show boxes in text drawn before it arrived); never waits long.
  function koreanFont() {
    if (!document.fonts || !document.fonts.load) return Promise.resolve();
    const wait = new Promise((resolve) => { setTimeout(resolve, 2000); });
    const faces = ['1em NanumSquareRound', 'bold 1em NanumSquareRound']
      .map((face) => document.fonts.load(face, '가').catch(() => null));
    return Promise.race([Promise.all(faces), wait]);
  }

  // Telegram's colours as CSS variables (telegram-web-app.js sets them too; doing it here keeps
  // the page right whatever that script's version does).
  function applyTheme() {
    const theme = (tg && tg.themeParams) || {};
    for (const [key, value] of Object.entries(theme)) {
      if (/^#[0-9a-fA-F]{3,8}$/.test(String(value))) {
        document.documentElement.style.setProperty('--tg-theme-' + key.replace(/_/g, '-'), value);
      }
    }
    if (tg && tg.colorScheme) document.documentElement.dataset.scheme = tg.colorScheme;
  }

  async function start() {
    if (tg) {
      applyTheme();
      if (tg.onEvent) tg.onEvent('themeChanged', applyTheme);
      if (tg.BackButton) tg.BackButton.onClick(() => go({ page: 'people' }));
      tg.ready();
      tg.expand();
    }
    if (!initData) return refused();
    try {
      session = await api('session');
    } catch (error) {
      if (error instanceof Refused) return refused();
      main.replaceChildren(el('p', { class: 'error', text: String(error.message) }));
      return;
    }
    T = session.texts;
    document.documentElement.lang = session.language;
    await koreanFont();
    document.title = t('web-title');
    await show();
    // The chat acts too: today's page follows it when the leader comes back to the console.
    document.addEventListener('visibilitychange', () => {
      if (document.visibilityState === 'visible' && route.page === 'today') show();
    });
  }

  start();
}());
