import fc from 'fast-check';
import { signSourceRequest, type StoredVerification } from '../../providers/sources/verification';
import { registerSecret } from '../helpers/log-capture';
import { anyInput, strangerFor } from '../helpers/source-verifications';
import { suiteHarness } from '../helpers/suite';

const ADMIN_TOKEN = 'sources-property-admin-token-8d2f5b1e9c4a7036';
const auth = { Authorization: `Bearer ${ADMIN_TOKEN}` };

/** The secrets an input gives, newest first (a generated one comes from the answer). */
const secretsOf = (input: Record<string, unknown>): string[] => {
  const given = input.secret ?? input.password ?? input.token;
  return given === undefined ? [] : Array.isArray(given) ? given : [given as string];
};

// One database is enough here: the ingest and admin paths are the same on both, and the suite's
// per-kind tests (sources.test.ts, sources-admin.test.ts) cover each database.
describe('any verification, through the admin API and the webhook route', () => {
  const h = suiteHarness('pglite', { ADMIN_TOKEN });
  let n = 0;

  it('is stored as given, shown without its secrets, and verifies what its signer produces', async () => {
    await fc.assert(
      fc.asyncProperty(anyInput, fc.string({ maxLength: 100 }), async (input, body) => {
        const name = `p-${++n}`;
        const created = await h.http().post('/admin/api/sources').set(auth).send({ name, verification: input });
        expect(created.status).toBe(201);
        const secrets = created.body.secret ? [created.body.secret as string] : secretsOf(input);
        // Only a generated secret is watched for in the logs: the arbitrary ones are short random text
        // ("aaaaaaaa") that ordinary log lines may contain; sources.test.ts watches real-looking ones.
        if (created.body.secret) registerSecret('source', created.body.secret as string);
        const shown = await h.http().get(`/admin/api/sources/${name}`).set(auth);
        expect(shown.body.secretCount).toBe(secrets.length);
        // Not one secret anywhere in what is shown.
        // (A secret of a few characters, ",", is in any JSON: only real-sized ones can be looked for.)
        for (const secret of secrets.filter((s) => s.length >= 8))
          expect(JSON.stringify(shown.body)).not.toContain(JSON.stringify(secret).slice(1, -1));
        const verification = shown.body.verification as StoredVerification;
        for (const secret of secrets) {
          const headers = signSourceRequest(verification, secret, body);
          const res = await h.http().post(`/webhooks/sources/${name}`).set(headers).send(body);
          expect({ status: res.status, kind: verification.type }).toEqual({ status: 200, kind: verification.type });
        }
        const other = strangerFor(verification);
        if (!secrets.includes(other)) {
          const forged = signSourceRequest(verification, other, body);
          expect((await h.http().post(`/webhooks/sources/${name}`).set(forged).send(body)).status).toBe(401);
        }
      }),
      { numRuns: 40 },
    );
  });
});
