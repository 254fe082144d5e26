import type { Driver, ManagedTransaction, Session } from 'neo4j-driver';
import { withOverrides } from '../../../lib/with-overrides.js';

/**
 * The real driver, observed: every Cypher statement sent through it (sessions, managed
 * transactions, executeQuery) is appended to `statements`. Nothing is faked.
 */
export function observeStatements(driver: Driver): { driver: Driver; statements: string[] } {
  const statements: string[] = [];
  const observeTx = (tx: ManagedTransaction) =>
    withOverrides(tx, { run: (query: string, params?: Record<string, unknown>) => (statements.push(query), tx.run(query, params)) });
  const observeSession = (session: Session) =>
    withOverrides(session, {
      run: (query: string, params?: Record<string, unknown>) => (statements.push(query), session.run(query, params)),
      executeRead: <T>(work: (tx: ManagedTransaction) => Promise<T>, config?: object) => session.executeRead((tx) => work(observeTx(tx)), config),
      executeWrite: <T>(work: (tx: ManagedTransaction) => Promise<T>, config?: object) => session.executeWrite((tx) => work(observeTx(tx)), config),
    });
  const observed = withOverrides(driver, {
    session: (config?: Parameters<Driver['session']>[0]) => observeSession(driver.session(config)),
    executeQuery: (query: string, params?: Record<string, unknown>, config?: object) => (statements.push(query), driver.executeQuery(query, params, config)),
  });
  return { driver: observed, statements };
}
