import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { roles, signDevToken, type Role } from '../lib/auth.js';
import { loadConfig } from '../lib/config.js';

/**
 * `npm run token -- --role analyst [--patient patient:demo] [--sub name] [--expires 12h]`: a
 * development JWT (HS256, JWT_SECRET), with a subject of its own unless `--sub` names one.
 */
const { values } = parseArgs({
  options: {
    role: { type: 'string', default: 'clinician' },
    patient: { type: 'string' },
    sub: { type: 'string' },
    expires: { type: 'string', default: '12h' },
  },
});
if (!roles.includes(values.role as Role)) {
  console.error(`--role must be one of ${roles.join(', ')}, got ${values.role}`);
  process.exit(2);
}
const role = values.role as Role;
if (role === 'patient' && !values.patient) {
  console.error('--patient is required for role patient (e.g. --patient patient:demo)');
  process.exit(2);
}
const token = await signDevToken(
  loadConfig().auth,
  // every token its own subject unless one is asked for: the response cache keeps PRIVATE answers per subject
  { sub: values.sub ?? `dev-${role}-${randomUUID().slice(0, 8)}`, role, ...(role === 'patient' ? { patientId: values.patient } : {}) },
  values.expires,
);
console.log(token);
