import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';

const script = path.join(__dirname, '../../.ci/audit');

/** Runs .ci/audit with an `npm` on PATH that answers `npm audit` as told (the registry is the fake). */
function runAudit(answer: { json: string; status: number; stderr?: string }) {
  const dir = mkdtempSync(path.join(tmpdir(), 'hookport-fake-npm-'));
  try {
    writeFileSync(path.join(dir, 'answer.json'), answer.json);
    writeFileSync(
      path.join(dir, 'npm'),
      `#!/usr/bin/env bash\necho "$*" >> "${dir}/calls"\ncat "${dir}/answer.json"\necho ${JSON.stringify(answer.stderr ?? '')} >&2\nexit ${answer.status}\n`,
    );
    chmodSync(path.join(dir, 'npm'), 0o755);
    const r = spawnSync('bash', [script], {
      encoding: 'utf8',
      env: { ...process.env, PATH: `${dir}:${path.dirname(process.execPath)}:/usr/bin:/bin` },
    });
    return { status: r.status, out: r.stdout + r.stderr };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

const report = (high: number, critical: number, moderate = 0) =>
  JSON.stringify({
    auditReportVersion: 2,
    vulnerabilities: {},
    metadata: { vulnerabilities: { info: 0, low: 0, moderate, high, critical, total: moderate + high + critical } },
  });

describe('.ci/audit: npm audit of the runtime dependencies', () => {
  it('says plainly that the advisory service cannot be reached, and passes', () => {
    const r = runAudit({
      json: JSON.stringify({
        message: '405 Method Not Allowed - POST https://registry.example/-/npm/v1/security/advisories/bulk',
        statusCode: 405,
      }),
      status: 1,
      stderr: 'npm error audit endpoint returned an error',
    });
    expect(r.status).toBe(0);
    expect(r.out).toContain('ci: npm audit could not reach the advisory service: 405 Method Not Allowed');
  });

  it('passes on a network error with no JSON at all, naming what npm said', () => {
    const r = runAudit({ json: '', status: 1, stderr: 'npm error code ENOTFOUND' });
    expect(r.status).toBe(0);
    expect(r.out).toContain('ci: npm audit could not reach the advisory service: npm error code ENOTFOUND');
  });

  it('fails on a high or critical advisory', () => {
    const high = runAudit({ json: report(1, 0), status: 1 });
    expect(high.status).toBe(1);
    expect(high.out).toContain('ci: npm audit found advisories of high or critical severity');
    expect(runAudit({ json: report(0, 2), status: 1 }).status).toBe(1);
  });

  it('passes on a clean report or one with only lower severities', () => {
    const clean = runAudit({ json: report(0, 0), status: 0 });
    expect(clean.status).toBe(0);
    expect(clean.out).toContain('ci: npm audit: no high or critical advisory in the runtime dependencies');
    expect(runAudit({ json: report(0, 0, 3), status: 0 }).status).toBe(0);
  });
});
