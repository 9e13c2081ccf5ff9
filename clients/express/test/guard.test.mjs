// @ts-check
// The Express guard against a live Steward (scripts/clients-smoke runs it against the server
// it starts; STEWARD_URL and STEWARD_KEY name it): a projected answer, a refusal with the
// reason, a route without personal data, an answer the guard cannot project, and Steward out
// of reach.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createStewardClient, unwrap } from '@steward/client';
import { app } from '../example/app.mjs';

const baseUrl = process.env.STEWARD_URL;
const apiKey = process.env.STEWARD_KEY;
if (!baseUrl || !apiKey) {
  console.error('set STEWARD_URL and STEWARD_KEY (scripts/clients-smoke does)');
  process.exit(2);
}
const steward = createStewardClient({ baseUrl, apiKey });

/** @type {import('node:http').Server[]} */
const servers = [];

/** @param {import('@steward/client').StewardClient} client @returns {Promise<string>} */
function listen(client) {
  return new Promise((resolve) => {
    const s = app(client).listen(0, '127.0.0.1', () => {
      const a = s.address();
      resolve(`http://127.0.0.1:${a && typeof a === 'object' ? a.port : 0}`);
    });
    servers.push(s);
  });
}

/** @param {string} email @returns {Promise<string>} */
async function subject(email) {
  const s = unwrap(
    await steward.POST('/v1/subjects', { body: { jurisdiction: 'US-CA', identities: [{ kind: 'email', value: email }] } }),
  );
  return s.id;
}

let guarded = '';
let ada = '';
let bo = '';
before(async () => {
  guarded = await listen(steward);
  ada = await subject(`express-ada-${process.pid}@example.test`);
  bo = await subject(`express-bo-${process.pid}@example.test`);
  unwrap(await steward.POST('/v1/choices', { body: { subject_id: bo, choices: [{ key: 'sale_opt_out', value: true }] } }));
});
after(() => {
  for (const s of servers) s.close();
});

test('an allowed disclosure goes out without the excluded category', async () => {
  const r = await fetch(`${guarded}/customers/${ada}/mailing-label`);
  assert.equal(r.status, 200);
  assert.ok(r.headers.get('steward-decision'));
  const body = await r.json();
  assert.equal(body.name, `Customer ${ada.slice(0, 8)}`);
  assert.equal(body.postal_address, '100 Demo Street, Springfield');
  assert.equal(body.email, undefined);
  assert.equal(body.email_allowed, false);
});

test('an opted-out customer is refused with the reason, and the route never runs', async () => {
  const r = await fetch(`${guarded}/customers/${bo}/mailing-label`);
  assert.equal(r.status, 403);
  assert.equal(r.headers.get('content-type'), 'application/problem+json; charset=utf-8');
  const p = await r.json();
  assert.equal(p.code, 'DENIED');
  assert.equal(p.decision.allow, false);
  assert.ok(p.detail.includes(p.decision.reason));
  assert.ok(!JSON.stringify(p).includes('Demo Street'));
});

test('a route that touches no personal data passes untouched', async () => {
  const r = await fetch(`${guarded}/healthz`);
  assert.equal(r.status, 200);
  assert.equal(await r.text(), 'ok');
  assert.equal(r.headers.get('steward-decision'), null);
});

test('an answer the guard cannot project is refused, nothing leaks', async () => {
  const r = await fetch(`${guarded}/customers/${ada}/label-text`);
  assert.equal(r.status, 500);
  const text = await r.text();
  assert.ok(text.includes('UNPROJECTABLE_RESPONSE'));
  assert.ok(!text.includes('@example.test'));
});

test('Steward out of reach: the guard fails closed', async () => {
  const gone = await listen(createStewardClient({ baseUrl: 'http://127.0.0.1:9', apiKey: 'stw_x' }));
  const r = await fetch(`${gone}/customers/${ada}/mailing-label`);
  assert.equal(r.status, 503);
  const text = await r.text();
  assert.ok(text.includes('STEWARD_UNAVAILABLE'));
  assert.ok(!text.includes('Demo Street'));
});
