/** The four stores the stack can run; each one is a `Store` built by its own module. */
export type StoreName = 'postgres' | 'redis' | 'neo4j' | 'qdrant';

/** How a store's process is started; the orchestrator spawns it detached and owns its pid file. */
export interface LaunchPlan {
  command: string;
  args: readonly string[];
  /** Extra environment for the process (merged over the orchestrator's own). */
  env?: Readonly<Record<string, string>>;
  cwd?: string;
  /** Run the process as this system user (used when root starts PostgreSQL). */
  user?: string;
}

export interface Store {
  name: StoreName;
  /** The URL clients use, without secrets, for messages. */
  displayUrl: string;
  /** True when the URL came from the environment: never started or stopped, only checked. */
  external: boolean;
  /** When a store cannot run here, the main job may go on without it (tests never do). */
  optional: boolean;
  /** The signal that shuts the store down cleanly; SIGTERM unless set. */
  stopSignal?: NodeJS.Signals;
  /** Answers a real request (not only an open port). Never throws. */
  isReady(): Promise<boolean>;
  /**
   * Everything needed before the process can start (install, build, init data dir),
   * then the command that runs the store in the foreground. Throws StackError with a
   * message naming what is missing when the store cannot start on this machine.
   */
  prepare(): Promise<LaunchPlan>;
  /** Runs once after the first successful readiness check of a process this stack started. */
  afterStart?(): Promise<void>;
}

/** A failure the user can act on; the CLI prints its message without a stack trace. */
export class StackError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StackError';
  }
}
