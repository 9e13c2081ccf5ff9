// The privacy team's case files in the console: incidents and breaches by their
// next notice due — the demo's breach with the authority's 72 hours running out, a breach
// recorded here four days late, overdue — and complaints by their first response due; a key
// without the `cases` role is told so. Readable at phone width.

const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const WIDE = { viewport: { width: 1280, height: 900 } };

async function signIn(t, page, key) {
  await page.goto(`${t.base}/console/sign-in`);
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/console');
}

function iso(msAgo) {
  return new Date(Date.now() - msAgo).toISOString().replace(/\.\d+Z$/, 'Z');
}

export const tests = [
  {
    name: 'incidents by their next notice and complaints by their first response, overdue highlighted',
    async run(t) {
      const k = await t.api('POST', '/v1/keys', { name: 'privacy:cases', scopes: ['cases'] });
      t.equal(k.status, 201, `key minted: ${k.text}`);
      // A breach found four days ago in Germany: the authority's 72 hours are gone.
      const rec = await t.api('POST', '/v1/incidents', {
        summary: 'Browser test: backup bucket readable without credentials',
        discovered_at: iso(4 * 86400e3),
        categories: ['email'],
        affected: { DE: 3 },
      });
      t.equal(rec.status, 201, `incident recorded: ${rec.text}`);
      const a = await t.api('POST', `/v1/incidents/${rec.json.id}/assess`, { breach: true, risk: 'risk' });
      t.equal(a.status, 200, `assessed: ${a.text}`);
      // A complaint from France, taken by staff: 45 days to the first response.
      const c = await t.api('POST', '/v1/complaints', { channel: 'console', jurisdiction: 'FR', topic: 'marketing' });
      t.equal(c.status, 201, `complaint filed: ${c.text}`);

      const page = await t.page(WIDE);
      await signIn(t, page, k.json.secret);
      await page.getByRole('link', { name: 'Incidents & complaints' }).click();
      await page.waitForURL((u) => u.pathname === '/console/cases');
      t.assert(await page.getByRole('heading', { name: 'Incidents and complaints' }).isVisible(), 'the page');
      const main = await page.locator('main').textContent();
      t.assert(main.includes('1 breach notice(s) overdue'), 'the overdue notice is counted');
      t.assert(main.includes('Demo: a support mailbox export'), "the demo's breach is listed");
      // The overdue incident comes first (its notice was due earliest), highlighted.
      const first = page.locator('section.case').first();
      t.assert((await first.textContent()).includes('backup bucket'), 'soonest notice first');
      t.assert(await first.locator('tr.overdue').isVisible(), 'the overdue notice row is highlighted');
      t.assert((await first.textContent()).includes('supervisory authority'), 'to the authority');
      // The demo's breach: its authority notice is near due, its state notices open.
      const demo = page.locator('section.case').nth(1);
      t.assert(await demo.locator('tr.at-risk').first().isVisible(), 'the near-due notice is marked');
      t.assert((await demo.textContent()).includes('state residents:NV'), 'the Nevada notice (NV-08)');
      t.assert((await demo.textContent()).includes('CCPA-35'), 'the California notice cites CCPA-35');
      // Complaints: the demo's and the one filed here.
      t.assert(main.includes('access request'), "the demo's complaint");
      t.assert(main.includes('marketing'), 'the new complaint');
      await t.shot(page, 'cases');
      await t.doc(page, 'console-cases');

      // Phone width: the tables scroll inside their boxes.
      const phone = await t.page(PHONE);
      await signIn(t, phone, k.json.secret);
      await phone.goto(`${t.base}/console/cases`);
      await t.shot(phone, 'cases-phone');
      const overflow = await phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      t.assert(overflow <= 1, `no horizontal page scroll at 375 px: ${overflow}`);
    },
  },
  {
    name: 'a key without the cases role has no link and is told so',
    async run(t) {
      const k = await t.api('POST', '/v1/keys', { name: 'privacy:queue-only', scopes: ['dsr'] });
      t.equal(k.status, 201, `key minted: ${k.text}`);
      const page = await t.page(WIDE);
      await signIn(t, page, k.json.secret);
      t.equal(await page.getByRole('link', { name: 'Incidents & complaints' }).count(), 0, 'no link for a dsr key');
      const r = await page.goto(`${t.base}/console/cases`);
      t.equal(r.status(), 403, 'the page is refused');
      t.assert((await page.locator('main').textContent()).includes('does not hold the role'), 'and says why');
    },
  },
];
