/*! Steward consent.js — cookie banner. Embed with <script async src="/consent.js"></script>.
 * Non-blocking: loads async, renders nothing until the server answers, injects no stylesheet
 * or font, calls no third party. API:
 *   steward.choices()  -> {strictly_necessary, preferences_recognition, analytics, promotions,
 *                          advertising} (booleans) or null before the first answer
 *   steward.gpp()      -> the IAB GPP string for partners (or null)
 *   steward.ready      -> Promise of the choices
 *   steward.open()     -> show the banner again (e.g. from a "Cookie settings" link)
 *   steward.set({analytics: true, ...}) -> Promise; records choices
 *   document event "steward:consent" (detail: {choices, gpp, state}) on every change.
 * Gated tags: <script type="text/plain" data-steward-category="analytics" src="..."> runs only
 * once that category is allowed.
 * IAB signals for ad-tech tags, fed from the same server state (the GPP string and US Privacy
 * string the server computed; nothing is recomputed here):
 *   __gpp(command, callback, parameter, version): the GPP CMP API v1.1 (ping,
 *     addEventListener, removeEventListener, hasSection, getSection, getField); calls queued
 *     by the documented stub before this script loaded are replayed, its listeners adopted;
 *     a "__gppLocator" frame lets nested frames call it with postMessage (__gppCall).
 *   __uspapi('getUSPData', 1, callback): the legacy CCPA API ({version: 1, uspString});
 *     calls queued on a stub before the script loaded (`__uspapi.a`) are answered too;
 *     "__uspapiLocator" frame and __uspapiCall messages likewise.
 * The script tag may carry data-steward-cmp-id="N" (an IAB-registered CMP id; default 0). */
(function (w, d) {
  'use strict';
  if (w.steward && w.steward.__loaded) return;
  var me = d.currentScript;
  var base = '';
  try { if (me && me.src) base = new URL(me.src, d.baseURI).origin; } catch (e) { base = ''; }
  var state = null;
  var banner = null;
  var resolveReady;
  var LABELS = {
    preferences_recognition: 'Preferences and recognition',
    analytics: 'Audience measurement',
    promotions: 'Promotions',
    advertising: 'Advertising'
  };
  var api = w.steward = w.steward || {};
  api.__loaded = true;
  api.ready = new Promise(function (r) { resolveReady = r; });
  api.choices = function () { return state ? copy(state.choices) : null; };
  api.gpp = function () { return state ? state.gpp : null; };
  api.state = function () { return state ? copy(state) : null; };
  api.open = function () { if (state) show(); };
  api.set = function (cookies) { return send({ cookies: cookies }); };

  function copy(o) { return JSON.parse(JSON.stringify(o)); }
  function gpcOn() { return navigator.globalPrivacyControl === true; }

  function apply(s) {
    var token = s.token;
    delete s.token;
    var before = gppModel();
    state = s;
    state.__token = token;
    var pub = copy(s);
    delete pub.__token;
    runGated();
    signalsUpdated(before);
    resolveReady(copy(s.choices));
    try {
      d.dispatchEvent(new CustomEvent('steward:consent', { detail: { choices: copy(s.choices), gpp: s.gpp, state: pub } }));
    } catch (e) { /* old browsers: no event */ }
  }

  function send(body) {
    if (!state) return Promise.reject(new Error('steward: not ready'));
    setSignal('not ready');
    return fetch(base + '/privacy/consent', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Steward-Token': state.__token },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) throw new Error('steward: consent not recorded (' + r.status + ')');
      return r.json();
    }).then(function (s) { apply(s); return copy(s.choices); }, function (e) {
      // Not recorded: the string the API serves is still the last one the server gave.
      setSignal(state.eu && !state.decided ? 'not ready' : 'ready');
      throw e;
    });
  }

  function runGated() {
    var tags = d.querySelectorAll('script[type="text/plain"][data-steward-category]');
    for (var i = 0; i < tags.length; i++) {
      var t = tags[i];
      var cat = t.getAttribute('data-steward-category');
      if (!state.choices[cat] || t.getAttribute('data-steward-ran')) continue;
      t.setAttribute('data-steward-ran', '1');
      var s = d.createElement('script');
      if (t.src) s.src = t.src; else s.text = t.text;
      if (t.nonce) s.nonce = t.nonce;
      t.parentNode.insertBefore(s, t.nextSibling);
    }
  }

  function el(tag, props, style) {
    var e = d.createElement(tag);
    for (var k in props) if (Object.prototype.hasOwnProperty.call(props, k)) {
      if (k === 'text') e.textContent = props[k]; else e.setAttribute(k, props[k]);
    }
    for (var s in style || {}) e.style[s] = style[s];
    return e;
  }

  var BTN = { font: 'inherit', fontWeight: '600', padding: '10px 16px', minHeight: '44px', borderRadius: '6px',
    border: '2px solid #0b5cad', cursor: 'pointer', margin: '4px 8px 4px 0' };
  function button(text, primary, onclick, id) {
    var st = {};
    for (var k in BTN) st[k] = BTN[k];
    st.background = primary ? '#0b5cad' : '#ffffff';
    st.color = primary ? '#ffffff' : '#0b5cad';
    var b = el('button', { type: 'button', id: id, text: text }, st);
    b.addEventListener('click', onclick);
    b.addEventListener('focus', function () { b.style.outline = '3px solid #ffbf47'; b.style.outlineOffset = '2px'; });
    b.addEventListener('blur', function () { b.style.outline = ''; });
    return b;
  }

  function all(v) {
    var o = {};
    for (var k in LABELS) o[k] = v;
    return o;
  }

  function done(p) {
    p.then(hide, function (e) {
      if (banner) {
        var m = banner.querySelector('[data-steward-error]');
        if (m) m.textContent = 'Your choice could not be saved. Please try again.';
      }
      if (w.console) w.console.warn(e);
    });
  }

  function hide() {
    var was = banner;
    if (banner && banner.parentNode) banner.parentNode.removeChild(banner);
    banner = null;
    if (was) setDisplay('hidden');
  }

  function show() {
    hide();
    var eu = state.eu;
    banner = el('section', { id: 'steward-banner', role: 'region', 'aria-label': 'Cookie choices', lang: 'en' }, {
      position: 'fixed', left: '0', right: '0', bottom: '0', zIndex: '2147483000', background: '#ffffff',
      color: '#1b1f24', borderTop: '3px solid #1b1f24', boxShadow: '0 -4px 16px rgba(0,0,0,.2)',
      font: '16px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, Arial, sans-serif', padding: '16px',
      maxHeight: '70vh', overflowY: 'auto'
    });
    var inner = el('div', {}, { maxWidth: '60rem', margin: '0 auto' });
    inner.appendChild(el('h2', { text: 'Cookies on this site' }, { fontSize: '1.15rem', margin: '0 0 8px' }));
    inner.appendChild(el('p', {
      text: eu
        ? 'We use strictly necessary cookies to run this site. With your consent we also use cookies to remember you, measure our audience, count promotion entries and customize advertising.'
        : 'We use cookies to run this site, remember you, measure our audience, count promotion entries and customize advertising. You can reject the optional ones.'
    }, { margin: '0 0 8px' }));
    if (state.gpc && state.sale_opt_out) {
      inner.appendChild(el('p', { id: 'steward-gpc', text: 'Your browser\u2019s Global Privacy Control signal was honoured: we do not sell or share your personal information, and advertising cookies stay off.' },
        { margin: '0 0 8px', padding: '8px 12px', background: '#e6f4ec', color: '#0f6b3a', borderLeft: '4px solid #0f6b3a' }));
    }
    var details = el('fieldset', { id: 'steward-details', hidden: 'hidden' }, { border: '1px solid #c9d0d8', borderRadius: '6px', margin: '8px 0', padding: '8px 12px' });
    details.appendChild(el('legend', { text: 'Choose by category' }, { fontWeight: '600' }));
    for (var k in LABELS) {
      var id = 'steward-cat-' + k;
      var row = el('div', {}, { padding: '4px 0' });
      var box = el('input', { type: 'checkbox', id: id, name: k }, { width: '20px', height: '20px', marginRight: '8px', verticalAlign: 'middle' });
      box.checked = !!state.choices[k];
      if (k === 'advertising' && state.sale_opt_out) box.disabled = true;
      row.appendChild(box);
      row.appendChild(el('label', { 'for': id, text: LABELS[k] }));
      details.appendChild(row);
    }
    var save = button('Save my choices', false, function () {
      var o = {};
      for (var k in LABELS) o[k] = !!d.getElementById('steward-cat-' + k).checked;
      done(api.set(o));
    }, 'steward-save');
    details.appendChild(save);
    inner.appendChild(details);
    var row2 = el('div', {}, { display: 'flex', flexWrap: 'wrap', alignItems: 'center' });
    row2.appendChild(button('Accept all', true, function () { done(api.set(all(true))); }, 'steward-accept'));
    row2.appendChild(button('Reject all', true, function () { done(api.set(all(false))); }, 'steward-reject'));
    row2.appendChild(button('Choose', false, function () {
      details.hidden = !details.hidden;
      if (!details.hidden) d.getElementById('steward-cat-preferences_recognition').focus();
    }, 'steward-choose'));
    var more = el('a', { href: base + '/privacy/cookies', text: 'Cookie policy and all choices' }, { color: '#0b5cad', marginLeft: '8px' });
    row2.appendChild(more);
    inner.appendChild(row2);
    inner.appendChild(el('p', { 'data-steward-error': '', role: 'alert' }, { color: '#a4161a', margin: '4px 0 0' }));
    banner.appendChild(inner);
    d.body.appendChild(banner);
    setDisplay('visible');
  }

  // ---- IAB GPP CMP API v1.1 and the legacy __uspapi, read from `state` only. ----
  var GPP_SECTIONS = { 7: 'usnat', 8: 'usca' };
  // Field layouts of the sections this script parses (names and widths as the IAB reference
  // library @iabgpp/cmpapi reports them); [name, bits, list length (lists only)].
  function coreFields(name, version) {
    if (name === 'usca') {
      return [['Version', 6], ['SaleOptOutNotice', 2], ['SharingOptOutNotice', 2],
        ['SensitiveDataLimitUseNotice', 2], ['SaleOptOut', 2], ['SharingOptOut', 2],
        ['SensitiveDataProcessing', 2, 9], ['KnownChildSensitiveDataConsents', 2, 2],
        ['PersonalDataConsents', 2], ['MspaCoveredTransaction', 2], ['MspaOptOutOptionMode', 2],
        ['MspaServiceProviderMode', 2]];
    }
    return [['Version', 6], ['SharingNotice', 2], ['SaleOptOutNotice', 2], ['SharingOptOutNotice', 2],
      ['TargetedAdvertisingOptOutNotice', 2], ['SensitiveDataProcessingOptOutNotice', 2],
      ['SensitiveDataLimitUseNotice', 2], ['SaleOptOut', 2], ['SharingOptOut', 2],
      ['TargetedAdvertisingOptOut', 2], ['SensitiveDataProcessing', 2, version === 1 ? 12 : 16],
      ['KnownChildSensitiveDataConsents', 2, version === 1 ? 2 : 3], ['PersonalDataConsents', 2],
      ['MspaCoveredTransaction', 2], ['MspaOptOutOptionMode', 2], ['MspaServiceProviderMode', 2]];
  }
  var B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
  function bitsOf(text) {
    var out = '';
    for (var i = 0; i < text.length; i++) {
      var n = B64.indexOf(text.charAt(i));
      if (n < 0) throw new Error('gpp: not base64url');
      out += ('00000' + n.toString(2)).slice(-6);
    }
    return out;
  }
  function reader(bits) {
    var at = 0;
    return {
      int: function (n) {
        if (at + n > bits.length) throw new Error('gpp: truncated');
        var v = parseInt(bits.substr(at, n), 2);
        at += n;
        return v;
      },
      fib: function () {
        var end = bits.indexOf('11', at);
        if (end < 0) throw new Error('gpp: bad fibonacci code');
        var v = 0, a = 1, b = 2;
        for (var i = at; i <= end; i++) {
          if (bits.charAt(i) === '1') v += a;
          var c = a + b; a = b; b = c;
        }
        at = end + 2;
        return v;
      }
    };
  }
  // Section ids listed in the header (Type 3, Version 1, Fibonacci-coded id ranges).
  function headerIds(text) {
    var r = reader(bitsOf(text));
    if (r.int(6) !== 3 || r.int(6) !== 1) throw new Error('gpp: not a v1 header');
    var ids = [], last = 0, count = r.int(12);
    for (var i = 0; i < count; i++) {
      if (r.int(1) === 1) {
        var from = last + r.fib(), to = from + r.fib();
        if (to - from > 64) throw new Error('gpp: range too long');
        for (var j = from; j <= to; j++) ids.push(j);
        last = to;
      } else {
        last += r.fib();
        ids.push(last);
      }
    }
    return ids;
  }
  function parseSection(name, text) {
    var parts = text.split('.');
    var r = reader(bitsOf(parts[0]));
    var version = r.int(6);
    var fields = coreFields(name, version), o = { Version: version };
    for (var i = 1; i < fields.length; i++) {
      var f = fields[i];
      if (f[2]) {
        var list = [];
        for (var k = 0; k < f[2]; k++) list.push(r.int(f[1]));
        o[f[0]] = list;
      } else {
        o[f[0]] = r.int(f[1]);
      }
    }
    if (parts.length > 1) {
      var g = reader(bitsOf(parts[1]));
      o.GpcSegmentType = g.int(2);
      o.Gpc = g.int(1) === 1;
    } else {
      o.GpcSegmentType = 1;
      o.Gpc = false;
    }
    return o;
  }
  // The server's GPP string split into ids and parsed sections (cached per string).
  var gppCache = { text: null, ids: [], parsed: {} };
  function gppModel() {
    var text = state && state.gpp ? state.gpp : '';
    if (gppCache.text === text) return gppCache;
    var m = { text: text, ids: [], parsed: {} };
    try {
      var parts = text ? text.split('~') : [];
      if (parts.length) m.ids = headerIds(parts[0]);
      for (var i = 0; i < m.ids.length; i++) {
        var name = GPP_SECTIONS[m.ids[i]];
        if (name && parts[i + 1]) m.parsed[name] = parseSection(name, parts[i + 1]);
      }
    } catch (e) {
      if (w.console) w.console.warn(e);
    }
    gppCache = m;
    return m;
  }

  var cmpStatus = 'loading';
  var displayStatus = 'hidden';
  var signalStatus = 'not ready';
  var cmpId = 0;
  try { if (me && me.getAttribute('data-steward-cmp-id')) cmpId = parseInt(me.getAttribute('data-steward-cmp-id'), 10) || 0; } catch (e) { cmpId = 0; }
  var listeners = {};
  var nextListener = 1;

  function pingData() {
    var m = gppModel();
    var supported = [];
    for (var id in GPP_SECTIONS) supported.push(id + ':' + GPP_SECTIONS[id]);
    var applicable = state ? (state.gpp_sid && state.gpp_sid.length ? state.gpp_sid.slice() : [-1]) : [0];
    return {
      gppVersion: '1.1', cmpStatus: cmpStatus, cmpDisplayStatus: displayStatus, signalStatus: signalStatus,
      supportedAPIs: supported, cmpId: cmpId, sectionList: m.ids.slice(), applicableSections: applicable,
      gppString: m.text, parsedSections: copy(m.parsed)
    };
  }
  function callback(cb, value, ok) {
    if (typeof cb !== 'function') return;
    try { cb(value, ok); } catch (e) { if (w.console) w.console.warn(e); }
  }
  function fire(eventName, data) {
    for (var id in listeners) if (Object.prototype.hasOwnProperty.call(listeners, id)) {
      callback(listeners[id], { eventName: eventName, listenerId: Number(id), data: data, pingData: pingData() }, true);
    }
  }
  function sectionName(p) {
    if (typeof p !== 'string') return null;
    return p.split('.')[0];
  }
  function gpp(command, cb, parameter) {
    var m, name;
    switch (command) {
      case 'ping':
        callback(cb, pingData(), true);
        return;
      case 'addEventListener':
        if (typeof cb !== 'function') return;
        var id = nextListener++;
        listeners[id] = cb;
        callback(cb, { eventName: 'listenerRegistered', listenerId: id, data: true, pingData: pingData() }, true);
        return;
      case 'removeEventListener':
        var had = Object.prototype.hasOwnProperty.call(listeners, parameter);
        delete listeners[parameter];
        callback(cb, had, true);
        return;
      case 'hasSection':
        m = gppModel();
        name = sectionName(parameter);
        if (!name) { callback(cb, null, false); return; }
        var present = false;
        for (var i = 0; i < m.ids.length; i++) {
          if (GPP_SECTIONS[m.ids[i]] === name) present = true;
        }
        callback(cb, present, true);
        return;
      case 'getSection':
        m = gppModel();
        name = sectionName(parameter);
        callback(cb, name && m.parsed[name] ? copy(m.parsed[name]) : null, !!name);
        return;
      case 'getField':
        m = gppModel();
        var parts = typeof parameter === 'string' ? parameter.split('.') : [];
        if (parts.length !== 2) { callback(cb, null, false); return; }
        var s = m.parsed[parts[0]];
        var v = s && Object.prototype.hasOwnProperty.call(s, parts[1]) ? s[parts[1]] : null;
        callback(cb, v === null ? null : copy({ v: v }).v, true);
        return;
      default:
        callback(cb, null, false);
    }
  }
  var uspWaiting = [];
  function uspapi(command, version, cb) {
    if (command !== 'getUSPData' || (version !== 1 && version !== undefined && version !== null)) {
      callback(cb, null, false);
      return;
    }
    if (!state) { uspWaiting.push(cb); return; }
    callback(cb, { version: 1, uspString: state.us_privacy || '1---' }, true);
  }
  function locator(name) {
    if (w.frames[name]) return;
    var f = d.createElement('iframe');
    f.style.display = 'none';
    f.name = name;
    f.title = 'IAB locator';
    f.setAttribute('aria-hidden', 'true');
    f.tabIndex = -1;
    (d.body || d.documentElement).appendChild(f);
  }
  // Nested frames: {__gppCall: {command, parameter, version, callId}} answered with
  // {__gppReturn: {returnValue, success, callId}}; the same for __uspapiCall / __uspapiReturn.
  function onMessage(event) {
    var msg = event.data;
    if (typeof msg === 'string') {
      if (msg.indexOf('__gppCall') < 0 && msg.indexOf('__uspapiCall') < 0) return;
      try { msg = JSON.parse(msg); } catch (e) { return; }
    }
    if (!msg || typeof msg !== 'object' || !event.source || typeof event.source.postMessage !== 'function') return;
    var asText = typeof event.data === 'string';
    function reply(o) { event.source.postMessage(asText ? JSON.stringify(o) : o, '*'); }
    var c = msg.__gppCall;
    if (c && typeof c === 'object') {
      w.__gpp(c.command, function (value, ok) {
        reply({ __gppReturn: { returnValue: value, success: ok, callId: c.callId } });
      }, c.parameter, c.version);
      return;
    }
    var u = msg.__uspapiCall;
    if (u && typeof u === 'object') {
      w.__uspapi(u.command, u.version, function (value, ok) {
        reply({ __uspapiReturn: { returnValue: value, success: ok, callId: u.callId } });
      });
    }
  }
  function installSignals() {
    var stub = w.__gpp, ustub = w.__uspapi;
    var queue = [], events = [];
    // The __uspapi stub keeps its calls in `__uspapi.a` (the IAB convention) or `.queue`.
    var uqueue = typeof ustub === 'function' ? ustub.a || ustub.queue || [] : [];
    if (typeof stub === 'function') {
      try { queue = stub('queue') || stub.queue || []; } catch (e) { queue = stub.queue || []; }
      try { events = stub('events') || stub.events || []; } catch (e) { events = stub.events || []; }
    }
    for (var i = 0; i < events.length; i++) {
      var ev = events[i];
      if (ev && typeof ev.callback === 'function' && typeof ev.id === 'number') {
        listeners[ev.id] = ev.callback;
        if (ev.id >= nextListener) nextListener = ev.id + 1;
      }
    }
    w.__gpp = gpp;
    w.__uspapi = uspapi;
    for (var k = 0; k < uqueue.length; k++) {
      var b = uqueue[k];
      if (b && b.length) uspapi(b[0], b[1], b[2]);
    }
    w.addEventListener('message', onMessage, false);
    var replay = function () {
      locator('__gppLocator');
      locator('__uspapiLocator');
      for (var j = 0; j < queue.length; j++) {
        var a = queue[j];
        if (a && a.length) gpp(a[0], a[1], a[2], a[3]);
      }
      queue = [];
    };
    if (d.body) replay(); else d.addEventListener('DOMContentLoaded', replay);
  }
  function setDisplay(s) {
    if (displayStatus === s) return;
    displayStatus = s;
    fire('cmpDisplayStatus', s);
  }
  function setSignal(s) {
    if (signalStatus === s) return;
    signalStatus = s;
    fire('signalStatus', s);
  }
  // After every server answer: the GPP API's statuses, and sectionChange for each section the
  // new string changed.
  function signalsUpdated(before) {
    var after = gppModel();
    if (cmpStatus !== 'loaded') {
      cmpStatus = 'loaded';
      fire('cmpStatus', 'loaded');
    }
    var names = {};
    for (var k in before.parsed) names[k] = 1;
    for (var k2 in after.parsed) names[k2] = 1;
    for (var n in names) {
      if (JSON.stringify(before.parsed[n]) !== JSON.stringify(after.parsed[n])) fire('sectionChange', n);
    }
    // Opt-in regions wait for the person's answer; opt-out regions have a signal at once.
    setSignal(state.eu && !state.decided ? 'not ready' : 'ready');
    var waiting = uspWaiting;
    uspWaiting = [];
    for (var i = 0; i < waiting.length; i++) uspapi('getUSPData', 1, waiting[i]);
  }
  installSignals();

  function start() {
    fetch(base + '/privacy/consent/state', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('steward: ' + r.status); return r.json(); })
      .then(function (s) {
        apply(s);
        // GPC-02: report the browser's signal when the header did not reach the server.
        var gpc = gpcOn() && !s.gpc ? send({ gpc: true }) : Promise.resolve();
        return gpc.then(function () { if (!state.decided) show(); });
      })
      .catch(function (e) {
        if (!state && cmpStatus !== 'error') {
          cmpStatus = 'error';
          fire('cmpStatus', 'error');
        }
        if (w.console) w.console.warn(e);
      });
  }

  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start); else start();
})(window, document);
