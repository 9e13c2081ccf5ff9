// The privacy team's console in a real browser (the privacy center and console work): an admin signs in with an API key,
// works the queue (a deletion request approved and run to its receipt, an overdue request
// highlighted), looks a subject up by e-mail, verifies the audit chain, reads the data map,
// the record of processing and the policy's test results; a key without the role is told so.

const PHONE = { viewport: { width: 375, height: 812 }, deviceScaleFactor: 1, isMobile: true, hasTouch: true };
const WIDE = { viewport: { width: 1280, height: 900 } };

async function subject(t, email, jurisdiction) {
  const r = await t.api('POST', '/v1/subjects', { jurisdiction, identities: [{ kind: 'email', value: email }] });
  t.equal(r.status, 201, `subject created: ${r.text}`);
  return r.json.id;
}

// A request staff took on the phone after checking who called: verified at intake.
async function staffRequest(t, kind, email, jurisdiction, receivedAt, items = []) {
  const id = await subject(t, email, jurisdiction);
  for (const [category, value, source, purpose] of items) {
    const w = await t.api('POST', '/v1/items', { subject_id: id, category, value, source, purpose });
    t.equal(w.status, 201, `item ${category} stored: ${w.text}`);
  }
  const body = { kind, requester: 'admin', channel: 'support', subject_id: id, email, preverified: 'support_call' };
  if (receivedAt) body.received_at = receivedAt;
  const r = await t.api('POST', '/v1/requests', body);
  t.assert(r.status === 201 || r.status === 200 || r.status === 202, `request submitted: ${r.status} ${r.text}`);
  return { subject: id, request: r.json.request_id };
}

async function signIn(t, page, key) {
  await page.goto(`${t.base}/console`);
  await page.waitForURL('**/console/sign-in');
  await page.getByLabel('API key').fill(key);
  await page.getByRole('button', { name: 'Sign in' }).click();
}

export const tests = [
  {
    name: 'an admin works the queue: a deletion approved and run to its receipt',
    async run(t) {
      // Dana has an account (e-mail, name) and a purchase on record (kept for tax law).
      const del = await staffRequest(t, 'deletion', 'console.dana@example.com', 'US-CA', undefined, [
        ['email', 'console.dana@example.com', 'direct:registration', 'account_registration'],
        ['name', 'Dana Example', 'direct:registration', 'account_registration'],
        ['transaction_history', 'order 1001: 20 stamps', 'direct:purchase', 'service_provision'],
      ]);
      // Received 100 days ago (a letter opened late): overdue under every regime, and later
      // than the demo's own overdue request (70 days), so it heads the queue.
      const old = new Date(Date.now() - 100 * 86400e3).toISOString().replace(/\.\d+Z$/, 'Z');
      const late = await staffRequest(t, 'access', 'console.olly@example.com', 'US-CA', old);
      // Olly opted out of sale and sharing: the console shows where that choice comes from.
      const choice = await t.api('POST', '/v1/choices', { subject_id: late.subject, choices: [{ key: 'sale_opt_out', value: true, channel: 'web_form' }] });
      t.equal(choice.status, 201, `choice recorded: ${choice.text}`);
      const page = await t.page(WIDE);
      await signIn(t, page, t.adminKey);
      await page.waitForURL((u) => u.pathname === '/console');
      t.assert(await page.getByRole('heading', { name: 'Dashboard' }).isVisible(), 'dashboard shown');
      t.equal(await page.locator('svg.chart').count(), 4, 'four inline SVG charts');
      await t.shot(page, 'dashboard');
      // The session cookie: host-only, HttpOnly, Secure, SameSite=Strict.
      const c = (await page.context().cookies()).find((x) => x.name === '__Host-steward-console');
      t.assert(c && c.httpOnly && c.secure && c.sameSite === 'Strict' && c.path === '/', `session cookie: ${JSON.stringify(c)}`);

      await page.getByRole('link', { name: 'Work the queue' }).click();
      await page.waitForURL('**/console/requests');
      const rows = page.locator('table.queue tbody tr');
      t.assert((await rows.count()) >= 2, 'both requests listed');
      // Sorted by due date: the overdue one first, highlighted and said in words.
      const first = rows.first();
      t.equal(await first.getAttribute('class'), 'overdue', 'the overdue request comes first and stands out');
      t.assert((await first.textContent()).includes('overdue by'), 'overdue said in words');
      t.assert((await first.locator('a').getAttribute('href')).endsWith(late.request), 'it is the late request');
      await t.shot(page, 'queue');

      // Open the deletion request by keyboard: focus its link and press Enter.
      const link = page.locator(`a[href="/console/requests/${del.request}"]`);
      await link.focus();
      await page.keyboard.press('Enter');
      await page.waitForURL(`**/console/requests/${del.request}`);
      t.assert(await page.getByRole('heading', { name: 'Approve' }).isVisible(), 'approve form offered');
      t.equal(await page.getByRole('button', { name: 'Run request' }).count(), 0, 'no run before approval');
      await t.shot(page, 'request-verified');
      // A bad value is refused next to its field, nothing done.
      await page.getByLabel('Data points matched').fill('many');
      await page.getByRole('button', { name: 'Approve request' }).click();
      t.assert((await page.locator('#approve-error').textContent()).includes('whole number'), 'message next to the field');
      t.equal(await page.getByLabel('Data points matched').getAttribute('aria-invalid'), 'true', 'field marked invalid');
      await page.getByLabel('Data points matched').fill('0');
      await page.getByRole('button', { name: 'Approve request' }).click();
      await page.waitForURL('**?done=approved');
      t.assert((await page.getByRole('status').first().textContent()).includes('approved'), 'approval confirmed');
      t.assert(await page.getByRole('heading', { name: 'Erasure plan' }).isVisible(), 'the plan is shown');
      const plan = await page.locator('main').textContent();
      t.assert(/[1-9]\d* stored items? to delete/.test(plan), 'items to delete counted');
      t.assert(plan.includes('transaction history'), 'the purchase record is kept, with its reason');
      await t.shot(page, 'request-approved');
      await page.getByRole('button', { name: 'Run request' }).click();
      await page.waitForURL('**?done=ran');
      t.assert(await page.getByRole('heading', { name: 'Receipt' }).isVisible(), 'receipt shown');
      t.assert((await page.locator('main').textContent()).includes('completed'), 'completed');
      t.assert((await page.locator('#trail ~ div table').textContent()).includes('service:bootstrap-admin'), 'the trail names the key');
      await t.shot(page, 'request-receipt');
      const api = await t.api('GET', `/v1/requests/${del.request}`);
      t.equal(api.json.state, 'completed', 'the API agrees');

      // Subject lookup by e-mail (the late request's subject).
      await page.getByRole('link', { name: 'Subjects' }).click();
      await page.getByLabel('E-mail address').fill('console.olly@example.com');
      await page.getByRole('button', { name: 'Look up' }).click();
      await page.waitForURL(`**/console/subjects/${late.subject}`);
      t.assert(await page.getByRole('heading', { name: 'Effective choices' }).isVisible(), 'choices shown');
      const optOut = page.locator('tr.set', { hasText: 'sale opt out' });
      t.equal(await optOut.count(), 1, 'the recorded opt-out stands out');
      t.assert((await optOut.textContent()).includes('web form'), 'with its channel');
      t.assert(!(await page.content()).includes('console.olly@example.com'), 'the address is not echoed');
      await t.shot(page, 'subject');

      // Audit log: filter by the subject, verify the chain.
      await page.getByRole('link', { name: 'Audit entries about this subject' }).click();
      t.assert((await page.locator('table.audit tbody tr').count()) >= 1, 'entries about the subject');
      await page.getByRole('button', { name: 'Verify the hash chain and signatures' }).click();
      t.assert((await page.getByRole('status').first().textContent()).includes('The chain verifies'), 'chain verified');
      await t.shot(page, 'audit');

      // Data map and record of processing, policy with its tests.
      await page.getByRole('link', { name: 'Data map' }).click();
      t.assert((await page.locator('details.ropa').count()) > 10, 'one record entry per purpose');
      await page.locator('details.ropa summary').first().click();
      await t.shot(page, 'data-map');
      await page.getByRole('link', { name: 'Policy', exact: true }).click();
      t.assert((await page.getByRole('status').first().textContent()).includes('test cases'), 'policy tests shown');
      await t.shot(page, 'policy');

      // Sign out: back to the sign-in page, and the console is closed.
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.waitForURL('**/console/sign-in?signed_out=1');
      await page.goto(`${t.base}/console/requests`);
      await page.waitForURL((u) => u.pathname === '/console/sign-in' && u.searchParams.get('next') === '/console/requests');
      // Signing in again returns to the page asked for.
      await page.getByLabel('API key').fill(t.adminKey);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/console/requests');
    },
  },
  {
    name: 'a key without the role is told so; the queue is readable at phone width',
    async run(t) {
      const k = await t.api('POST', '/v1/keys', { name: 'privacy:queue', scopes: ['dsr'] });
      t.equal(k.status, 201, `key minted: ${k.text}`);
      const page = await t.page(PHONE);
      await page.goto(`${t.base}/console/sign-in`);
      await page.getByLabel('API key').fill('stw_wrong');
      await page.getByRole('button', { name: 'Sign in' }).click();
      t.assert((await page.locator('#key-error').textContent()).includes('not accepted'), 'a wrong key is refused next to the field');
      await t.shot(page, 'sign-in-refused-phone');
      await page.getByLabel('API key').fill(k.json.secret);
      await page.getByRole('button', { name: 'Sign in' }).click();
      await page.waitForURL((u) => u.pathname === '/console');
      t.equal(await page.getByRole('link', { name: 'Audit log' }).count(), 0, 'no audit link for a dsr key');
      const r = await page.goto(`${t.base}/console/audit`);
      t.equal(r.status(), 403, 'the audit page is refused');
      t.assert((await page.locator('main').textContent()).includes('does not hold the role'), 'and says why');
      await t.shot(page, 'not-allowed-phone');
      await page.goto(`${t.base}/console/requests`);
      await t.shot(page, 'queue-phone');
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
      t.assert(overflow <= 1, `no horizontal page scroll at 375 px (tables scroll inside their box): ${overflow}`);
    },
  },
];
