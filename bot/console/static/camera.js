// The camera page: one photo step of a certification, taken with the phone's live camera
// (never a file picker), uploaded with Telegram's initData and the ticket the server issued
// when the page opened. The camera is asked for once and kept until the tap: Android's
// Telegram asks again on every getUserMedia call. Text is placed with textContent only.
'use strict';

(function () {
  const tg = window.Telegram && window.Telegram.WebApp;
  const fragment = new URLSearchParams(window.location.hash.slice(1));
  const initData = (tg && tg.initData) || fragment.get('tgWebAppData') || '';
  const platform = (tg && tg.platform) || fragment.get('tgWebAppPlatform') || '';
  // Telegram Desktop has no phone camera, and the web clients' is the computer's webcam.
  const DESKTOP = ['tdesktop', 'macos', 'web', 'weba', 'webk', 'unigram'];
  const $ = (id) => document.getElementById(id);
  const video = $('preview');
  const shootButton = $('shoot');
  const retryButton = $('retry');
  let texts = {};
  let T = {};
  let ticket = null;
  let stream = null;
  let position = null;

  function t(key) {
    return Object.prototype.hasOwnProperty.call(T, key) ? T[key] : key;
  }

  function say(key, help) {
    $('status').textContent = key ? t(key) : '';
    const box = $('help');
    box.textContent = (help || []).map(t).join(' ');
    box.hidden = !help;
  }

  function offerRetry(show) {
    retryButton.hidden = !show;
    shootButton.hidden = show;
  }

  function chooseLanguage(language) {
    const guess = language
      || (tg && tg.initDataUnsafe && tg.initDataUnsafe.user && tg.initDataUnsafe.user.language_code)
      || navigator.language || 'ko';
    const code = String(guess).slice(0, 2);
    T = texts[code] || texts.ko || {};
    document.documentElement.lang = texts[code] ? code : 'ko';
    document.title = t('camera-page-title');
    shootButton.textContent = t('camera-page-shoot');
    retryButton.textContent = t('camera-page-retry');
  }

  async function open() {
    ticket = null;
    say('camera-page-opening');
    offerRetry(false);
    shootButton.disabled = true;
    if (!initData) return say('camera-page-refused');
    let response;
    try {
      response = await fetch('api/open', { method: 'POST', headers: { Authorization: 'tma ' + initData } });
    } catch (error) {
      offerRetry(true);
      return say('camera-page-failed');
    }
    if (response.status === 401 || response.status === 403) return say('camera-page-refused');
    if (response.status === 409) return say('camera-page-nothing-open');
    if (!response.ok) {
      offerRetry(true);
      return say('camera-page-failed');
    }
    ticket = await response.json();
    chooseLanguage(ticket.language);
    $('role').textContent = t(ticket.role === 'end' ? 'camera-page-end' : 'camera-page-start');
    $('mission').textContent = ticket.mission;
    if (DESKTOP.includes(platform)) return say('camera-page-phone-only');
    if (ticket.location) locate();
    if (stream) return ready();
    await startCamera();
  }

  async function startCamera() {
    if (!navigator.mediaDevices || !navigator.mediaDevices.getUserMedia) {
      return say('camera-page-phone-only');
    }
    say('camera-page-opening');
    offerRetry(false);
    try {
      // {ideal: ...}, never {exact: ...}: a laptop or a fake camera has no "environment" side.
      stream = await navigator.mediaDevices.getUserMedia({
        audio: false,
        video: { facingMode: { ideal: 'environment' }, width: { ideal: 1920 }, height: { ideal: 1440 } },
      });
    } catch (error) {
      return cameraFailed(error && error.name);
    }
    video.srcObject = stream;
    ready();
  }

  function ready() {
    say('');
    offerRetry(false);
    shootButton.disabled = false;
  }

  function cameraFailed(name) {
    stream = null;
    offerRetry(true);
    if (name === 'NotAllowedError' || name === 'SecurityError' || name === 'PermissionDeniedError') {
      const help = ['camera-page-denied'];
      if (ticket && ticket.required) help.push('camera-page-ask-leader');
      return say('', help);
    }
    if (name === 'NotReadableError' || name === 'TrackStartError') return say('camera-page-busy');
    if (name === 'OverconstrainedError') return say('camera-page-unsupported');
    if (name === 'NotFoundError' || name === 'DevicesNotFoundError') {
      retryButton.hidden = true;
      return say('camera-page-phone-only');
    }
    return say('camera-page-failed');
  }

  function locate() {
    // Never required: the photo goes without a position if none comes in time.
    $('location-note').textContent = t('camera-page-location');
    $('location-note').hidden = false;
    const keep = (latitude, longitude) => {
      if (typeof latitude === 'number' && typeof longitude === 'number') position = [latitude, longitude];
    };
    const manager = tg && tg.LocationManager;
    if (manager && typeof manager.init === 'function' && tg.isVersionAtLeast && tg.isVersionAtLeast('8.0')) {
      manager.init(() => {
        if (manager.isLocationAvailable) {
          manager.getLocation((found) => { if (found) keep(found.latitude, found.longitude); });
        }
      });
      return;
    }
    if (navigator.geolocation) {
      navigator.geolocation.getCurrentPosition(
        (found) => keep(found.coords.latitude, found.coords.longitude),
        () => {},
        { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 },
      );
    }
  }

  async function shoot() {
    if (!stream || !ticket || !video.videoWidth) return;
    shootButton.disabled = true;
    const canvas = document.createElement('canvas');
    canvas.width = video.videoWidth;
    canvas.height = video.videoHeight;
    canvas.getContext('2d').drawImage(video, 0, 0);
    stream.getTracks().forEach((track) => track.stop());
    stream = null;
    video.srcObject = null;
    say('camera-page-sending');
    const blob = await new Promise((resolve) => canvas.toBlob(resolve, 'image/jpeg', 0.9));
    document.body.dataset.uploadBytes = String(blob ? blob.size : 0);
    if (blob) video.poster = URL.createObjectURL(blob); // the picture taken stays in view
    const headers = { Authorization: 'tma ' + initData, 'Content-Type': 'image/jpeg', 'X-Camera-Nonce': ticket.nonce };
    if (position) headers['X-Camera-Location'] = position.join(',');
    ticket = null; // spent by this upload, whatever its answer
    let response = null;
    try {
      response = await fetch('api/photo', { method: 'POST', headers, body: blob });
    } catch (error) {
      response = null;
    }
    offerRetry(true);
    if (response && response.ok) {
      retryButton.hidden = true;
      document.body.dataset.sent = 'yes';
      say('camera-page-sent');
      if (tg && typeof tg.close === 'function') setTimeout(() => tg.close(), 1500);
      return;
    }
    if (response && (response.status === 401 || response.status === 403)) {
      retryButton.hidden = true;
      return say('camera-page-refused');
    }
    say(response && response.status === 409 ? 'camera-page-expired' : 'camera-page-failed');
  }

  shootButton.addEventListener('click', shoot);
  retryButton.addEventListener('click', () => (ticket ? startCamera() : open()));

  async function start() {
    if (tg) {
      tg.ready();
      tg.expand();
    }
    try {
      texts = await (await fetch('texts.json')).json();
    } catch (error) {
      texts = {};
    }
    chooseLanguage(null);
    await open();
  }

  start();
})();
