// @ts-check
// Express middleware that asks Steward before a route uses or discloses personal data, through
// the generated TypeScript client (@steward/client). For each request, `ask(req)` says what the
// route is about to do — a decision request — or `null` when it touches no personal data. Then:
//
// - a disclosure refused only because some categories may not go (`CATEGORY_EXCLUDED` with
//   `allowed` categories) is asked again for just those, and the route runs under that answer;
// - a denial is answered `403` with a problem document (`code` `DENIED`) carrying the reason,
//   the clause and the decision; the route never runs;
// - an allow runs the route with `req.steward` (the decision, the dropped categories,
//   `allows(category)`), drops every member named after an excluded or redacted category from
//   the JSON it answers (at any depth), and names the decision in `Steward-Decision`;
// - it fails closed: Steward out of reach is `503` `STEWARD_UNAVAILABLE`; categories to drop
//   from an answer that is not JSON is `500` `UNPROJECTABLE_RESPONSE`.

/** The header naming the decision an answer went out under. */
export const DECISION_HEADER = 'Steward-Decision';

/**
 * @param {import('express').Response} res
 * @param {number} status
 * @param {string} code
 * @param {string} title
 * @param {string} detail
 * @param {unknown} [decision]
 * @param {(body: string) => import('express').Response} [send]
 * @returns {import('express').Response}
 */
function problem(res, status, code, title, detail, decision, send) {
  /** @type {Record<string, unknown>} */
  const p = { type: `urn:steward:problem:${code.toLowerCase()}`, title, status, detail, code };
  if (decision !== undefined) p.decision = decision;
  res.status(status);
  res.set('Content-Type', 'application/problem+json');
  return (send || ((b) => res.send(b)))(JSON.stringify(p));
}

/**
 * Drops every object member named after one of `categories`, at any depth.
 * @param {unknown} value
 * @param {Set<string>} categories
 * @returns {unknown}
 */
export function dropCategories(value, categories) {
  if (Array.isArray(value)) return value.map((v) => dropCategories(v, categories));
  if (value && typeof value === 'object') {
    /** @type {Record<string, unknown>} */
    const out = {};
    for (const [k, v] of Object.entries(value)) {
      if (!categories.has(k)) out[k] = dropCategories(v, categories);
    }
    return out;
  }
  return value;
}

/**
 * @param {import('@steward/client').StewardClient} client
 * @param {import('./index.js').DecisionRequest} ask
 * @returns {Promise<import('./index.js').Decision>}
 */
async function decide(client, ask) {
  const { data, error, response } = await client.POST('/v1/decisions', { body: ask });
  if (!response.ok || !data || !('allow' in data)) {
    const code = error && typeof error === 'object' && 'code' in error ? error.code : `HTTP_${response.status}`;
    throw new Error(`steward answered ${response.status} ${code}`);
  }
  return data;
}

/**
 * The guard: see the module header.
 * @param {import('./index.js').GuardOptions} options
 * @returns {import('express').RequestHandler}
 */
export function stewardGuard({ client, ask }) {
  return async (req, res, next) => {
    let question;
    try {
      question = await ask(req);
    } catch (e) {
      return next(e);
    }
    if (!question) return next();
    let decision;
    /** @type {Set<string>} */
    const dropped = new Set();
    try {
      decision = await decide(client, question);
      if (!decision.allow && decision.reason === 'CATEGORY_EXCLUDED' && decision.allowed && decision.allowed.length > 0) {
        // Only some categories may go: ask for just those, and run under that answer.
        for (const c of decision.excluded || []) dropped.add(c);
        decision = await decide(client, { ...question, categories: decision.allowed });
      }
    } catch (e) {
      return problem(res, 503, 'STEWARD_UNAVAILABLE', 'Steward could not be asked', `the privacy decision could not be obtained: ${e instanceof Error ? e.message : e}`);
    }
    if (!decision.allow) {
      const detail = decision.detail ? `${decision.reason} (${decision.detail}): ${decision.clause}` : `${decision.reason}: ${decision.clause}`;
      res.set(DECISION_HEADER, decision.decision_id);
      return problem(res, 403, 'DENIED', 'Refused by the privacy policy', detail, decision);
    }
    for (const c of decision.obligations.redact || []) dropped.add(c);
    const permit = decision;
    req.steward = {
      decision: permit,
      dropped: [...dropped],
      allows: (category) => permit.allow && !dropped.has(category),
    };
    res.set(DECISION_HEADER, permit.decision_id);
    if (dropped.size > 0) {
      const send = res.send.bind(res);
      let projected = false;
      res.json = (body) => {
        projected = true;
        if (!res.get('Content-Type')) res.set('Content-Type', 'application/json');
        return send(JSON.stringify(dropCategories(body, dropped)));
      };
      res.send = (body) => {
        if (projected) return send(body);
        if (body !== null && typeof body === 'object' && !Buffer.isBuffer(body)) return res.json(body);
        // SECURITY: an answer the guard cannot read may carry what must not go: refuse it.
        return problem(res, 500, 'UNPROJECTABLE_RESPONSE', 'The answer cannot be projected', 'the decision excludes categories, and the route answered something other than JSON', permit, send);
      };
    }
    next();
  };
}
