// Types of the Steward client: the generated `paths` of Steward's openapi.json, bound to
// openapi-fetch.
import type { Client } from 'openapi-fetch';
import type { components, paths } from './schema.js';

export type { components, operations, paths } from './schema.js';

/** A typed client: `client.POST('/v1/decisions', { body })` … */
export type StewardClient = Client<paths, 'application/json'>;

/** How to reach Steward. */
export interface StewardClientOptions {
  /** `http://127.0.0.1:8080`, `https://steward.internal` */
  baseUrl: string;
  /** An API key `stw_…` (omit it for the public request intake). */
  apiKey?: string;
  /** A fetch implementation (default: the global one). */
  fetch?: typeof globalThis.fetch;
}

/** A client of one Steward server. */
export declare function createStewardClient(options: StewardClientOptions): StewardClient;

/** `{ 'Sec-GPC': '1' }` when the incoming `Sec-GPC` header is `1`, else `{}`. */
export declare function gpcHeader(value: string | string[] | null | undefined): { 'Sec-GPC'?: string };

/** A problem document. */
export type Problem = components['schemas']['Problem'];

/** A problem document Steward answered, as an exception with its stable `code`. */
export declare class StewardProblem extends Error {
  constructor(status: number, problem: unknown);
  readonly status: number;
  readonly code: string;
  readonly problem: Problem | undefined;
}

/** The data of an openapi-fetch result, or a `StewardProblem` thrown. */
export declare function unwrap<T>(result: { data?: T; error?: unknown; response: Response }): T;
