/*! Steward tag loader — an example for the company's web pages, built on consent.js.
 *
 * Third-party tags (analytics, advertising pixels …) are registered with the category of
 * cookies they need; each is loaded only once consent.js says that category is allowed, and
 * never before consent.js has answered. Include it after consent.js:
 *
 *   <script async src="/consent.js"></script>
 *   <script src="/tag-loader.js"></script>
 *   <script>
 *     stewardTags.add({ category: 'analytics', src: 'https://stats.example/t.js' });
 *     stewardTags.add({ category: 'advertising',
 *                       src: 'https://ads.example/px.js?gpp=${GPP_STRING}&gpp_sid=${GPP_SID}',
 *                       onRevoke: function () { window['ads-disabled'] = true; } });
 *   </script>
 *
 * Built only on consent.js's public API: `steward.ready`, `steward.choices()`,
 * `steward.state()` and the `steward:consent` event (fired on every change, so a category
 * allowed later loads its tags then; one withdrawn calls the tags' `onRevoke`, since a script
 * that ran cannot be unloaded).
 *
 * GPP: ad tags read the choices as the IAB GPP string. URL readers get it through the GPP URL
 * macros `${GPP_STRING}` and `${GPP_SID}`, filled in from the same state consent.js holds when
 * the tag loads. HOOK: tags that call the CMP API `__gpp('ping' | 'getGPPData' | …)` read it
 * from consent.js once it serves `__gpp` (being added there); the loader needs nothing for
 * them: it loads no tag before consent.js has its state, so their first call already sees
 * the choices the tag was loaded under.
 */
(function (w, d) {
  'use strict';
  if (w.stewardTags) return;
  var tags = [];
  var loaded = [];

  function choices() {
    return w.steward && typeof w.steward.choices === 'function' ? w.steward.choices() : null;
  }

  function fill(url) {
    var s = w.steward && typeof w.steward.state === 'function' ? w.steward.state() : null;
    var gpp = (s && s.gpp) || '';
    var sid = (s && s.gpp_sid ? s.gpp_sid : []).join('_');
    return url.split('${GPP_STRING}').join(encodeURIComponent(gpp)).split('${GPP_SID}').join(encodeURIComponent(sid));
  }

  function load(tag) {
    var s = d.createElement('script');
    s.src = fill(tag.src);
    s.async = true;
    s.setAttribute('data-steward-tag', tag.category);
    if (tag.nonce) s.nonce = tag.nonce;
    (d.head || d.documentElement).appendChild(s);
    tag.loaded = true;
    tag.revoked = false;
    loaded.push(tag.src);
  }

  function sync() {
    var c = choices();
    if (!c) return; // consent.js has not answered: nothing loads
    for (var i = 0; i < tags.length; i++) {
      var t = tags[i];
      if (c[t.category] === true && !t.loaded) load(t);
      else if (c[t.category] !== true && t.loaded && !t.revoked) {
        t.revoked = true;
        if (typeof t.onRevoke === 'function') {
          try { t.onRevoke(); } catch (e) { if (w.console) w.console.warn(e); }
        }
      }
    }
  }

  w.stewardTags = {
    /** Register a tag: {category, src, nonce?, onRevoke?}. */
    add: function (tag) {
      if (!tag || typeof tag.src !== 'string' || typeof tag.category !== 'string') {
        throw new Error('stewardTags.add: give {category, src}');
      }
      tags.push({ category: tag.category, src: tag.src, nonce: tag.nonce, onRevoke: tag.onRevoke, loaded: false });
      sync();
    },
    /** The URLs of the tags loaded so far, in order (before GPP macros were filled in). */
    loaded: function () { return loaded.slice(); }
  };

  d.addEventListener('steward:consent', sync);
  // consent.js may load after this script (async): wait for it, then for its first answer.
  (function wait(n) {
    if (w.steward && w.steward.ready) { w.steward.ready.then(sync); return; }
    if (n > 0) setTimeout(function () { wait(n - 1); }, 50);
  })(200);
})(window, document);
