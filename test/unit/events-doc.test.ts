import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { providers } from '../../providers';
import { catalogueOf } from '../../src/events/catalogue';
import { eventsMarkdown, groupOf } from '../../src/events/docs';

const DOC = join(__dirname, '..', '..', 'docs', 'events.md');

describe('docs/events.md', () => {
  const catalogue = catalogueOf(providers);
  const written = eventsMarkdown(catalogue);

  it('is what the generator writes from the catalogue now', () => {
    const committed = readFileSync(DOC, 'utf8');
    if (committed !== written) {
      const a = committed.split('\n');
      const b = written.split('\n');
      const line = a.findIndex((text, i) => text !== b[i]);
      throw new Error(
        `docs/events.md is not what the catalogue gives now (first difference at line ${(line === -1 ? a.length : line) + 1}).\n` +
          'Run `npm run docs:events` and commit docs/events.md.',
      );
    }
  });

  it('has every type under its first word, with its description, emitter, record kind, schema and example', () => {
    const groups = [...written.matchAll(/^## (\S+)$/gm)].map((m) => m[1]);
    expect(groups).toEqual([...new Set(catalogue.entries.map((e) => groupOf(e.type)))].sort());
    for (const entry of catalogue.entries) {
      const start = written.indexOf(`### \`${entry.type}\`\n`);
      expect({ type: entry.type, found: start >= 0 }).toEqual({ type: entry.type, found: true });
      const section = written.slice(
        start,
        written.indexOf('\n### ', start + 1) === -1 ? undefined : written.indexOf('\n### ', start + 1),
      );
      const group = written.lastIndexOf('\n## ', start);
      expect(written.slice(group + 4, written.indexOf('\n', group + 1))).toBe(groupOf(entry.type));
      expect(section).toContain(`\n${entry.description}\n`);
      expect(section).toContain(entry.recordKind ? `- Record kind: \`${entry.recordKind}\`` : '- Record kind: none');
      const emitters =
        entry.providers.length === 0 ? 'Hookport itself' : entry.providers.map((p) => `\`${p}\``).join(', ');
      expect(section).toContain(`- Emitted by: ${emitters}\n`);
      const blocks = [...section.matchAll(/```json\n([\s\S]*?)\n```/g)].map((m) => JSON.parse(m[1]!) as unknown);
      expect(blocks).toEqual([entry.schema, entry.example]);
      expect(section).toMatch(/<details>\n<summary>JSON Schema[^<]*<\/summary>\n\n```json\n/);
    }
  });

  it('webhook.test and contact.suppressed are there', () => {
    expect(written).toContain('### `webhook.test`');
    expect(written).toContain('### `contact.suppressed`');
  });
});
