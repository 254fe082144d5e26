import { createHash } from 'node:crypto';
import type { HostileWorld, Target } from './hostile-world.js';

/**
 * Hostile requests, each named after the finding of the security issue it probes (1 to 14).
 * Every request goes to the gateway or straight to one subgraph. `expect`, when given, is what a
 * correct system answers; every answer is also checked for 5xx, internal text and time.
 */
export interface HostileRequest {
  finding: number;
  name: string;
  target: Target;
  method?: string;
  path?: string;
  headers?: Record<string, string>;
  /** An object is sent as JSON; a string as it is. */
  body?: unknown;
  /** Sent over a raw socket as written (request line included): for what fetch would normalise. */
  raw?: string;
  /** What a correct system answers: this status, and one of these error codes. */
  expect?: { status?: number; code?: string | readonly string[] };
}

export const json = { 'content-type': 'application/json' };
/**
 * Who sends the requests that may pass: a clinician, but a patient to the search subgraph, whose
 * searches are never kept in the query log (a clinician's would be, by design, and the suite
 * checks that nothing in any store changes).
 */
export const readerToken = (world: HostileWorld, target: Target) => (target === 'search' ? world.tokens.patient : world.tokens.clinician);
export const bearer = (token: string) => ({ ...json, authorization: `Bearer ${token}` });
export const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

/** A field of each target that lists, recurses and takes strings: the shapes the families below build on. */
export const shapes: Record<Target, { leaf: string; list: (size: string) => string; nest: (depth: number) => string }> = {
  gateway: {
    leaf: '{ layerStats { layer } }',
    list: (size) => `{ searchEntities(text: "crohn", first: ${size}) { id relations(first: ${size}) { type } } }`,
    nest: (depth) => `{ medicalEntity(id: "x") { ${'relations { target { '.repeat(depth)}id${' } }'.repeat(depth)} } }`,
  },
  knowledge: {
    leaf: '{ layerStats { layer } }',
    list: (size) => `{ searchEntities(text: "crohn", first: ${size}) { id relations(first: ${size}) { type } } }`,
    nest: (depth) => `{ medicalEntity(id: "x") { ${'relations { target { '.repeat(depth)}id${' } }'.repeat(depth)} } }`,
  },
  operations: {
    leaf: '{ documents(first: 1) { totalCount } }',
    list: (size) => `{ documents(first: ${size}) { edges { node { id } } } feedbackDailyStats(days: ${size}) { total } }`,
    nest: (depth) => `{ session(id: "x") { ${'messages { edges { node { session { '.repeat(depth)}id${' } } } }'.repeat(depth)} } }`,
  },
  search: {
    leaf: '{ semanticSearch(text: "asthma", k: 1) { score } }',
    list: (size) => `{ semanticSearch(text: "asthma", k: ${size}) { score chunk { document { chunks(first: ${size}) { id } } } } }`,
    nest: (depth) => `{ semanticSearch(text: "asthma", k: 1) { ${'chunk { document { chunks { '.repeat(depth)}id${' } } }'.repeat(depth)} } }`,
  },
};

/** The entity type of each subgraph that the families below spread fragments on. */
export const fragmentType: Record<Target, { type: string; field: string; root: string }> = {
  gateway: { type: 'MedicalEntity', field: 'name', root: 'medicalEntity(id: "x")' },
  knowledge: { type: 'MedicalEntity', field: 'name', root: 'medicalEntity(id: "x")' },
  operations: { type: 'Session', field: 'title', root: 'session(id: "x")' },
  search: { type: 'SearchHit', field: 'score', root: 'semanticSearch(text: "asthma", k: 1)' },
};

