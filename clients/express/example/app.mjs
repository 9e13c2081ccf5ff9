// @ts-check
// An Express service of the company guarded by Steward: its mailing-label route hands a
// customer's name, address and e-mail to the mailing partner MP1, and Steward decides first.
// A customer who opted out is refused with the reason; for the others the e-mail (which the
// policy does not let go to MP1) is dropped from the answer.
//
//   STEWARD_URL=http://127.0.0.1:8080 STEWARD_KEY=stw_… node example/app.mjs [port]
//   curl http://127.0.0.1:3000/customers/<subject id>/mailing-label
import express from 'express';
import { createStewardClient } from '@steward/client';
import { stewardGuard } from '../src/index.js';

/**
 * The guarded app.
 * @param {import('@steward/client').StewardClient} client
 */
export function app(client) {
  const a = express();
  a.use(
    stewardGuard({
      client,
      ask(req) {
        const m = req.path.match(/^\/customers\/([^/]+)\/(mailing-label|label-text)$/);
        if (!m) return null;
        return {
          op: 'can_disclose',
          subject: { id: m[1] },
          categories: ['name', 'postal_address', 'email'],
          recipient: 'MP1',
          purpose: 'third_party_promotional_mail',
        };
      },
    }),
  );
  // The route answers the whole record; the guard drops what may not go. It may also ask its
  // permit, to avoid loading what it may not use.
  a.get('/customers/:id/mailing-label', (req, res) => {
    const id = String(req.params.id);
    res.json({
      customer: id,
      name: `Customer ${id.slice(0, 8)}`,
      postal_address: '100 Demo Street, Springfield',
      email: `${id.slice(0, 8)}@example.test`,
      email_allowed: req.steward ? req.steward.allows('email') : null,
    });
  });
  // A route that answers text: the guard cannot drop categories from it, so it refuses it.
  a.get('/customers/:id/label-text', (req, res) => {
    res.type('text/plain').send(`Customer ${req.params.id}, ${req.params.id}@example.test`);
  });
  a.get('/healthz', (_req, res) => {
    res.send('ok');
  });
  return a;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const baseUrl = process.env.STEWARD_URL || 'http://127.0.0.1:8080';
  const apiKey = process.env.STEWARD_KEY;
  if (!apiKey) {
    console.error('set STEWARD_KEY to an API key with the `decide` scope');
    process.exit(2);
  }
  const port = Number(process.argv[2] || 3000);
  const server = app(createStewardClient({ baseUrl, apiKey })).listen(port, '127.0.0.1', () => {
    const addr = server.address();
    console.log(`guarded app on http://127.0.0.1:${addr && typeof addr === 'object' ? addr.port : port}`);
  });
}
