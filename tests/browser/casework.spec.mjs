// The privacy team works its cases in the console: an incident recorded through the API is
// assessed as a breach in the form, its notices come with their due times, the authority's
// notice — its 72 hours gone — is marked sent with the reason it was late (refused without
// one: GDPR-30), shown as sent, and the audit trail names each step and the key that took
// it. A legal request registered through the API cannot be reviewed by the key that
// registered it (LEGALREQ-02); another key reviews it in the form, and the register and the
// report per instrument show it (LEGALREQ-04), beside the demo's reviewed subpoena. A key
// without the `cases` role has no link and is told it is not allowed. Readable at phone width.

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

async function noPageScroll(t, page, what) {
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  t.assert(overflow <= 1, `no horizontal page scroll at 375 px on ${what}: ${overflow}`);
}

async function casesKey(t, name) {
  const k = await t.api('POST', '/v1/keys', { name, scopes: ['cases'] });
  t.equal(k.status, 201, `key minted: ${k.text}`);
  return k.json.secret;
}

export const tests = [
  {
    name: 'an incident assessed, its authority notice marked sent late with the reason, the audit trail',
    async run(t) {
      const key = await casesKey(t, 'privacy:casework');
      // Found five days ago in Germany and Nevada: the authority's 72 hours are gone.
      const rec = await t.api('POST', '/v1/incidents', {
        summary: 'Browser test: HR export mailed to the wrong distribution list',
        discovered_at: iso(5 * 86400e3),
        systems: ['hr-export'],
        categories: ['email'],
        affected: { DE: 4, 'US-NV': 2 },
        records_affected: 6,
      });
      t.equal(rec.status, 201, `incident recorded: ${rec.text}`);
      const id = rec.json.id;

      const page = await t.page(WIDE);
      await signIn(t, page, key);
      await page.getByRole('link', { name: 'Incidents & complaints' }).click();
      await page.waitForURL((u) => u.pathname === '/console/cases');
      await page.getByRole('link', { name: 'Browser test: HR export mailed to the wrong distribution list' }).click();
      await page.waitForURL((u) => u.pathname === `/console/incidents/${id}`);
      let main = await page.locator('main').textContent();
      t.assert(main.includes('Not assessed yet'), 'not assessed yet');
      t.assert(main.includes('DE 4') && main.includes('US-NV 2'), 'affected per jurisdiction');
      t.assert(main.includes('hr-export'), 'the systems');

      // Assess: a breach, high risk.
      await page.getByLabel('Yes, a breach of personal data').check();
      await page.getByLabel('Risk to the people affected').selectOption('high');
      await page.getByLabel('Note').fill('names and e-mail addresses of four employees, no special categories');
      await page.getByRole('button', { name: 'Record the assessment' }).click();
      await page.waitForURL((u) => u.pathname === `/console/incidents/${id}` && u.search === '?done=assessed');
      t.assert(await page.getByText('The assessment was recorded').isVisible(), 'confirmed');
      const rows = page.locator('table.notices tbody tr');
      const sa = rows.filter({ hasText: 'supervisory authority' });
      t.equal(await sa.count(), 1, 'a notice to the supervisory authority');
      t.equal(await sa.getAttribute('class'), 'overdue', 'overdue, highlighted');
      t.assert(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}/.test(await sa.locator('td[data-label="Due"]').textContent()), 'with its due time');
      t.assert((await sa.textContent()).includes('GDPR-30'), 'citing GDPR-30');
      t.assert(await rows.filter({ hasText: 'data subjects' }).count() === 1, 'the people are told too (high risk, GDPR-31)');
      t.assert(await rows.filter({ hasText: 'state residents:NV' }).count() === 1, 'the Nevada residents (NV-08)');
      await t.shot(page, 'incident-assessed');

      // Marked sent without the reason it was late: refused, the reason shown by the form.
      const form = page.locator('section.card', { has: page.getByRole('heading', { name: 'Mark sent: supervisory authority' }) });
      await form.getByLabel('What was sent').fill('BfDI online form, reference 2024-0815');
      await form.getByRole('button', { name: 'Mark sent' }).click();
      const err = page.locator('section.card', { has: page.getByRole('heading', { name: 'Mark sent: supervisory authority' }) }).getByRole('alert');
      t.assert((await err.textContent()).includes('give the reasons for the delay'), `GDPR-30: ${await err.textContent()}`);
      const again = page.locator('section.card', { has: page.getByRole('heading', { name: 'Mark sent: supervisory authority' }) });
      t.equal(await again.getByLabel('What was sent').inputValue(), 'BfDI online form, reference 2024-0815', 'what was typed is kept');
      await again.getByLabel('Why it was late').fill('The scope was only confirmed by the HR vendor on day four.');
      await again.getByRole('button', { name: 'Mark sent' }).click();
      await page.waitForURL((u) => u.search === '?done=sent');
      t.assert(await page.getByText('The notice was marked sent.').isVisible(), 'confirmed');
      const sent = page.locator('table.notices tbody tr').filter({ hasText: 'supervisory authority' });
      t.equal(await sent.getAttribute('class'), 'sent', 'no longer overdue');
      const sentText = await sent.textContent();
      t.assert(sentText.includes('sent') && sentText.includes('late'), `sent, late: ${sentText}`);
      t.assert(sentText.includes('BfDI online form, reference 2024-0815'), 'what was sent');
      t.assert(sentText.includes('The scope was only confirmed by the HR vendor on day four.'), 'why it was late');
      t.equal(await page.getByRole('heading', { name: 'Mark sent: supervisory authority' }).count(), 0, 'its form is gone');

      // The audit trail: each step, by this key.
      const trail = await page.locator('table.trail').textContent();
      for (const step of ['incident.record', 'incident.assess', 'incident.notice_sent', 'key privacy:casework', 'late: true']) {
        t.assert(trail.includes(step), `${step} in the trail: ${trail}`);
      }
      // Closing with notices still open: refused, and the page says why.
      await page.getByRole('button', { name: 'Close the incident' }).click();
      main = await page.locator('main').textContent();
      t.assert(main.includes('some notices were not sent yet'), 'not closed while notices are open');
      await t.shot(page, 'incident');
      await t.doc(page, 'console-incident');

      const api = await t.api('GET', `/v1/incidents/${id}`);
      const n = api.json.notices.find((x) => x.to === 'supervisory_authority');
      t.equal(n.status, 'sent', 'the API agrees');
      t.equal(n.late, true, 'late');

      const phone = await t.page(PHONE);
      await signIn(t, phone, key);
      await phone.goto(`${t.base}/console/incidents/${id}`);
      await t.shot(phone, 'incident-phone');
      await noPageScroll(t, phone, 'the incident');
    },
  },
  {
    name: 'a legal request reviewed by someone else in the console, in the register and the report',
    async run(t) {
      const subject = await t.api('POST', '/v1/subjects', {
        jurisdiction: 'DE',
        identities: [{ kind: 'email', value: 'legal.subject@example.test' }],
      });
      t.equal(subject.status, 201, `subject: ${subject.text}`);
      const reg = await t.api('POST', '/v1/legal-requests', {
        authority: 'Browser Test Regional Court',
        instrument: 'court_order',
        basis: 'required_by_law',
        scope: ['email'],
        subject_ids: [subject.json.id],
        gag_order: true,
      });
      t.equal(reg.status, 201, `registered: ${reg.text}`);
      const id = reg.json.id;

      // The key that registered it (the admin's) cannot review it (LEGALREQ-02).
      const admin = await t.page(WIDE);
      await signIn(t, admin, t.adminKey);
      await admin.goto(`${t.base}/console/legal/${id}`);
      await admin.getByLabel('Approve: disclose within its scope').check();
      await admin.getByLabel('Rationale').fill('valid order');
      await admin.getByRole('button', { name: 'Record the review' }).click();
      const refused = await admin.getByRole('alert').textContent();
      t.assert(refused.includes('someone other than who registered the request'), `refused: ${refused}`);

      const key = await casesKey(t, 'privacy:counsel');
      const page = await t.page(WIDE);
      await signIn(t, page, key);
      await page.getByRole('link', { name: 'Legal requests' }).click();
      await page.waitForURL((u) => u.pathname === '/console/legal');
      const register = page.locator('table.register tbody tr');
      const mine = register.filter({ hasText: 'Browser Test Regional Court' });
      t.equal(await mine.count(), 1, 'registered through the API, in the register');
      t.equal(await register.first().textContent().then((x) => x.includes('Browser Test Regional Court')), true, 'newest first');
      let row = await mine.textContent();
      t.assert(row.includes('court order') && row.includes('awaiting review'), `instrument, review: ${row}`);
      t.assert(row.includes('the subjects are not told'), 'the gag order');
      // The demo's subpoena: reviewed, one disclosure.
      const demo = register.filter({ hasText: 'Demo County Superior Court' });
      t.equal(await demo.count(), 1, "the demo's subpoena");
      t.assert((await demo.textContent()).includes('approved by service:demo-counsel'), 'reviewed by counsel');
      t.equal((await demo.locator('td[data-label="Disclosures"]').textContent()).trim(), '1', 'one disclosure');

      await mine.getByRole('link').click();
      await page.waitForURL((u) => u.pathname === `/console/legal/${id}`);
      let main = await page.locator('main').textContent();
      t.assert(main.includes('yes: one of them is an EU data subject'), 'LEGALREQ-06');
      t.assert(main.includes('email'), 'the scope');
      await page.getByLabel('Approve: disclose within its scope').check();
      await page.getByLabel('Rationale').fill('A valid order of a competent court; scope limited to the e-mail address.');
      await page.getByRole('button', { name: 'Record the review' }).click();
      await page.waitForURL((u) => u.search === '?done=approved');
      main = await page.locator('main').textContent();
      t.assert(main.includes('approved by service:privacy:counsel'), 'the reviewer is the signed-in key');
      t.assert(main.includes('A valid order of a competent court'), 'the rationale');
      const trail = await page.locator('table.trail').textContent();
      t.assert(trail.includes('legal_request.register') && trail.includes('legal_request.review'), `trail: ${trail}`);
      t.assert(trail.includes('key privacy:counsel'), 'by the key');

      await page.getByRole('link', { name: '← Legal requests' }).click();
      row = await page.locator('table.register tbody tr').filter({ hasText: 'Browser Test Regional Court' }).textContent();
      t.assert(row.includes('approved by service:privacy:counsel'), `reviewed in the register: ${row}`);
      // The report per instrument (LEGALREQ-04).
      const report = page.locator('table.report');
      const court = await report.locator('tr', { has: page.locator('th', { hasText: 'court order' }) }).textContent();
      t.assert(/court order\s*1\s*0/.test(court.replace(/\s+/g, ' ')), `court orders: ${court}`);
      const sub = await report.locator('tr', { has: page.locator('th', { hasText: 'subpoena' }) }).textContent();
      t.assert(/subpoena\s*1\s*1\s*1/.test(sub.replace(/\s+/g, ' ')), `the demo's subpoena and its disclosure: ${sub}`);
      await page.getByLabel('From').fill('2999-01-01');
      await page.getByRole('button', { name: 'Show the report' }).click();
      t.assert(await page.getByText('Nothing in this period.').isVisible(), 'a later period is empty');
      await page.goto(`${t.base}/console/legal`);
      await t.shot(page, 'legal');
      await t.doc(page, 'console-legal');

      const phone = await t.page(PHONE);
      await signIn(t, phone, key);
      await phone.goto(`${t.base}/console/legal`);
      await t.shot(phone, 'legal-phone');
      await noPageScroll(t, phone, 'the register');
      await phone.goto(`${t.base}/console/legal/${id}`);
      await noPageScroll(t, phone, 'a legal request');
    },
  },
  {
    name: 'a key without the cases role is not allowed to the case pages',
    async run(t) {
      const k = await t.api('POST', '/v1/keys', { name: 'privacy:lookup-only', scopes: ['read_pii'] });
      t.equal(k.status, 201, `key minted: ${k.text}`);
      const list = await t.api('GET', '/v1/incidents');
      const incident = list.json.incidents[0].id;
      const page = await t.page(WIDE);
      await signIn(t, page, k.json.secret);
      t.equal(await page.getByRole('link', { name: 'Legal requests' }).count(), 0, 'no link to the register');
      for (const path of ['/console/legal', `/console/incidents/${incident}`]) {
        const r = await page.goto(`${t.base}${path}`);
        t.equal(r.status(), 403, `${path} is refused`);
        t.assert((await page.locator('main').textContent()).includes('does not hold the role this page needs (cases)'), 'and says why');
      }
    },
  },
];
