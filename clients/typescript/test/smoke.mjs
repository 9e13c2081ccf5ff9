// @ts-check
// The TypeScript client's smoke test against a live `steward serve` (scripts/clients-smoke
// runs it with the other clients against one server; `tsc` type-checks this file against the
// generated types):
//
//   node test/smoke.mjs http://127.0.0.1:8080 stw_…
//
// Creates a subject, asks whether its name and address may go to a mailing partner (allowed),
// records a choice with `Sec-GPC: 1` passed through and asks again (refused, with the reason),
// submits an access request on the customer's behalf and follows it to its approval.
import { createStewardClient, gpcHeader, unwrap, StewardProblem } from '../src/index.js';

const [baseUrl, apiKey] = process.argv.slice(2);
if (!baseUrl || !apiKey) {
  console.error('usage: node test/smoke.mjs URL API_KEY');
  process.exit(2);
}
const steward = createStewardClient({ baseUrl, apiKey });

/** @param {boolean} ok @param {string} what */
function check(ok, what) {
  if (!ok) throw new Error(`not so: ${what}`);
}

/** @param {string} subjectId */
function mailingLabel(subjectId) {
  return {
    op: /** @type {const} */ ('can_disclose'),
    subject: { id: subjectId },
    categories: ['name', 'postal_address'],
    recipient: 'MP1',
    purpose: 'third_party_promotional_mail',
  };
}

/** A decision, not effective choices. @param {import('../src/index.js').components['schemas']['Decision']} d */
function asDecision(d) {
  if (!('allow' in d)) throw new Error('expected a decision');
  return d;
}

async function smoke() {
  const email = `smoke-ts-${process.pid}@example.test`;
  const subject = unwrap(
    await steward.POST('/v1/subjects', {
      body: { jurisdiction: 'US-CA', identities: [{ kind: 'email', value: email }] },
    }),
  );

  const before = asDecision(unwrap(await steward.POST('/v1/decisions', { body: mailingLabel(subject.id) })));
  console.log(`decide: allow=${before.allow} reason=${before.reason} clause=${JSON.stringify(before.clause)} record_disclosure=${!!before.obligations.record_disclosure}`);
  check(before.allow, 'the disclosure is allowed before any choice');

  const recorded = unwrap(
    await steward.POST('/v1/choices', {
      params: { header: gpcHeader('1') },
      body: {
        subject_id: subject.id,
        choices: [{ key: 'marketing:first_party:email', value: true, channel: 'web_form' }],
      },
    }),
  );
  console.log(`choices: ${recorded.choice_ids.length} recorded`);
  const after = asDecision(unwrap(await steward.POST('/v1/decisions', { body: mailingLabel(subject.id) })));
  console.log(`decide: allow=${after.allow} reason=${after.reason}`);
  check(!after.allow, 'Sec-GPC: 1 opted the subject out of the sale');

  const submitted = unwrap(
    await steward.POST('/v1/requests', {
      body: {
        kind: 'access',
        requester: 'admin',
        channel: 'support',
        email,
        subject_id: subject.id,
        preverified: 'support_call_kba',
      },
    }),
  );
  console.log(`request ${submitted.request_id}: ${submitted.state}`);
  const followed = unwrap(
    await steward.GET('/v1/requests/{id}', { params: { path: { id: submitted.request_id } } }),
  );
  check(followed.state === 'verified', 'the request is verified');
  check(followed.status === 'ON_TRACK', 'the request is on track');
  const approved = unwrap(
    await steward.POST('/v1/requests/{id}/approve', {
      params: { path: { id: submitted.request_id } },
      body: { data_points: 0, signed_declaration: false },
    }),
  );
  console.log(`request ${approved.id}: ${approved.state} (due ${approved.due})`);
  check(approved.state === 'approved', 'the request is approved');

  // A problem document becomes an exception with its stable code.
  try {
    unwrap(await steward.GET('/v1/requests/{id}', { params: { path: { id: '00000000-0000-7000-8000-000000000000' } } }));
    check(false, 'an unknown request is a problem');
  } catch (e) {
    check(e instanceof StewardProblem && e.status === 404 && e.code === 'NOT_FOUND', `404 NOT_FOUND, got ${e}`);
  }
}

smoke().then(
  () => console.log('typescript client: ok'),
  (e) => {
    console.error(`typescript client: FAILED: ${e && e.stack ? e.stack : e}`);
    process.exit(1);
  },
);
