import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { PRODUCTION_NODE_FLAGS } from '../../bench/production-flags';

const root = path.join(__dirname, '../..');
const read = (file: string) => readFileSync(path.join(root, file), 'utf8');

describe('the node flags Hookport runs with', () => {
  it('npm start passes them', () => {
    const start = (JSON.parse(read('package.json')) as { scripts: Record<string, string> }).scripts.start!;
    expect(start).toContain(`node ${PRODUCTION_NODE_FLAGS.join(' ')} dist/src/server.js`);
  });

  it('the Docker image passes them', () => {
    const args = ['node', ...PRODUCTION_NODE_FLAGS, 'dist/src/server.js'].map((a) => `"${a}"`).join(', ');
    expect(read('Dockerfile')).toContain(`CMD [${args}]`);
  });

  it('this node knows them, and starts with them', () => {
    const options = execFileSync(process.execPath, ['--v8-options'], { encoding: 'utf8' });
    for (const flag of PRODUCTION_NODE_FLAGS) expect(options).toContain(flag.split('=')[0]);
    expect(execFileSync(process.execPath, [...PRODUCTION_NODE_FLAGS, '-p', '1+1'], { encoding: 'utf8' }).trim()).toBe(
      '2',
    );
  });
});
