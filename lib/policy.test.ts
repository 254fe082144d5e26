import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { roles, type Role, type Viewer } from './auth.js';
import { actions, authorize, can, canScrapeMetrics, describePermissions, grantOf, mayKeepSearchText, typeVisibility, visibilityKey } from './policy.js';

const viewer = (role: Role, patientId?: string): Viewer => ({ sub: `${role}-1`, role, ...(patientId ? { patientId } : {}), claims: {} });

describe('the permission table', () => {
  it('is printed, one line per action and a column per role', () => {
    const table = describePermissions();
    console.log(`\n${table}\n`);
    expect(table.split('\n')).toHaveLength(actions.length + 1);
    for (const role of roles) expect(table.split('\n')[0]).toContain(role);
    expect(readFileSync(new URL('../docs/security.md', import.meta.url), 'utf8')).toContain(table);
  });

  it('says what the contract says: patients own, clinicians and services all, analysts no clinical data, admins everything', () => {
    for (const action of ['patient.read', 'conversation.read', 'conversation.write', 'feedback.submit'] as const) {
      expect([grantOf('patient', action), grantOf('clinician', action), grantOf('analyst', action), grantOf('service', action), grantOf('admin', action)]).toEqual(['own', 'all', 'none', 'all', 'all']);
    }
    for (const action of ['graph.read', 'document.read', 'search.read']) expect(roles.map((role) => grantOf(role, action as never))).toEqual(roles.map(() => 'all'));
    expect(grantOf('analyst', 'analytics.read')).toBe('all');
    expect(grantOf('analyst', 'preferencePairs.read')).toBe('none');
    expect(grantOf('analyst', 'passages.read')).toBe('none');
    for (const action of ['migration.read', 'migration.change'] as const) expect(roles.filter((role) => grantOf(role, action) !== 'none')).toEqual(['admin']);
  });

  it('names a permission for every type it guards, and only known actions', () => {
    for (const action of Object.values(typeVisibility)) expect(actions).toContain(action);
    expect(typeVisibility.Message).toBe('conversation.read');
    expect(typeVisibility.PreferencePair).toBe('preferencePairs.read');
  });
});

describe('can and authorize', () => {
  it('lets a patient act on its own records only', () => {
    const patient = viewer('patient', 'p-1');
    expect(can(patient, 'conversation.read', 'p-1')).toBe(true);
    expect(can(patient, 'conversation.read', 'p-2')).toBe(false);
    expect(can(patient, 'conversation.read')).toBe(true);
    expect(can(viewer('clinician'), 'conversation.read', 'p-2')).toBe(true);
    expect(can(viewer('analyst'), 'conversation.read', 'p-2')).toBe(false);
    expect(can(undefined, 'graph.read')).toBe(false);
  });

  it('answers FORBIDDEN naming the patient or the action, UNAUTHENTICATED without a caller', () => {
    const code = (run: () => unknown) => {
      try {
        run();
        return 'allowed';
      } catch (error) {
        return `${(error as { extensions: { code: string } }).extensions.code}: ${(error as Error).message}`;
      }
    };
    expect(code(() => authorize(viewer('patient', 'p-1'), 'conversation.read', 'p-2'))).toBe('FORBIDDEN: You may not access the data of patient p-2');
    expect(code(() => authorize(viewer('analyst'), 'conversation.read', 'p-2'))).toBe('FORBIDDEN: Role analyst may not do conversation.read');
    expect(code(() => authorize(undefined, 'graph.read'))).toMatch(/^UNAUTHENTICATED/);
    expect(code(() => authorize(viewer('admin'), 'migration.change'))).toBe('allowed');
  });
});

describe('what decides visibility, metrics and the query log', () => {
  it('keys visibility on role and patient id, never on the subject alone', () => {
    expect(visibilityKey(viewer('patient', 'p-1'))).not.toBe(visibilityKey(viewer('patient', 'p-2')));
    expect(visibilityKey({ ...viewer('patient', 'p-1'), sub: 'same' })).not.toBe(visibilityKey({ ...viewer('patient', 'p-2'), sub: 'same' }));
    expect(visibilityKey(viewer('clinician'))).not.toBe(visibilityKey(viewer('analyst')));
  });

  it('opens /metrics to the metrics token, or to loopback outside production when no token is set', () => {
    const token = 'a-metrics-token-of-at-least-32-characters';
    expect(canScrapeMetrics({ authorization: `Bearer ${token}`, remoteAddress: '10.0.0.9' }, { token, production: true })).toBe(true);
    expect(canScrapeMetrics({ authorization: 'Bearer wrong', remoteAddress: '127.0.0.1' }, { token, production: false })).toBe(false);
    expect(canScrapeMetrics({ authorization: undefined, remoteAddress: '127.0.0.1' }, { token: undefined, production: false })).toBe(true);
    expect(canScrapeMetrics({ authorization: undefined, remoteAddress: '127.0.0.1' }, { token: undefined, production: true })).toBe(false);
    expect(canScrapeMetrics({ authorization: undefined, remoteAddress: '10.0.0.9' }, { token: undefined, production: false })).toBe(false);
  });

  it('keeps no patient search text', () => {
    expect(mayKeepSearchText(viewer('patient', 'p-1'))).toBe(false);
    expect(mayKeepSearchText(viewer('clinician'))).toBe(true);
  });
});
