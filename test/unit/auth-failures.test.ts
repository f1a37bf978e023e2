import type { Request } from 'express';
import { AuthFailures } from '../../src/http/auth-failures';
import { createLogger } from '../../src/log/logger';

const from = (ip: string) => ({ ip, socket: {} }) as unknown as Request;

describe('operator credential failure limits', () => {
  let now = 1_000_000;
  const counted: string[] = [];
  const failures = new AuthFailures({
    logger: createLogger('error', true),
    counted: (surface) => counted.push(surface),
    limits: { perAddress: 3, overall: 5, windowMs: 60_000 },
    now: () => now,
  });

  it('refuses an address past its limit until the window ends, right or wrong, then lets it try again', () => {
    for (let i = 0; i < 3; i++) {
      expect(failures.refusal(from('203.0.113.1'))).toBeUndefined();
      failures.failed(from('203.0.113.1'), 'admin_api');
    }
    const refused = failures.refusal(from('203.0.113.1'));
    expect(refused).toMatchObject({ status: 429, code: 'too_many_requests', retryAfterSeconds: 60 });
    expect(failures.refusal(from('203.0.113.2'))).toBeUndefined();
    now += 45_000;
    expect(failures.refusal(from('203.0.113.1'))?.retryAfterSeconds).toBe(15);
    now += 15_000;
    expect(failures.refusal(from('203.0.113.1'))).toBeUndefined();
    expect(counted).toEqual(['admin_api', 'admin_api', 'admin_api']);
  });

  it('refuses everyone past the overall limit, however the guesses are spread', () => {
    now += 60_000;
    for (let i = 0; i < 5; i++) failures.failed(from(`198.51.100.${i}`), 'console');
    expect(failures.refusal(from('192.0.2.77'))).toMatchObject({ status: 429 });
    now += 60_000;
    expect(failures.refusal(from('192.0.2.77'))).toBeUndefined();
  });
});
