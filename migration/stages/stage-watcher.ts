import pg from 'pg';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../../subgraphs/operations/store/index.js';
import { readStoredStages, stageChannel, type Stages } from '../store/stage-store.js';
import { migrationDomains, type DomainStage, type MigrationDomain } from './stage-rules.js';

/** The stages as this process knows them: announced changes at once, and re-read every `pollMs` in case an announcement was missed. */
export interface StageWatcher {
  stage(domain: MigrationDomain): DomainStage;
  stages(): Stages;
  /** Re-reads the stages now (after this process changed one). */
  refresh(): Promise<void>;
  /** Called after the stages changed. */
  onChange(listener: (stages: Stages) => void): void;
  stop(): Promise<void>;
}

/** Identifies the stages of every domain (lib/stage-epoch): `<sum of versions>|<each domain's stage>`. */
export function stagesEpoch(stages: Stages): string {
  const rank = migrationDomains.reduce((sum, domain) => sum + stages[domain].version, 0);
  return `${rank}|${migrationDomains.map((domain) => `${domain}:${stages[domain].stage}:${stages[domain].rolloutPercent ?? '-'}`).join(',')}`;
}

export async function startStageWatcher(options: { db: Database; databaseUrl: string; initial: Stages; pollMs: number; logger: Logger }): Promise<StageWatcher> {
  let current = options.initial;
  let stopped = false;
  let listener: pg.Client | undefined;
  const listeners: ((stages: Stages) => void)[] = [];
  let failing = false;

  async function refresh(): Promise<void> {
    const stored = await options.db.transaction((tx) => readStoredStages(tx));
    const next = { ...current, ...stored } as Stages;
    if (stagesEpoch(next) === stagesEpoch(current)) return;
    current = next;
    options.logger.info({ stages: stagesEpoch(next) }, 'migration stages changed');
    for (const notify of listeners) notify(current);
  }

  const quietRefresh = () =>
    refresh().then(
      () => {
        if (failing) options.logger.info('migration stages readable again');
        failing = false;
      },
      (error: unknown) => {
        // the last stages known stay in force while PostgreSQL cannot be read
        if (!failing) options.logger.warn({ err: error }, 'migration stages unreadable; keeping the last known');
        failing = true;
      },
    );

  async function listen(): Promise<void> {
    if (stopped) return;
    const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'migration-stage-watcher' });
    client.on('error', () => undefined);
    client.on('notification', () => void quietRefresh());
    client.on('end', () => {
      if (listener === client) listener = undefined;
      if (!stopped) setTimeout(() => void listen().catch(() => undefined), options.pollMs).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${stageChannel}`);
      listener = client;
    } catch {
      await client.end().catch(() => undefined);
    }
  }

  await listen();
  const timer = setInterval(() => void quietRefresh(), options.pollMs);
  timer.unref();
  return {
    stage: (domain) => current[domain],
    stages: () => current,
    refresh,
    onChange: (listen) => listeners.push(listen),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      await listener?.end().catch(() => undefined);
    },
  };
}
