// consent.js as an IAB CMP (the policy-over-time work): `__gpp` (GPP CMP API v1.1) and `__uspapi` in real
// Chromium, on a company page served from Steward's origin by routing. What the API answers is
// decoded in Node with the IAB reference library `@iabgpp/cmpapi` and compared with the state
// the server returned; the vendor tag uses only `__gpp` calls, the first of them made through
// the documented stub (docs/privacy-center.md) before consent.js loaded.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { GppModel } from '@iabgpp/cmpapi';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/** The stub snippet exactly as docs/privacy-center.md documents it (after `<!-- gpp-stub -->`). */
function documentedStub() {
  const doc = fs.readFileSync(path.join(repo, 'docs', 'privacy-center.md'), 'utf8');
  const m = doc.match(/<!-- gpp-stub -->\s*```html\n([\s\S]*?)```/);
  if (!m) throw new Error('docs/privacy-center.md has no <!-- gpp-stub --> snippet');
  return m[1];
}

// A vendor's tag: only `__gpp` calls, made while the page head is parsed (consent.js is async
// and not loaded yet, so every call goes to the stub).
const VENDOR_TAG = `<script>
window.vendor = { events: [], early: [] };
__uspapi('getUSPData', 1, function (d, ok) { vendor.usp = d; vendor.uspOk = ok; });
__gpp('ping', function (p, ok) { vendor.stubPing = p; });
__gpp('hasSection', function (v, ok) { vendor.early.push({ v: v, ok: ok }); }, 'usca');
__gpp('addEventListener', function (evt, ok) {
  vendor.events.push(evt.eventName + ':' + evt.data);
  vendor.listenerId = evt.listenerId;
  if (evt.eventName === 'signalStatus' && evt.data === 'ready') {
    __gpp('getField', function (v) { vendor.saleOptOut = v; }, 'usca.SaleOptOut');
    __gpp('ping', function (p) { vendor.ping = p; });
  }
});
</script>`;

function page(head) {
  return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Shop</title>
${head}
<script async src="/consent.js"></script></head>
<body><main><h1>A company page</h1><p>With a vendor tag.</p></main></body></html>`;
}

async function open(t, opts, html, init) {
  const p = await t.page(opts);
  if (init) await init(p);
  await p.route(`${t.base}/vendor/**`, (route) => route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: html }));
  await p.goto(`${t.base}/vendor/page.html`);
  await p.waitForFunction(() => window.steward && window.steward.state() !== null);
  return p;
}

/** Calls `__gpp(command, cb, parameter)` in the page and returns `[value, success]`. */
function gpp(p, command, parameter) {
  return p.evaluate(([c, a]) => new Promise((resolve) => window.__gpp(c, (v, ok) => resolve([v, ok]), a)), [command, parameter]);
}

/** The IAB reference library's reading of a GPP string. */
function reference(s) {
  const m = new GppModel(s);
  return { ids: m.getSectionIds(), parsed: m.toObject() };
}

function same(t, a, b, message) {
  t.equal(JSON.stringify(sorted(a)), JSON.stringify(sorted(b)), message);
}
function sorted(v) {
  if (Array.isArray(v)) return v.map(sorted);
  if (v && typeof v === 'object') return Object.fromEntries(Object.keys(v).sort().map((k) => [k, sorted(v[k])]));
  return v;
}

export const tests = [
  {
    name: 'a vendor tag queued on the stub before consent.js loaded reads the GPC opt-out (US-CA)',
    async run(t) {
      const p = await open(t, { region: 'US-CA', gpc: true }, page(`<script>${documentedStub().replace(/<\/?script>/g, '')}</script>\n${VENDOR_TAG}`));
      await p.waitForFunction(() => window.vendor.saleOptOut !== undefined && window.vendor.ping && window.vendor.usp);
      const state = await p.evaluate(() => window.steward.state());
      const v = await p.evaluate(() => window.vendor);
      t.equal(state.sale_opt_out, true, 'the server recorded the GPC opt-out');
      t.equal(v.stubPing.cmpStatus, 'stub', 'the first ping was answered by the stub');
      t.equal(v.early.length, 1, 'the call queued on the stub was replayed once');
      t.equal(v.events[0], 'listenerRegistered:true', 'the stub registered the listener');
      for (const e of ['cmpStatus:loaded', 'signalStatus:ready']) {
        t.assert(v.events.includes(e), `the adopted listener got ${e}: ${v.events.join(', ')}`);
      }
      t.equal(v.saleOptOut, 1, 'usca.SaleOptOut is 1 (opted out) for the vendor');
      // The legacy CCPA call made on the __uspapi stub before consent.js loaded is answered.
      t.equal(v.uspOk, true, 'the queued __uspapi call succeeded');
      t.equal(v.usp && v.usp.uspString, state.us_privacy, 'with the server\'s US Privacy string');

      // The ping: the server's string, and what the IAB library decodes from it.
      const ping = v.ping;
      t.equal(ping.gppVersion, '1.1', 'GPP 1.1');
      t.equal(ping.cmpStatus, 'loaded', 'loaded');
      t.equal(ping.signalStatus, 'ready', 'ready');
      t.equal(ping.gppString, state.gpp, 'the string is the server\'s');
      same(t, ping.applicableSections, state.gpp_sid, 'applicableSections are the server\'s gpp_sid');
      const ref = reference(ping.gppString);
      same(t, ping.sectionList, ref.ids, 'sectionList as the IAB library decodes it');
      same(t, ping.parsedSections, ref.parsed, 'parsedSections as the IAB library decodes them');
      t.equal(ref.parsed.usca.SaleOptOut, 1, 'the IAB library reads the sale opt-out');
      t.equal(ref.parsed.usca.Gpc, true, 'and the GPC signal');

      // The other commands.
      const [sec, ok] = await gpp(p, 'getSection', 'usca');
      t.assert(ok, 'getSection succeeded');
      same(t, sec, ref.parsed.usca, 'getSection(usca) is the IAB decoding');
      t.equal((await gpp(p, 'hasSection', 'usca'))[0], true, 'hasSection(usca)');
      t.equal((await gpp(p, 'hasSection', 'tcfeuv2'))[0], false, 'no tcfeuv2');
      t.equal((await gpp(p, 'getField', 'usca.Nope'))[0], null, 'an unknown field is null');
      t.equal((await gpp(p, 'getField', 'nonsense'))[1], false, 'a malformed field name fails');
      t.equal((await gpp(p, 'nope'))[1], false, 'an unknown command fails');
      t.equal((await gpp(p, 'removeEventListener', v.listenerId))[0], true, 'the listener is removed');
      t.equal((await gpp(p, 'removeEventListener', v.listenerId))[0], false, 'only once');

      // The legacy API: the server's US Privacy string, sale opted out.
      const usp = await p.evaluate(() => new Promise((r) => window.__uspapi('getUSPData', 1, (d, ok) => r({ d, ok }))));
      t.assert(usp.ok, 'getUSPData succeeded');
      t.equal(usp.d.version, 1, 'version 1');
      t.equal(usp.d.uspString, state.us_privacy, 'the server\'s us_privacy');
      t.equal(usp.d.uspString.charAt(2), 'Y', 'opted out of sale');
      await t.shot(p, 'vendor-gpc');
    },
  },
  {
    name: 'a nested frame calls __gpp through __gppLocator; GPC reported by script fires sectionChange',
    async run(t) {
      // The browser has GPC on but the header did not reach the server: consent.js reports it
      // after the first answer (GPC-02), and the server's new string reaches the listener.
      const listener = `<script>
window.changes = [];
__gpp('addEventListener', function (e) {
  if (e.eventName === 'sectionChange') window.changes.push({ s: e.data, gpp: e.pingData.gppString });
});
</script>`;
      const p = await open(t, { region: 'US-CA' }, page(`<script>${documentedStub().replace(/<\/?script>/g, '')}</script>\n${listener}`), async (page) => {
        await page.addInitScript(() => {
          Object.defineProperty(Navigator.prototype, 'globalPrivacyControl', { get: () => true, configurable: true });
        });
      });
      await p.waitForFunction(() => window.steward.state().sale_opt_out === true && window.changes.length >= 2);
      const state = await p.evaluate(() => window.steward.state());
      const changes = await p.evaluate(() => window.changes);
      t.equal(changes[0].s, 'usca', 'the first answer brought usca');
      t.assert(changes[0].gpp !== state.gpp, `the opt-out changed the string: ${JSON.stringify(changes)}`);
      t.equal(reference(changes[0].gpp).parsed.usca.SaleOptOut, 2, 'before: not opted out (IAB decoding)');
      t.equal(changes[changes.length - 1].s, 'usca', 'usca changed again');
      t.equal(changes[changes.length - 1].gpp, state.gpp, 'sectionChange carries the server\'s new string');
      const [field] = await gpp(p, 'getField', 'usca.SaleOptOut');
      t.equal(field, 1, 'getField reads the opt-out');
      t.equal(reference(state.gpp).parsed.usca.SaleOptOut, 1, 'as the IAB library does');

      // A vendor's frame: finds the locator by walking up, and talks only by postMessage.
      await p.waitForFunction(() => window.frames.__gppLocator && window.frames.__uspapiLocator);
      await p.evaluate(() => {
        const f = document.createElement('iframe');
        f.name = 'vendor-frame';
        f.srcdoc = `<script>
          var w = window, cmp = null;
          while (w) { try { if (w.frames['__gppLocator']) { cmp = w; break; } } catch (e) {} if (w === w.parent) break; w = w.parent; }
          window.answers = {};
          window.addEventListener('message', function (ev) {
            var m = ev.data;
            if (typeof m === 'string') { try { m = JSON.parse(m); } catch (e) { return; } }
            var r = m && (m.__gppReturn || m.__uspapiReturn);
            if (r) window.answers[r.callId] = r;
          });
          cmp.postMessage({ __gppCall: { command: 'ping', version: '1.1', callId: 'p1' } }, '*');
          cmp.postMessage({ __gppCall: { command: 'getField', parameter: 'usca.SaleOptOut', version: '1.1', callId: 'f1' } }, '*');
          cmp.postMessage(JSON.stringify({ __uspapiCall: { command: 'getUSPData', version: 1, callId: 'u1' } }), '*');
        <\/script>`;
        document.body.appendChild(f);
      });
      const frame = await (await p.waitForSelector('iframe[name="vendor-frame"]')).contentFrame();
      await frame.waitForFunction(() => window.answers && window.answers.p1 && window.answers.f1 && window.answers.u1);
      const answers = await frame.evaluate(() => window.answers);
      t.equal(answers.p1.success, true, 'ping through postMessage');
      t.equal(answers.p1.returnValue.gppString, state.gpp, 'the frame sees the server\'s string');
      same(t, answers.p1.returnValue.parsedSections, reference(state.gpp).parsed, 'decoded as the IAB library does');
      t.equal(answers.f1.returnValue, 1, 'getField through postMessage: opted out');
      t.equal(answers.u1.returnValue.uspString, state.us_privacy, '__uspapi through postMessage (a JSON string message)');
    },
  },
  {
    name: 'EU: the signal is not ready until the person answers the banner',
    async run(t) {
      const p = await open(t, { region: 'FR' }, page(''));
      await p.locator('#steward-banner').waitFor();
      let [ping] = await gpp(p, 'ping');
      t.equal(ping.cmpStatus, 'loaded', 'loaded');
      t.equal(ping.cmpDisplayStatus, 'visible', 'the banner shows');
      t.equal(ping.signalStatus, 'not ready', 'no answer yet');
      await p.locator('#steward-accept').click();
      await p.locator('#steward-banner').waitFor({ state: 'detached' });
      [ping] = await gpp(p, 'ping');
      t.equal(ping.signalStatus, 'ready', 'ready after the answer');
      t.equal(ping.cmpDisplayStatus, 'hidden', 'banner gone');
      const state = await p.evaluate(() => window.steward.state());
      t.equal(ping.gppString, state.gpp, 'the server\'s string');
      same(t, ping.parsedSections, reference(state.gpp).parsed, 'decoded as the IAB library does');
    },
  },
];
