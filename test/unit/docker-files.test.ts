import { readFileSync } from 'node:fs';
import path from 'node:path';

const root = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');
/** Lines that are instructions, not comments. */
const code = (text: string) => text.split('\n').filter((l) => !/^\s*#/.test(l));
const DIGEST = /@sha256:[0-9a-f]{64}$/;

describe('the Docker image', () => {
  const dockerfile = code(read('Dockerfile'));
  const from = dockerfile.filter((l) => l.startsWith('FROM '));

  it('pins every base image by digest', () => {
    expect(from.length).toBeGreaterThanOrEqual(2);
    for (const line of from) expect(line.split(' ')[1]).toMatch(DIGEST);
  });

  it('runs as a fixed non-root uid, and the application files are not its own', () => {
    const users = dockerfile.filter((l) => l.startsWith('USER '));
    expect(users).toEqual(['USER 1000:1000']);
    const runtime = dockerfile.slice(dockerfile.lastIndexOf(from.at(-1)!));
    for (const copy of runtime.filter((l) => l.startsWith('COPY '))) expect(copy).not.toContain('--chown');
    // Only the data directory is handed to the runtime user.
    expect(runtime.filter((l) => l.includes('chown'))).toEqual([
      'RUN mkdir -p /data && chown 1000:1000 /data && chmod 0700 /data',
    ]);
  });
});

describe('docker compose', () => {
  const compose = code(read('docker-compose.yml'));
  const images = compose.filter((l) => /^\s+image: /.test(l) && !l.includes('image: hookport'));

  it('pins every image it pulls by digest', () => {
    expect(images.length).toBeGreaterThanOrEqual(2);
    for (const line of images) expect(line.trim()).toMatch(DIGEST);
  });

  it('publishes Hookport on 127.0.0.1 only, with the TLS proxy as an opt-in profile', () => {
    const text = compose.join('\n');
    expect(text).toContain("- '127.0.0.1:${HOOKPORT_PORT:-3000}:3000'");
    expect(text).not.toMatch(/- '\$\{HOOKPORT_PORT:-3000\}:3000'/);
    expect(text).toMatch(/caddy:\n\s+profiles: \[tls\]/);
    expect(text).toContain('./deploy/Caddyfile:/etc/caddy/Caddyfile:ro');
    expect(read('deploy/Caddyfile')).toContain('reverse_proxy hookport:3000');
  });
});
