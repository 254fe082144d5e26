import pg from 'pg';
import type { Logger } from '../../lib/logger.js';
import type { Database } from '../../subgraphs/operations/store/index.js';
import { parseStageAnnouncement, readStoredStages, stageChannel, type Stages } from '../store/stage-store.js';
import { migrationDomains, type DomainStage, type MigrationDomain } from './stage-rules.js';

/** The stages as this process knows them: announced changes at once; re-read every `pollMs` while it cannot listen for announcements, and now and then anyway. */
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

const safetyReadEveryTicks = 20;

export async function startStageWatcher(options: { db: Database; databaseUrl: string; initial: Stages; pollMs: number; logger: Logger }): Promise<StageWatcher> {
  let current = options.initial;
  let stopped = false;
  let listener: pg.Client | undefined;
  const listeners: ((stages: Stages) => void)[] = [];
  let failing = false;

  // one read at a time (reads must not pile up on a slow database and take the pool); a read
  // asked for while one runs makes it read once more, so it sees what was committed meanwhile
  let reading: Promise<void> | undefined;
  let again = false;
  function refresh(): Promise<void> {
    if (reading) {
      again = true;
      return reading;
    }
    reading = (async () => {
      do {
        again = false;
        await readAndApply();
      } while (again && !stopped);
    })().finally(() => (reading = undefined));
    return reading;
  }
  async function readAndApply(): Promise<void> {
    const stored = await readStoredStages(options.db);
    // a read that started before an announcement must not undo it
    const newer = Object.fromEntries(Object.entries(stored).filter(([domain, stage]) => stage.version >= current[domain as MigrationDomain].version));
    apply({ ...current, ...newer } as Stages);
  }
  function apply(next: Stages): void {
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
    const client = new pg.Client({ connectionString: options.databaseUrl, application_name: 'migration-stage-watcher', keepAlive: true });
    client.on('error', () => undefined);
    client.on('notification', (message) => {
      const announced = parseStageAnnouncement(message.payload);
      // the announced stage applies at once, without a read through a pool busy with requests
      if (announced && announced.version > current[announced.domain].version) apply({ ...current, [announced.domain]: announced });
      else if (!announced) void quietRefresh();
    });
    client.on('end', () => {
      if (listener === client) listener = undefined;
      if (!stopped) setTimeout(() => void listen().catch(() => undefined), options.pollMs).unref();
    });
    try {
      await client.connect();
      await client.query(`LISTEN ${stageChannel}`);
      listener = client;
      // what changed while nobody listened
      void quietRefresh();
    } catch {
      await client.end().catch(() => undefined);
    }
  }

  await listen();
  // announcements reach a connected listener: every tick without one, and a slow safety read
  // with one (a connection can die silently)
  let ticks = 0;
  const timer = setInterval(() => {
    ticks += 1;
    if (!listener || ticks % safetyReadEveryTicks === 0) void quietRefresh();
  }, options.pollMs);
  timer.unref();
  return {
    stage: (domain) => current[domain],
    stages: () => current,
    refresh,
    onChange: (listen) => listeners.push(listen),
    stop: async () => {
      stopped = true;
      clearInterval(timer);
      // the listening connection is not the pool's: closing it is not waited for
      void listener?.end().catch(() => undefined);
      await reading?.catch(() => undefined);
    },
  };
}
