import type { Role } from '../../../lib/auth.js';
import type { Executor } from './db.js';
import { auditLogs } from './schema/index.js';

/** Who changed something: from the verified JWT claims. */
export interface Actor {
  sub: string;
  role: Role;
}

export interface AuditEntry {
  action: string;
  entityType: string;
  entityId: string;
  oldValue?: unknown;
  newValue?: unknown;
}

/** Call inside the transaction of the change it records, so both commit or neither. */
export async function writeAudit(tx: Executor, actor: Actor, entry: AuditEntry): Promise<void> {
  await tx.insert(auditLogs).values({
    actor: actor.sub,
    actorRole: actor.role,
    action: entry.action,
    entityType: entry.entityType,
    entityId: entry.entityId,
    oldValue: entry.oldValue ?? null,
    newValue: entry.newValue ?? null,
  });
}

/**
 * Work done inside the transaction of a change, after it: the dual-write layer records the
 * change for the other store there (the row written and its audit entry).
 */
export type WithinChange<Row> = (tx: Executor, row: Row, audit: AuditEntry) => Promise<void>;
