/**
 * The stores `npm test` runs against: a stack of its own, with its own data folder and ports, so
 * tests never write into the demo's databases and run while `npm start` is serving. It overrides
 * the ports and folder only; a store given by URL (DATABASE_URL, NEO4J_URI, REDIS_URL, QDRANT_URL)
 * is still used as given.
 */
export const testStackEnvironment = {
  STACK_DIR: '.stack-test',
  POSTGRES_PORT: '15432',
  NEO4J_BOLT_PORT: '17687',
  REDIS_PORT: '16379',
  QDRANT_PORT: '16333',
  GATEWAY_PORT: '14000',
  KNOWLEDGE_PORT: '14001',
  OPERATIONS_PORT: '14002',
  SEARCH_PORT: '14003',
} as const;

/** Points this process (and every process it starts) at the test stack. */
export function useTestStack(): void {
  Object.assign(process.env, testStackEnvironment);
}
