// Types of the Steward guard for Express: the decision request and the decision are the
// generated types of Steward's openapi.json (@steward/client).
import type { RequestHandler, Request } from 'express';
import type { StewardClient, components } from '@steward/client';

/** A decision request (`docs/decisions.md`). */
export type DecisionRequest = components['schemas']['DecisionRequest'];
/** A decision with its ids. */
export type Decision = components['schemas']['DecisionAnswer'];

/** What a guarded route runs under (`req.steward`). */
export interface StewardPermit {
  /** The decision in force (an allow). */
  decision: Decision;
  /** The categories dropped from the answer. */
  dropped: string[];
  /** Whether `category` may be used or go out. */
  allows(category: string): boolean;
}

declare global {
  namespace Express {
    interface Request {
      /** Set by `stewardGuard` on the routes it decided for. */
      steward?: StewardPermit;
    }
  }
}

/** How the guard asks. */
export interface GuardOptions {
  /** A client of Steward (`createStewardClient`). */
  client: StewardClient;
  /** The decision to ask before `req` is handled, or `null` when it touches no personal data. */
  ask(req: Request): DecisionRequest | null | undefined | Promise<DecisionRequest | null | undefined>;
}

/** The header naming the decision an answer went out under. */
export declare const DECISION_HEADER: 'Steward-Decision';

/** The guard middleware. */
export declare function stewardGuard(options: GuardOptions): RequestHandler;

/** Drops every object member named after one of `categories`, at any depth. */
export declare function dropCategories(value: unknown, categories: Set<string>): unknown;
