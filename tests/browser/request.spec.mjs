// The privacy center's public request page (/privacy/request): a person without an account
// files an access request, confirms it with the e-mailed code and follows it; the form's
// errors sit next to their fields with a summary; an authorized agent files for a consumer
// with the signed permission, and the consumer confirms from their own browser (CCPA-23).

export const tests = [
  {
    name: 'rights-04 a person without an account files and confirms a request',
    async run(t) {
      const page = await t.page({ region: 'US-CA' });
      await page.goto(`${t.base}/privacy`);
      await page.getByRole('link', { name: 'Make a privacy request', exact: true }).click();
      await page.waitForURL('**/privacy/request');
      t.equal(await page.locator('#residence').inputValue(), 'US-CA', 'where the visitor is, preselected');
      // Nothing chosen: the errors are listed at the top and next to their fields.
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.locator('#error-summary').waitFor();
      t.assert((await page.locator('#kind-error').textContent()).includes('Choose what you are asking for'), 'kind error');
      t.equal(await page.locator('#email').getAttribute('aria-invalid'), 'true', 'e-mail marked invalid');
      t.assert((await page.locator('#email').getAttribute('aria-describedby')).includes('email-error'), 'error tied to the field');
      await t.shot(page, 'request-errors');

      await page.getByLabel('See my personal information').check();
      await page.getByLabel('E-mail address of the person the request is about').fill('former.customer@example.test');
      await page.getByRole('button', { name: 'Send me a code' }).click();
      await page.waitForURL('**/privacy/request/confirm');
      await t.shot(page, 'request-confirm');
      const code = await t.code('former.customer@example.test');
      await page.getByLabel('Code').fill(code);
      await page.getByRole('button', { name: 'Confirm my request' }).click();
      await page.waitForURL('**/privacy/requests/**');
      t.assert((await page.getByRole('status').first().textContent()).includes('confirmed'), 'confirmed');
      t.assert(await page.getByRole('heading', { name: 'Access to my data' }).isVisible(), 'the request page');
      await t.shot(page, 'request-status');
    },
  },
  {
    name: 'ccpa-23 an authorized agent files; the consumer confirms directly',
    async run(t) {
      const agent = await t.page({ region: 'US-CA' });
      await agent.goto(`${t.base}/privacy/request`);
      await agent.getByLabel('Delete my personal information').check();
      await agent.getByLabel('I am an authorized agent').check();
      await agent.getByLabel("Your name, or your business's name").fill('Agency Desk LLC');
      await agent.getByLabel('Your e-mail address').fill('desk@agency.example');
      await agent.getByLabel('E-mail address of the person the request is about').fill('carol.consumer@example.test');
      await agent.getByLabel("The consumer's signed permission").fill('I, Carol Consumer, authorize Agency Desk LLC to request the deletion of my personal information. Signed: Carol Consumer, 2024-03-01');
      await agent.getByRole('button', { name: 'Send me a code' }).click();
      await agent.waitForURL('**/privacy/request/confirm');
      t.equal(await agent.getByLabel('Code').count(), 0, 'the agent is asked for no code');
      const reference = (await agent.locator('#reference-shown').textContent()).trim();
      await t.shot(agent, 'request-agent-filed');

      const consumer = await t.page({ region: 'US-CA' });
      await consumer.goto(`${t.base}/privacy/request/confirm`);
      await consumer.getByLabel('Reference').fill(reference);
      await consumer.getByLabel('Code').fill(await t.code('carol.consumer@example.test'));
      await consumer.getByRole('button', { name: 'Confirm my request' }).click();
      await consumer.waitForURL(`**/privacy/requests/${reference}?done=verified`);
      t.assert(await consumer.getByRole('heading', { name: 'Delete my data' }).isVisible(), 'the request page');

      const v = await t.api('GET', `/v1/requests/${reference}`);
      t.equal(v.status, 200, v.text);
      t.equal(v.json.requester, 'agent', 'filed by an agent');
      t.equal(v.json.channel, 'privacy_center', 'through the privacy center');
    },
  },
];
