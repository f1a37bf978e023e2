import { readFileSync } from 'node:fs';
import path from 'node:path';

function readVersion(): string {
  for (let dir = __dirname; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    try {
      const pkg = JSON.parse(readFileSync(path.join(dir, 'package.json'), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'hookport' && pkg.version) return pkg.version;
    } catch {
      // keep looking upwards
    }
  }
  return 'unknown';
}

export const version = readVersion();
