// The consent-gated tag loader example (clients/tag-loader, the client-libraries work) in a real browser: the
// shop page is served from Steward's origin (as behind the site's reverse proxy) by routing;
// consent.js is the real one. Tags load only once their category is allowed, advertising
// tags get the GPP string consent.js holds, and a withdrawn category calls `onRevoke`.

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const example = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', 'clients', 'tag-loader');
const TYPES = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript; charset=utf-8' };

/** Serve clients/tag-loader under /shop/ on Steward's origin. */
async function shop(t, opts) {
  const page = await t.page(opts);
  await page.route(`${t.base}/shop/**`, (route) => {
    const rel = new URL(route.request().url()).pathname.replace(/^\/shop\//, '') || 'index.html';
    const file = path.join(example, rel);
    if (!file.startsWith(example) || !fs.existsSync(file)) return route.fulfill({ status: 404, body: 'not found' });
    return route.fulfill({ status: 200, contentType: TYPES[path.extname(file)] || 'application/octet-stream', body: fs.readFileSync(file) });
  });
  await page.goto(`${t.base}/shop/index.html`);
  return page;
}

const ran = (page) => page.evaluate(() => (window.exampleTags || []).map((x) => x.tag).sort().join(','));

export const tests = [
  {
    name: 'tags load only after their category is allowed (EU opt-in), with the same GPP string',
    async run(t) {
      const page = await shop(t, { region: 'FR' });
      await page.locator('#steward-banner').waitFor();
      await page.waitForFunction(() => window.steward.choices() !== null);
      t.equal(await ran(page), '', 'EU: no tag before consent');
      t.equal((await page.evaluate(() => window.stewardTags.loaded())).length, 0, 'nothing loaded');
      await page.locator('#steward-accept').click();
      await page.waitForFunction(() => (window.exampleTags || []).length === 2);
      t.equal(await ran(page), 'advertising,analytics', 'both tags ran after Accept all');
      const ads = await page.evaluate(() => window.exampleTags.find((x) => x.tag === 'advertising'));
      const state = await page.evaluate(() => window.steward.state());
      t.assert(ads.gpp && ads.gpp.length > 0, `the ad tag got a GPP string: ${JSON.stringify(ads)}`);
      t.equal(ads.gpp, state.gpp, 'the ad tag read the GPP string consent.js holds');
      t.equal(ads.gpp_sid, (state.gpp_sid || []).join('_'), 'and its section ids');
      await t.shot(page, 'shop-accepted');
      // Withdrawing advertising cannot unload a script: its onRevoke runs.
      await page.evaluate(() => window.steward.set({ ...window.steward.choices(), advertising: false }));
      await page.waitForFunction(() => window.adsRevoked === true);
      t.equal((await page.evaluate(() => window.stewardTags.loaded())).length, 2, 'nothing loaded twice');
    },
  },
  {
    name: 'a GPC browser never loads advertising tags; rejecting all loads none',
    async run(t) {
      const gpc = await shop(t, { region: 'US-CA', gpc: true });
      await gpc.locator('#steward-banner').waitFor();
      await gpc.locator('#steward-accept').click();
      await gpc.locator('#steward-banner').waitFor({ state: 'detached' });
      await gpc.waitForFunction(() => (window.exampleTags || []).length >= 1);
      // The loader's own record is synchronous: no advertising tag was even requested.
      t.equal((await gpc.evaluate(() => window.stewardTags.loaded())).join(','), 'tags/analytics.js', 'GPC: analytics only');
      t.equal(await ran(gpc), 'analytics', 'advertising never ran');
      t.equal(await gpc.evaluate(() => window.steward.choices().advertising), false, 'advertising off under GPC');

      const eu = await shop(t, { region: 'DE' });
      await eu.locator('#steward-banner').waitFor();
      await eu.locator('#steward-reject').click();
      await eu.locator('#steward-banner').waitFor({ state: 'detached' });
      await eu.waitForFunction(() => window.steward.state().decided === true);
      t.equal(await ran(eu), '', 'rejected: no tag');
    },
  },
];
