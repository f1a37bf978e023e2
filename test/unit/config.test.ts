import { ConfigError } from '../../src/config/config';
import { loadConfig } from '../helpers/config';
import { jobberSettings } from '../../providers/jobber/settings';
import { resendSettings } from '../../providers/resend/settings';
import { twilioSettings } from '../../providers/twilio/settings';
import { thrown } from './thrown';

const BASE = 'https://hooks.example.com';

/** Loads a bad environment and returns the ConfigError's message. */
const configError = (env: NodeJS.ProcessEnv) => thrown(ConfigError, () => loadConfig(env)).message;

describe('loadConfig defaults', () => {
  it('matches the contract with an empty environment', () => {
    expect(loadConfig({})).toMatchObject({
      port: 3000,
      host: '0.0.0.0',
      databaseUrl: undefined,
      dataDir: './data',
      publicBaseUrl: undefined,
      logLevel: 'info',
      maxBodyBytes: 1048576,
      providers: {
        twilio: { authTokens: [] },
        resend: { secrets: [] },
        jobber: { clientSecrets: [], clientId: undefined, apiUrl: 'https://api.getjobber.com/api/graphql' },
        thumbtack: { username: undefined, password: undefined },
      },
    });
  });

  it('treats blank values as unset', () => {
    expect(loadConfig({ PORT: '  ', PUBLIC_BASE_URL: '', TWILIO_AUTH_TOKEN: ' ' })).toMatchObject({
      port: 3000,
      publicBaseUrl: undefined,
      providers: { twilio: { authTokens: [] } },
    });
  });
});

describe('loadConfig refuses bad values, naming the variable and never the value', () => {
  it.each([
    ['PUBLIC_BASE_URL', 'hooks example com'],
    ['PUBLIC_BASE_URL', 'ftp://hooks.example.com'],
    ['PUBLIC_BASE_URL', `${BASE}/?token=zq81`],
    ['PUBLIC_BASE_URL', `${BASE}/#zq81`],
    ['DATABASE_URL', 'mysql://app:s3cretpw@db.internal/app'],
    ['RESEND_WEBHOOK_SECRET', 'whsec_!!not*base64!!'],
    ['RESEND_WEBHOOK_SECRET', 'MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw'],
    // Too short to be a key (anyone could sign with an empty one).
    ['RESEND_WEBHOOK_SECRET', 'whsec_'],
    ['RESEND_WEBHOOK_SECRET', 'whsec_dGVzdHNlY3JldA=='],
    ['THUMBTACK_WEBHOOK_USERNAME', 'hook:port'],
    ['PORT', 'eighty'],
    ['PORT', '70000'],
    ['MAX_BODY_BYTES', '0'],
    ['LOG_LEVEL', 'loudest'],
  ])('%s=%s', (name, value) => {
    const message = configError({ [name]: value });
    expect(message).toMatch(new RegExp(`\\b${name}\\b`));
    expect(message).not.toContain(value);
  });

  it('does not echo the other secrets of a list when one is bad', () => {
    const good = 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw';
    const message = configError({ RESEND_WEBHOOK_SECRET: `${good}, plain-secret-value` });
    expect(message).toMatch(/RESEND_WEBHOOK_SECRET: secret #2 must start with whsec_/);
    expect(message).not.toContain(good.slice(6));
    expect(message).not.toContain('plain-secret-value');
  });

  it('requires PUBLIC_BASE_URL when TWILIO_AUTH_TOKEN is set, without echoing the token', () => {
    const message = configError({ TWILIO_AUTH_TOKEN: 'tw1l10-t0ken' });
    expect(message).toMatch(/PUBLIC_BASE_URL: required when TWILIO_AUTH_TOKEN is set/);
    expect(message).not.toContain('tw1l10-t0ken');
  });
});

describe('loadConfig parsing', () => {
  it('splits and trims comma-separated secret lists, dropping blanks', () => {
    const config = loadConfig({
      PUBLIC_BASE_URL: BASE,
      TWILIO_AUTH_TOKEN: ' new-token , old-token ,, ',
      RESEND_WEBHOOK_SECRET: 'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw ,whsec_c2Vjb25kLXNpZ25pbmctc2VjcmV0LTI0Yg==',
      JOBBER_CLIENT_SECRET: 'a,b',
    });
    expect(twilioSettings.of(config).authTokens).toEqual(['new-token', 'old-token']);
    expect(resendSettings.of(config).secrets).toEqual([
      'whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw',
      'whsec_c2Vjb25kLXNpZ25pbmctc2VjcmV0LTI0Yg==',
    ]);
    expect(jobberSettings.of(config).clientSecrets).toEqual(['a', 'b']);
  });

  it.each([
    [`${BASE}/`, BASE],
    [`${BASE}//`, BASE],
    [`  ${BASE}/  `, BASE],
    [`${BASE}/hooks/`, `${BASE}/hooks`],
    ['http://127.0.0.1:8080/', 'http://127.0.0.1:8080'],
  ])('reads PUBLIC_BASE_URL %j as %j', (value, expected) => {
    expect(loadConfig({ PUBLIC_BASE_URL: value }).publicBaseUrl).toBe(expected);
  });

  it('reads numbers, booleans and the log level', () => {
    const config = loadConfig({ PORT: '8080', MAX_BODY_BYTES: '2048', LOG_LEVEL: 'debug', WORKER_ENABLED: 'false' });
    expect(config).toMatchObject({ port: 8080, maxBodyBytes: 2048, logLevel: 'debug', worker: { enabled: false } });
  });

  it('leases a claimed event for 15 seconds by default: a crashed instance holds its events no longer', () => {
    expect(loadConfig({}).worker.leaseSeconds).toBe(15);
  });

  it('accepts postgres:// and postgresql:// database URLs', () => {
    expect(loadConfig({ DATABASE_URL: 'postgres://u:p@localhost:5432/db' }).databaseUrl).toBe(
      'postgres://u:p@localhost:5432/db',
    );
    expect(loadConfig({ DATABASE_URL: 'postgresql://localhost/db' }).databaseUrl).toBe('postgresql://localhost/db');
  });
});

describe('ALLOW_EMBEDDED_DATABASE (the Docker image sets it to false)', () => {
  it('lets `npm start` run on the embedded database with nothing set', () => {
    expect(loadConfig({}).databaseUrl).toBeUndefined();
    expect(loadConfig({ ALLOW_EMBEDDED_DATABASE: 'true' }).databaseUrl).toBeUndefined();
  });

  it('when false, stops start-up without DATABASE_URL, saying what the embedded database does not survive and what to set', () => {
    const message = configError({ ALLOW_EMBEDDED_DATABASE: 'false' });
    expect(message).toMatch(/\bDATABASE_URL: required because ALLOW_EMBEDDED_DATABASE=false/);
    expect(message).toMatch(/set ALLOW_EMBEDDED_DATABASE=true to accept the embedded database/);
    expect(message).toMatch(/not a power loss or an OS crash/);
    expect(loadConfig({ ALLOW_EMBEDDED_DATABASE: 'false', DATABASE_URL: 'postgres://db/hookport' }).databaseUrl).toBe(
      'postgres://db/hookport',
    );
  });

  it('refuses a value that is not a boolean, naming the variable', () => {
    expect(configError({ ALLOW_EMBEDDED_DATABASE: 'maybe' })).toMatch(/\bALLOW_EMBEDDED_DATABASE\b/);
  });
});

describe('HEALTH_CACHE_MS', () => {
  it('defaults to 5 seconds; 0 turns the reuse off', () => {
    expect(loadConfig({}).healthCacheMs).toBe(5000);
    expect(loadConfig({ HEALTH_CACHE_MS: '0' }).healthCacheMs).toBe(0);
    expect(configError({ HEALTH_CACHE_MS: 'soon' })).toMatch(/\bHEALTH_CACHE_MS\b/);
  });
});

describe('JOBBER_RECONCILE_INTERVAL', () => {
  const interval = (value?: string) =>
    jobberSettings.of(loadConfig(value === undefined ? {} : { JOBBER_RECONCILE_INTERVAL: value })).reconcileIntervalMs;

  it('defaults to 6 hours; 0 turns reconciliation off; takes a duration', () => {
    expect(interval()).toBe(6 * 3_600_000);
    expect(interval('')).toBe(6 * 3_600_000);
    expect(interval('0')).toBe(0);
    expect(interval('30m')).toBe(1_800_000);
    expect(interval('1d')).toBe(86_400_000);
  });

  it('stops start-up on a value that is not a duration, or less than a second, naming the variable', () => {
    for (const bad of ['soon', '6', '500ms', '-1h']) {
      expect(configError({ JOBBER_RECONCILE_INTERVAL: bad })).toMatch(/\bJOBBER_RECONCILE_INTERVAL\b/);
    }
  });
});
