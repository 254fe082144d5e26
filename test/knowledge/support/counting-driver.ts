import type { Driver, ManagedTransaction, Session } from 'neo4j-driver';

/** Forwards every property to `target`, binding methods, except the overrides. */
function forward<T extends object>(target: T, overrides: Record<string, unknown>): T {
  return new Proxy(target, {
    get(object, property) {
      if (typeof property === 'string' && property in overrides) return overrides[property];
      const value = Reflect.get(object, property, object) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(object) : value;
    },
  });
}

/**
 * The real driver, observed: every Cypher statement sent through it (sessions, managed
 * transactions, executeQuery) is appended to `statements`. Nothing is faked.
 */
export function observeStatements(driver: Driver): { driver: Driver; statements: string[] } {
  const statements: string[] = [];
  const observeTx = (tx: ManagedTransaction) =>
    forward(tx, { run: (query: string, params?: Record<string, unknown>) => (statements.push(query), tx.run(query, params)) });
  const observeSession = (session: Session) =>
    forward(session, {
      run: (query: string, params?: Record<string, unknown>) => (statements.push(query), session.run(query, params)),
      executeRead: <T>(work: (tx: ManagedTransaction) => Promise<T>, config?: object) => session.executeRead((tx) => work(observeTx(tx)), config),
      executeWrite: <T>(work: (tx: ManagedTransaction) => Promise<T>, config?: object) => session.executeWrite((tx) => work(observeTx(tx)), config),
    });
  const observed = forward(driver, {
    session: (config?: Parameters<Driver['session']>[0]) => observeSession(driver.session(config)),
    executeQuery: (query: string, params?: Record<string, unknown>, config?: object) => (statements.push(query), driver.executeQuery(query, params, config)),
  });
  return { driver: observed, statements };
}
