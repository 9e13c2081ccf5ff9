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
 * once that category is allowed. */
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
    state = s;
    state.__token = token;
    var pub = copy(s);
    delete pub.__token;
    runGated();
    resolveReady(copy(s.choices));
    try {
      d.dispatchEvent(new CustomEvent('steward:consent', { detail: { choices: copy(s.choices), gpp: s.gpp, state: pub } }));
    } catch (e) { /* old browsers: no event */ }
  }

  function send(body) {
    if (!state) return Promise.reject(new Error('steward: not ready'));
    return fetch(base + '/privacy/consent', {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', 'X-Steward-Token': state.__token },
      body: JSON.stringify(body)
    }).then(function (r) {
      if (!r.ok) throw new Error('steward: consent not recorded (' + r.status + ')');
      return r.json();
    }).then(function (s) { apply(s); return copy(s.choices); });
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
    if (banner && banner.parentNode) banner.parentNode.removeChild(banner);
    banner = null;
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
  }

  function start() {
    fetch(base + '/privacy/consent/state', { credentials: 'same-origin', headers: { Accept: 'application/json' } })
      .then(function (r) { if (!r.ok) throw new Error('steward: ' + r.status); return r.json(); })
      .then(function (s) {
        apply(s);
        // GPC-02: report the browser's signal when the header did not reach the server.
        var gpc = gpcOn() && !s.gpc ? send({ gpc: true }) : Promise.resolve();
        return gpc.then(function () { if (!state.decided) show(); });
      })
      .catch(function (e) { if (w.console) w.console.warn(e); });
  }

  if (d.readyState === 'loading') d.addEventListener('DOMContentLoaded', start); else start();
})(window, document);
