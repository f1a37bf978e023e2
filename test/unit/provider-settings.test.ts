import { providers } from '../../providers';
import { ConfigError } from '../../src/config/config';
import { optionalText, secretList } from '../../src/config/env';
import { loadConfig } from '../../src/contract/load-config';
import { checkRegistry, type Provider } from '../../src/contract/provider';
import { defineSettings } from '../../src/contract/settings';
import { providerTestEnv } from '../helpers/test-secrets';
import { thrown } from './thrown';

/**
 * A provider that exists only here declares its own variables, checks and example values: the
 * configuration loader and the harness's environment take them from the registry, with no edit in
 * src/ or test/helpers/ (issue 8).
 */
const acmeSettings = defineSettings('acme', {
  env: {
    ACME_SECRET: secretList,
    ACME_REGION: optionalText.refine((v) => v === undefined || /^[a-z]{2}$/.test(v), 'must be two letters'),
  },
  exampleEnv: { ACME_SECRET: 'acme-example-secret-0123456789' },
  check: (env, core) =>
    env.ACME_SECRET.length > 0 && !core.publicBaseUrl
      ? { variable: 'PUBLIC_BASE_URL', message: 'required when ACME_SECRET is set' }
      : undefined,
  build: (env) => ({ secrets: env.ACME_SECRET, region: env.ACME_REGION ?? 'us' }),
  secrets: (s) => s.secrets,
});

// Only its name and settings matter to the loader; the rest is borrowed.
const acme: Provider<unknown> = {
  ...providers.resend,
  name: 'acme',
  settings: acmeSettings,
  requiredEnv: 'ACME_SECRET',
};
const registry = { ...providers, acme };
const BASE = 'https://hooks.example.com';

const configError = (env: NodeJS.ProcessEnv) => thrown(ConfigError, () => loadConfig(env, registry)).message;

describe('a provider declares its own settings', () => {
  it('is read back typed, with its defaults, beside every other provider', () => {
    const config = loadConfig({ PUBLIC_BASE_URL: BASE, ACME_SECRET: ' one , two ' }, registry);
    const settings: { secrets: string[]; region: string } = acmeSettings.of(config);
    expect(settings).toEqual({ secrets: ['one', 'two'], region: 'us' });
    expect(config.providers.resend).toEqual({ secrets: [] });
  });

  it('a bad value stops start-up naming its variable, never the value', () => {
    const message = configError({ ACME_REGION: 'mars-1' });
    expect(message).toMatch(/\bACME_REGION: must be two letters/);
    expect(message).not.toContain('mars-1');
  });

  it('its cross-variable check runs with the core settings', () => {
    const message = configError({ ACME_SECRET: 'acme-secret-value' });
    expect(message).toMatch(/PUBLIC_BASE_URL: required when ACME_SECRET is set/);
    expect(message).not.toContain('acme-secret-value');
  });

  it('its secrets are among the configured secrets that error text is scrubbed of', () => {
    expect(loadConfig({ PUBLIC_BASE_URL: BASE, ACME_SECRET: 'acme-secret-value' }, registry).secrets).toContain(
      'acme-secret-value',
    );
  });

  it('is absent from a configuration loaded without it: reading it is a wiring mistake', () => {
    expect(() => acmeSettings.of(loadConfig({}, providers))).toThrow(/without the acme provider's settings/);
  });

  it('its example values configure it in the test harness', () => {
    const env = providerTestEnv(registry);
    expect(env.ACME_SECRET).toBe('acme-example-secret-0123456789');
    expect(acmeSettings.of(loadConfig(env, registry)).secrets).toEqual(['acme-example-secret-0123456789']);
  });
});

describe('the registry', () => {
  it('lists every provider under its own name, a URL path segment', () => {
    expect(checkRegistry(providers).map((p) => p.name)).toEqual(Object.keys(providers));
  });

  it.each([
    ['listed under another name', { other: acme }],
    ['a name that is not a path segment', { 'ac/me': { ...acme, name: 'ac/me' } }],
    ['an upper-case name', { Acme: { ...acme, name: 'Acme' } }],
    ['settings declared for another provider', { acme: { ...acme, settings: providers.resend.settings } }],
  ])('refuses %s', (_case, bad) => {
    expect(() => checkRegistry(bad)).toThrow(/provider registry/);
    expect(() => loadConfig({}, bad)).toThrow(/provider registry/);
  });
});
