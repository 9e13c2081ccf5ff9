// The README's tour (the client-libraries work): what a newcomer sees first after `steward serve --demo`. It
// runs before the other specs, so the console shows the demo exactly as seeded: a living
// queue with real work to do. Its screenshots are written to docs/img/ (committed), so the
// README always shows what the current code renders.

const WIDE = { viewport: { width: 1280, height: 860 } };

async function signIn(t, page) {
  await page.goto(`${t.base}/console`);
  await page.waitForURL('**/console/sign-in');
  await page.getByLabel('API key').fill(t.adminKey);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => u.pathname === '/console');
}

/** The figure of a dashboard tile (`overdue`, `due soon`, `open`, `dead letters` …). */
async function tile(page, label) {
  const li = page.locator('ul.tiles li', { hasText: label });
  return Number((await li.locator('.n').textContent()).trim());
}

export const tests = [
  {
    name: 'the privacy center a customer opens',
    async run(t) {
      const page = await t.page({ ...WIDE, region: 'US-CA' });
      await page.goto(`${t.base}/privacy`);
      t.assert(await page.getByRole('heading', { name: 'Your privacy' }).isVisible(), 'privacy center home');
      t.assert(await page.getByRole('link', { name: 'Do Not Sell or Share My Personal Information' }).first().isVisible(), 'Do Not Sell link');
      await t.doc(page, 'tour-privacy-center');
    },
  },
  {
    name: 'the console of the demo shows a living queue with work to do',
    async run(t) {
      const page = await t.page(WIDE);
      await signIn(t, page);
      // The background worker's first pass dead-letters the demo partner's notification.
      for (let i = 0; i < 50 && (await tile(page, 'dead letters')) === 0; i++) {
        await new Promise((r) => setTimeout(r, 100));
        await page.reload();
      }
      t.equal(await tile(page, 'overdue'), 1, 'one overdue request');
      t.assert((await tile(page, 'due soon')) >= 1, 'a request at risk');
      t.assert((await tile(page, 'open')) >= 6, 'open requests in several states');
      t.equal(await tile(page, 'dead letters'), 1, 'a failed partner webhook on the dead-letter list');
      const alerts = (await page.locator('#alerts ~ div table tbody tr').allTextContents()).map((a) => a.replace(/\s+/g, ' ').toLowerCase());
      t.assert(alerts.some((a) => a.includes('overdue')), `an overdue alert: ${alerts.join(' | ')}`);
      t.assert(alerts.some((a) => a.includes('dead letter')), `a dead-letter alert: ${alerts.join(' | ')}`);
      await t.doc(page, 'tour-console-dashboard');

      await page.getByRole('link', { name: 'Work the queue' }).click();
      await page.waitForURL('**/console/requests');
      const rows = page.locator('table.queue tbody tr');
      t.assert((await rows.count()) >= 6, 'the queue is not empty');
      t.equal(await rows.first().getAttribute('class'), 'overdue', 'the overdue request heads the queue');
      const states = (await rows.allTextContents()).join(' ');
      for (const s of ['awaiting verification', 'verified', 'approved']) {
        t.assert(states.includes(s), `a request ${s} in the queue: ${states}`);
      }
      await t.doc(page, 'tour-console-queue');
    },
  },
];
