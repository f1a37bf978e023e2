import { ConfigError } from '../../src/config/config';
import { loadConfig } from '../helpers/config';
import { thrown } from './thrown';

const configError = (env: NodeJS.ProcessEnv) => thrown(ConfigError, () => loadConfig(env)).message;

describe('HTTP server timeouts', () => {
  it('default to 10 s for the headers, 30 s for the request and 5 s for an idle kept-alive connection', () => {
    expect(loadConfig({}).http).toEqual({
      headersTimeoutMs: 10_000,
      requestTimeoutMs: 30_000,
      keepAliveTimeoutMs: 5_000,
    });
  });

  it('are read from HTTP_HEADERS_TIMEOUT_MS, HTTP_REQUEST_TIMEOUT_MS and HTTP_KEEP_ALIVE_TIMEOUT_MS', () => {
    const env = {
      HTTP_HEADERS_TIMEOUT_MS: '2000',
      HTTP_REQUEST_TIMEOUT_MS: '2000',
      HTTP_KEEP_ALIVE_TIMEOUT_MS: '65000',
    };
    expect(loadConfig(env).http).toEqual({
      headersTimeoutMs: 2000,
      requestTimeoutMs: 2000,
      keepAliveTimeoutMs: 65_000,
    });
  });

  it.each(['HTTP_HEADERS_TIMEOUT_MS', 'HTTP_REQUEST_TIMEOUT_MS', 'HTTP_KEEP_ALIVE_TIMEOUT_MS'])(
    '%s must be a positive whole number, and the error names it',
    (name) => {
      for (const bad of ['0', '-5', '1.5', 'soon']) expect(configError({ [name]: bad })).toContain(`${name}:`);
    },
  );

  it('refuses a headers timeout longer than the request timeout, naming both', () => {
    const message = configError({ HTTP_HEADERS_TIMEOUT_MS: '40000', HTTP_REQUEST_TIMEOUT_MS: '30000' });
    expect(message).toContain('HTTP_HEADERS_TIMEOUT_MS:');
    expect(message).toContain('HTTP_REQUEST_TIMEOUT_MS');
  });

  it('bounds webhook bodies held before verification at 64 MiB by default, and never below MAX_BODY_BYTES', () => {
    expect(loadConfig({}).ingestMaxBufferedBytes).toBe(64 * 1024 * 1024);
    const message = configError({ MAX_BODY_BYTES: '2000000', INGEST_MAX_BUFFERED_BYTES: '1000000' });
    expect(message).toContain('INGEST_MAX_BUFFERED_BYTES:');
    expect(message).toContain('MAX_BODY_BYTES');
  });
});
