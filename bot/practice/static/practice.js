// The practice page: a small Telegram in the browser. Each person's chat with the bot and the
// campaign group, side by side; what a person does goes to /api/* and reaches the bot as a
// Telegram update through the stand-in. Texts come from locales/ (practice-web-*).
(function () {
  'use strict';
  let texts = {};
  let version = '';
  let samples = [];
  let seenAlert = -1;
  let generation = null;
  const panes = new Map(); // chat id -> {el, last}

  const t = (key) => texts[key] || key;

  async function post(path, body) {
    const response = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return answer(response);
  }

  async function answer(response) {
    let body = {};
    try { body = await response.json(); } catch (e) { body = {}; }
    if (!response.ok) throw new Error(body.error || 'practice-web-failed');
    return body;
  }

  // ---- Telegram's formatting: text + entities (UTF-16 offsets, as JS strings count) ----------
  const TAGS = {
    bold: 'b', italic: 'i', underline: 'u', strikethrough: 's', code: 'code', pre: 'pre',
    blockquote: 'blockquote', expandable_blockquote: 'blockquote',
  };

  function entityElement(entity, text) {
    if (entity.type === 'text_link' || entity.type === 'url') {
      const href = entity.type === 'url'
        ? text.slice(entity.offset, entity.offset + entity.length) : entity.url;
      if (/^(https?:|tg:)/i.test(href || '')) {
        const a = document.createElement('a');
        a.href = href; a.target = '_blank'; a.rel = 'noopener noreferrer';
        return a;
      }
      return document.createElement('span');
    }
    if (entity.type === 'spoiler') {
      const span = document.createElement('span');
      span.className = 'spoiler';
      span.addEventListener('click', () => span.classList.add('shown'));
      return span;
    }
    return document.createElement(TAGS[entity.type] || 'span');
  }

  function formatted(text, entities) {
    const out = document.createElement('div');
    out.className = 'text';
    const list = (entities || []).slice().sort((a, b) => a.offset - b.offset || b.length - a.length);
    (function build(parent, start, end, items) {
      let pos = start;
      let i = 0;
      while (i < items.length) {
        const entity = items[i];
        const stop = entity.offset + entity.length;
        if (entity.offset > pos) parent.append(text.slice(pos, entity.offset));
        const inner = [];
        let j = i + 1;
        while (j < items.length && items[j].offset < stop) { inner.push(items[j]); j += 1; }
        const el = entityElement(entity, text);
        build(el, Math.max(entity.offset, pos), stop, inner);
        parent.append(el);
        pos = Math.max(pos, stop);
        i = j;
      }
      if (pos < end) parent.append(text.slice(pos, end));
    })(out, 0, text.length, list);
    return out;
  }

  // ---- one message ----------------------------------------------------------------------
  function messageElement(message, chatId, personId, botId) {
    const li = document.createElement('li');
    const fromBot = message.from && message.from.id === botId;
    li.className = fromBot ? 'from-bot' : 'from-person';
    li.dataset.messageId = message.message_id;
    if (!fromBot && message.from && chatId < 0) {
      const who = document.createElement('div');
      who.className = 'sender';
      who.textContent = message.from.first_name;
      li.append(who);
    }
    if (message.photo && message.photo.length) {
      const img = document.createElement('img');
      img.src = '/api/files/' + encodeURIComponent(message.photo[message.photo.length - 1].file_id);
      img.alt = '';
      img.className = 'photo';
      img.addEventListener('load', () => {
        const pane = panes.get(String(chatId));
        const list = li.parentElement;
        if (pane && pane.stick && list) list.scrollTop = list.scrollHeight;
      });
      li.append(img);
    }
    if (message.document) {
      const a = document.createElement('a');
      const name = message.document.file_name || 'file';
      a.href = '/api/files/' + encodeURIComponent(message.document.file_id)
        + '?name=' + encodeURIComponent(name);
      a.className = 'document';
      a.textContent = '📄 ' + name;
      a.title = t('practice-web-download');
      li.append(a);
    }
    if (message.location) {
      const loc = document.createElement('div');
      loc.className = 'location';
      loc.textContent = '📍 ' + message.location.latitude.toFixed(5) + ', '
        + message.location.longitude.toFixed(5);
      li.append(loc);
    }
    const body = message.text !== undefined ? message.text : message.caption;
    if (body !== undefined) {
      li.append(formatted(body, message.text !== undefined ? message.entities : message.caption_entities));
    }
    const markup = message.reply_markup && message.reply_markup.inline_keyboard;
    if (markup) {
      const box = document.createElement('div');
      box.className = 'inline-keyboard';
      for (const row of markup) {
        const line = document.createElement('div');
        line.className = 'row';
        for (const button of row) line.append(inlineButton(button, message, chatId, personId));
        box.append(line);
      }
      li.append(box);
    }
    return li;
  }

  function inlineButton(button, message, chatId, personId) {
    const el = document.createElement('button');
    el.type = 'button';
    el.textContent = button.text;
    if (button.callback_data !== undefined) {
      el.dataset.callback = button.callback_data;
      el.addEventListener('click', () => act(chatId, () => post('/api/press', {
        person: personId, chat_id: chatId, message_id: message.message_id, data: button.callback_data,
      })));
    } else if (button.url) {
      el.addEventListener('click', () => window.open(button.url, '_blank', 'noopener'));
    } else if (button.web_app) {
      el.addEventListener('click', () => openWebApp(chatId, personId, button.web_app.url));
    } else {
      el.disabled = true;
    }
    return el;
  }

  async function openWebApp(chatId, personId, url) {
    const opened = window.open('', '_blank');
    try {
      const body = await post('/api/web-app', { person: personId, url: url });
      if (opened) opened.location = body.url; else window.location = body.url;
    } catch (error) {
      if (opened) opened.close();
      notice(chatId, t(error.message));
    }
  }

  // ---- panes --------------------------------------------------------------------------------
  function notice(chatId, text) {
    const pane = panes.get(String(chatId));
    if (!pane) return;
    const box = pane.el.querySelector('.notice');
    box.textContent = text;
    box.hidden = false;
    clearTimeout(pane.noticeTimer);
    pane.noticeTimer = setTimeout(() => { box.hidden = true; }, 5000);
  }

  async function act(chatId, action) {
    try { await action(); } catch (error) { notice(chatId, t(error.message)); }
  }

  function upload(chatId, personId, asFile, sample, file, caption) {
    const form = new FormData();
    form.append('person', personId);
    form.append('as', asFile ? 'file' : 'photo');
    form.append('caption', caption || '');
    if (sample) form.append('sample', sample);
    if (file) form.append('file', file, file.name);
    return act(chatId, async () => answer(await fetch('/api/upload', { method: 'POST', body: form })));
  }

  function makePane(chatId, person, group) {
    const el = document.getElementById('pane').content.firstElementChild.cloneNode(true);
    el.dataset.chat = chatId;
    el.querySelector('.pane-name').textContent = group ? group.title : person.name;
    el.querySelector('.pane-role').textContent = t('practice-web-role-' + (group ? 'group' : person.role));
    if (group) {
      for (const selector of ['.composer', '.media', '.extras']) {
        el.querySelectorAll(selector).forEach((node) => node.remove());
      }
      return el;
    }
    const input = el.querySelector('.text');
    input.placeholder = t('practice-web-message-placeholder');
    el.querySelector('.send').textContent = t('practice-web-send');
    el.querySelector('.composer').addEventListener('submit', (event) => {
      event.preventDefault();
      const text = input.value;
      if (!text.trim()) return;
      act(chatId, async () => { await post('/api/text', { person: person.id, text: text }); input.value = ''; });
    });
    const select = el.querySelector('.sample');
    for (const name of samples) {
      const option = document.createElement('option');
      option.value = name;
      option.textContent = t('practice-web-sample') + ': ' + name;
      select.append(option);
    }
    el.querySelector('.send-sample-photo').textContent = t('practice-web-send-photo');
    el.querySelector('.send-sample-file').textContent = t('practice-web-send-file');
    el.querySelector('.send-sample-photo').addEventListener('click',
      () => upload(chatId, person.id, false, select.value, null, ''));
    el.querySelector('.send-sample-file').addEventListener('click',
      () => upload(chatId, person.id, true, select.value, null, ''));
    const chosen = el.querySelector('.chosen');
    const caption = el.querySelector('.caption');
    chosen.title = t('practice-web-from-computer');
    caption.placeholder = t('practice-web-caption');
    el.querySelector('.send-chosen-photo').textContent = t('practice-web-send-photo');
    el.querySelector('.send-chosen-file').textContent = t('practice-web-send-file');
    for (const [selector, asFile] of [['.send-chosen-photo', false], ['.send-chosen-file', true]]) {
      el.querySelector(selector).addEventListener('click', async () => {
        if (!chosen.files.length) return;
        await upload(chatId, person.id, asFile, null, chosen.files[0], caption.value);
        chosen.value = ''; caption.value = '';
      });
    }
    const join = el.querySelector('.join');
    join.textContent = t('practice-web-join');
    join.addEventListener('click', () => act(chatId, () => post('/api/join', { person: person.id })));
    return el;
  }

  function renderKeyboard(pane, chatId, personId, keyboard) {
    const box = pane.el.querySelector('.reply-keyboard');
    box.replaceChildren();
    if (!keyboard) return;
    for (const row of keyboard.keyboard) {
      const line = document.createElement('div');
      line.className = 'row';
      for (const raw of row) {
        const button = typeof raw === 'string' ? { text: raw } : raw;
        const el = document.createElement('button');
        el.type = 'button';
        el.textContent = button.text;
        el.addEventListener('click', () => {
          if (button.request_location) return showSpots(pane, chatId, personId);
          return act(chatId, () => post('/api/text', { person: personId, text: button.text }));
        });
        line.append(el);
      }
      box.append(line);
    }
  }

  function showSpots(pane, chatId, personId) {
    const box = pane.el.querySelector('.spots');
    box.replaceChildren();
    const title = document.createElement('div');
    title.textContent = t('practice-web-location-pick');
    box.append(title);
    for (const spot of pane.spots) {
      const el = document.createElement('button');
      el.type = 'button';
      el.textContent = '📍 ' + spot.name;
      el.addEventListener('click', () => {
        box.hidden = true;
        act(chatId, () => post('/api/location', {
          person: personId, latitude: spot.latitude, longitude: spot.longitude,
        }));
      });
      box.append(el);
    }
    const cancel = document.createElement('button');
    cancel.type = 'button';
    cancel.textContent = t('practice-web-cancel');
    cancel.addEventListener('click', () => { box.hidden = true; });
    box.append(cancel);
    box.hidden = false;
  }

  function render(state) {
    if (generation !== null && state.version.split('.')[0] !== generation) {
      for (const pane of panes.values()) pane.el.remove();
      panes.clear();
    }
    generation = state.version.split('.')[0];
    const container = document.getElementById('panes');
    const chats = state.people.map((p) => [String(p.id), p, null]);
    chats.push([String(state.group.id), null, state.group]);
    for (const [chatId, person, group] of chats) {
      let pane = panes.get(chatId);
      if (!pane) {
        pane = { el: makePane(Number(chatId), person, group), last: '', stick: true };
        panes.set(chatId, pane);
        const list = pane.el.querySelector('.messages');
        const entry = pane;
        list.addEventListener('scroll', () => {
          entry.stick = list.scrollHeight - list.scrollTop - list.clientHeight < 40;
        });
        container.append(pane.el);
      }
      pane.spots = state.spots;
      const chat = state.chats[chatId];
      const snapshot = JSON.stringify(chat);
      if (snapshot === pane.last) continue;
      pane.last = snapshot;
      const list = pane.el.querySelector('.messages');
      const stick = pane.stick;
      list.replaceChildren(...chat.messages.map(
        (m) => messageElement(m, Number(chatId), person ? person.id : null, state.bot.id)));
      if (stick) { list.scrollTop = list.scrollHeight; pane.stick = true; }
      if (person) {
        renderKeyboard(pane, Number(chatId), person.id, chat.keyboard);
        const menu = pane.el.querySelector('.menu-button');
        const webApp = chat.menu && chat.menu.type === 'web_app' && chat.menu.web_app;
        menu.hidden = !webApp;
        if (webApp) {
          menu.textContent = '☰ ' + (chat.menu.text || t('practice-web-open-console'));
          menu.onclick = () => openWebApp(Number(chatId), person.id, webApp.url);
        }
      }
    }
    for (const alert of state.alerts) {
      if (alert.seq > seenAlert) {
        seenAlert = alert.seq;
        notice(alert.person, alert.text);
      }
    }
  }

  async function poll() {
    for (;;) {
      try {
        const response = await fetch('/api/state?version=' + encodeURIComponent(version));
        const state = await answer(response);
        version = state.version;
        render(state);
      } catch (error) {
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  }

  async function start() {
    const all = await answer(await fetch('/api/texts'));
    const language = (navigator.language || 'ko').toLowerCase().startsWith('en') ? 'en' : 'ko';
    texts = all[language] || all.ko;
    document.documentElement.lang = language;
    samples = await answer(await fetch('/api/samples'));
    document.title = t('practice-web-title');
    document.getElementById('title').textContent = t('practice-web-title');
    document.getElementById('intro').textContent = t('practice-web-intro');
    document.getElementById('next-day').textContent = t('practice-web-next-day-unavailable');
    const add = document.getElementById('add-person');
    add.textContent = t('practice-web-add-person');
    add.addEventListener('click', () => post('/api/people', {}));
    const over = document.getElementById('start-over');
    over.textContent = t('practice-web-reset');
    over.addEventListener('click', async () => {
      if (!window.confirm(t('practice-web-reset-confirm'))) return;
      over.disabled = true;
      over.textContent = t('practice-web-restarting');
      try { await post('/api/start-over', {}); } finally {
        setTimeout(() => { over.disabled = false; over.textContent = t('practice-web-reset'); }, 3000);
      }
    });
    poll();
  }

  start();
})();
