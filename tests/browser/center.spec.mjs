// The privacy center and consent.js in a real browser (the privacy center and console work): Do Not Sell with and without
// GPC, the cookie banner in an EU and a US context, sign-in by e-mail code (and the throttle
// after three wrong codes), download of my data, a deletion request through to its receipt.
import fs from 'node:fs';

const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };

export const tests = [
  {
    name: 'dns-01 do not sell without signing in, then withdraw in one step',
    async run(t) {
      const page = await t.page({ region: 'US-TX' });
      await page.goto(`${t.base}/privacy`);
      await t.shot(page, 'overview');
      await page.getByRole('link', { name: 'Do Not Sell or Share', exact: true }).click();
      await page.waitForURL('**/privacy/do-not-sell');
      t.equal(await page.locator('#dns-state').getAttribute('data-opted-out'), 'false', 'a new browser is not opted out');
      t.equal(await page.locator('#gpc-status').count(), 0, 'no GPC status without the signal');
      await t.shot(page, 'dns-before');
      await page.getByRole('button', { name: 'Do not sell or share my personal information' }).click();
      await page.waitForURL('**/privacy/do-not-sell?done=opted_out');
      t.equal(await page.locator('#dns-state').getAttribute('data-opted-out'), 'true', 'opted out by cookie');
      t.assert((await page.getByRole('status').first().textContent()).includes('will not sell'), 'confirmation shown');
      await t.shot(page, 'dns-after');
      // Withdrawing takes the same one click.
      await page.getByRole('button', { name: 'Allow sale and sharing again' }).click();
      await page.waitForURL('**/privacy/do-not-sell?done=opted_in');
      t.equal(await page.locator('#dns-state').getAttribute('data-opted-out'), 'false', 'opt-out withdrawn');
      // The browser cookie is Secure, HttpOnly, SameSite=Lax, host-only.
      const cookies = await page.context().cookies();
      const b = cookies.find((c) => c.name === '__Host-steward-b');
      t.assert(b, 'browser cookie set');
      t.assert(b.httpOnly && b.secure && b.sameSite === 'Lax' && b.path === '/', `cookie attributes: ${JSON.stringify(b)}`);
    },
  },
  {
    name: 'gpc-07 a Sec-GPC browser is shown its signal was honoured',
    async run(t) {
      const page = await t.page({ gpc: true, region: 'US-CA' });
      await page.goto(`${t.base}/privacy/do-not-sell`);
      const status = page.locator('#gpc-status');
      t.equal(await status.getAttribute('data-honored'), 'true', 'GPC honoured');
      t.assert((await status.textContent()).includes('Opt-out request honoured'), 'status text');
      t.equal(await page.locator('#dns-state').getAttribute('data-opted-out'), 'true', 'opted out by the signal');
      await t.shot(page, 'dns-gpc');
      const phone = await t.page({ ...PHONE, gpc: true, region: 'US-CA' });
      await phone.goto(`${t.base}/privacy`);
      t.equal(await phone.locator('#gpc-status').getAttribute('data-honored'), 'true', 'overview shows it too');
      await t.shot(phone, 'overview-gpc-phone');
    },
  },
  {
    name: 'cookie-07 consent.js in the EU: opt-in defaults, reject all is one click',
    async run(t) {
      const page = await t.page({ region: 'FR' });
      await page.goto(`${t.base}/privacy/consent/example`);
      const banner = page.locator('#steward-banner');
      await banner.waitFor();
      const before = await page.evaluate(() => window.steward.choices());
      t.equal(before.analytics, false, 'EU: analytics off until consent');
      t.equal(before.advertising, false, 'EU: advertising off until consent');
      t.equal(before.strictly_necessary, true, 'strictly necessary always on');
      await t.shot(page, 'banner-eu');
      const event = page.evaluate(() => new Promise((r) => document.addEventListener('steward:consent', (e) => r(e.detail.choices), { once: true })));
      await page.locator('#steward-reject').click();
      await banner.waitFor({ state: 'detached' });
      const detail = await event;
      t.equal(detail.analytics, false, 'event carries the choices');
      const st = await page.evaluate(() => window.steward.state());
      t.equal(st.decided, true, 'the choice was recorded');
      t.assert(typeof (await page.evaluate(() => window.steward.gpp())) === 'string', 'GPP string exposed');
      await page.reload();
      await page.waitForFunction(() => window.steward && window.steward.choices());
      t.equal(await banner.count(), 0, 'no banner once decided');
      // The same choice shows in the privacy center, where it can be changed.
      await page.goto(`${t.base}/privacy/cookies`);
      t.equal(await page.getByLabel('Audience measurement').isChecked(), false, 'rejected in the center too');
      await page.getByRole('button', { name: 'Accept all' }).click();
      await page.waitForURL('**/privacy/cookies?done=cookies_saved');
      t.equal(await page.getByLabel('Audience measurement').isChecked(), true, 'accepted');
      await t.shot(page, 'cookies-eu-accepted');
    },
  },
  {
    name: 'cookie-07 consent.js in the US: opt-out defaults, GPC turns advertising off',
    async run(t) {
      const page = await t.page({ region: 'US-TX' });
      await page.goto(`${t.base}/privacy/consent/example`);
      await page.locator('#steward-banner').waitFor();
      const before = await page.evaluate(() => window.steward.choices());
      t.equal(before.analytics, true, 'US: analytics on unless rejected');
      await t.shot(page, 'banner-us');
      await page.locator('#steward-choose').click();
      await page.locator('#steward-cat-analytics').uncheck();
      await page.locator('#steward-save').click();
      await page.locator('#steward-banner').waitFor({ state: 'detached' });
      const after = await page.evaluate(() => window.steward.choices());
      t.equal(after.analytics, false, 'analytics rejected');
      t.equal(after.advertising, true, 'advertising kept');

      const gpc = await t.page({ region: 'US-CA', gpc: true, ...PHONE });
      await gpc.goto(`${t.base}/privacy/consent/example`);
      await gpc.locator('#steward-banner').waitFor();
      const c = await gpc.evaluate(() => window.steward.choices());
      t.equal(c.advertising, false, 'GPC: advertising off');
      const st = await gpc.evaluate(() => window.steward.state());
      t.equal(st.sale_opt_out, true, 'GPC: sale opt-out');
      t.assert(await gpc.locator('#steward-gpc').isVisible(), 'banner says GPC was honoured');
      await t.shot(gpc, 'banner-us-gpc-phone');
    },
  },
  {
    name: 'sign-in by e-mail code; three wrong codes slow down further attempts',
    async run(t) {
      const page = await t.page({ region: 'US-CA' });
      await page.goto(`${t.base}/privacy/sign-in`);
      await page.getByRole('button', { name: 'Send me a code' }).click();
      t.assert((await page.locator('#email-error').textContent()).includes('Enter your e-mail'), 'empty address refused next to the field');
      t.equal(await page.getByLabel('E-mail address').getAttribute('aria-invalid'), 'true', 'field marked invalid');
      await t.shot(page, 'sign-in-error');
      await page.getByLabel('E-mail address').fill('customer0003@example.test');
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.waitForURL('**/privacy/sign-in/code');
      const code = await t.code('customer0003@example.test');
      const wrong = code === '000000' ? '111111' : '000000';
      for (let i = 1; i <= 3; i++) {
        await page.getByLabel('Code').fill(wrong);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.locator('#code-error').waitFor();
      }
      const msg = await page.locator('#code-error').textContent();
      t.assert(/wait \d+ seconds/.test(msg), `slowed after three wrong codes: ${msg}`);
      await t.shot(page, 'code-throttled');
      // Even the right code waits now.
      await page.getByLabel('Code').fill(code);
      const resp = await Promise.all([page.waitForResponse((r) => r.url().endsWith('/privacy/sign-in/code') && r.request().method() === 'POST'), page.getByRole('button', { name: 'Sign in' }).click()]);
      t.equal(resp[0].status(), 429, 'further attempts wait');

      // Another browser signs in normally.
      const other = await t.page({ region: 'US-CA' });
      await t.signIn(other, 'customer0004@example.test');
      t.assert((await other.getByRole('status').first().textContent()).includes('signed in'), 'signed in');
      const session = (await other.context().cookies()).find((c) => c.name === '__Host-steward-s');
      t.assert(session && session.httpOnly && session.secure, 'session cookie is Secure and HttpOnly');
      await t.shot(other, 'my-data');
    },
  },
  {
    name: 'download my data as JSON and CSV',
    async run(t) {
      const page = await t.page({ region: 'US-CA', ...PHONE });
      await t.signIn(page, 'customer0005@example.test');
      await t.shot(page, 'my-data-phone');
      const [json] = await Promise.all([page.waitForEvent('download'), page.locator('#download-json').click()]);
      t.assert(/\.json$/.test(json.suggestedFilename()), `JSON file name: ${json.suggestedFilename()}`);
      const report = JSON.parse(fs.readFileSync(await json.path(), 'utf8'));
      t.assert(report.subject_id && Array.isArray(report.categories) && report.categories.length > 0, 'the report has the categories');
      const [csv] = await Promise.all([page.waitForEvent('download'), page.locator('#download-csv').click()]);
      const text = fs.readFileSync(await csv.path(), 'utf8');
      t.assert(text.split('\n').length > 2, 'CSV has rows');
      // Preferences of the signed-in customer: US opt-out reads as ticked.
      await page.goto(`${t.base}/privacy/preferences`);
      await t.shot(page, 'preferences-phone');
      const email = page.locator('input[name="marketing:first_party:email"]');
      const was = await email.isChecked();
      await email.setChecked(!was);
      await page.getByRole('button', { name: 'Save my preferences' }).click();
      await page.waitForURL('**/privacy/preferences?done=saved');
      t.equal(await email.isChecked(), !was, 'e-mail preference changed in one step');
    },
  },
  {
    name: 'rights-06 deletion request: preview, confirmation, receipt',
    async run(t) {
      const page = await t.page({ region: 'US-CA' });
      await t.signIn(page, 'customer0006@example.test', '/privacy/my-data/delete');
      t.assert(await page.getByRole('heading', { name: 'Kept, and why' }).isVisible(), 'the preview says what is kept');
      await t.shot(page, 'delete-preview');
      await page.getByRole('button', { name: 'Delete my data' }).click();
      t.assert((await page.locator('#confirm-error').textContent()).includes('Tick the box'), 'confirmation required, next to the box');
      await page.getByLabel('I understand that deleted data cannot be recovered.').check();
      await page.getByRole('button', { name: 'Delete my data' }).click();
      await page.waitForURL('**/privacy/requests/**');
      const id = new URL(page.url()).pathname.split('/').pop();
      await t.shot(page, 'request-received');
      t.steward('dsr', 'approve', id);
      t.steward('dsr', 'run', id);
      await page.goto(`${t.base}/privacy/requests/${id}`);
      t.assert(await page.locator('#receipt').isVisible(), 'receipt shown');
      t.assert((await page.locator('#request-state').textContent()).includes('Completed'), 'completed');
      await t.shot(page, 'request-receipt');
    },
  },
];
