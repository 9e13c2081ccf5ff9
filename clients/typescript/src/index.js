// @ts-check
// The Steward client for JavaScript and TypeScript: openapi-fetch over the types that
// openapi-typescript generated from Steward's openapi.json (./schema.d.ts). Every path, body,
// parameter and answer is typed from the document the server is tested against; this file
// only adds the API key, the GPC pass-through and an unwrap that turns a problem document
// into an exception carrying its stable code.
import createClient from 'openapi-fetch';

/**
 * A client of one Steward server.
 * @param {import('./index.js').StewardClientOptions} options
 * @returns {import('./index.js').StewardClient}
 */
export function createStewardClient({ baseUrl, apiKey, fetch }) {
  /** @type {Record<string, string>} */
  const headers = { Accept: 'application/json' };
  if (apiKey) headers.Authorization = `Bearer ${apiKey}`;
  return createClient({ baseUrl: baseUrl.replace(/\/+$/, ''), headers, ...(fetch ? { fetch } : {}) });
}

/**
 * The `Sec-GPC` header parameter to pass a customer's browser signal through (GPC-01):
 * `{ 'Sec-GPC': '1' }` when the incoming value is `1`, else nothing.
 * @param {string | string[] | null | undefined} value the incoming request's `Sec-GPC` header
 * @returns {{ 'Sec-GPC'?: string }}
 */
export function gpcHeader(value) {
  const v = Array.isArray(value) ? value[0] : value;
  return typeof v === 'string' && v.trim() === '1' ? { 'Sec-GPC': '1' } : {};
}

/** A problem document (RFC 9457) Steward answered, as an exception. */
export class StewardProblem extends Error {
  /**
   * @param {number} status
   * @param {any} problem
   */
  constructor(status, problem) {
    const code = problem && typeof problem.code === 'string' ? problem.code : `HTTP_${status}`;
    super(`steward answered ${status} ${code}: ${(problem && problem.detail) || ''}`);
    this.name = 'StewardProblem';
    /** @type {number} */
    this.status = status;
    /** @type {string} */
    this.code = code;
    this.problem = problem;
  }
}

/**
 * The data of an openapi-fetch result, or a `StewardProblem` thrown.
 * @template T
 * @param {{ data?: T, error?: unknown, response: Response }} result
 * @returns {T}
 */
export function unwrap(result) {
  if (result.error !== undefined || !result.response.ok || result.data === undefined) {
    throw new StewardProblem(result.response.status, result.error);
  }
  return result.data;
}
