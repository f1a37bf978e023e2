import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';

/**
 * Every relative link in the repository's Markdown resolves: `[text](path)`, `[text](path#anchor)`,
 * `[text](#anchor)`, images and reference definitions alike. The file must exist, and an anchor into
 * a Markdown file must match one of its headings (GitHub's slugs) or an explicit `<a id>`/`<a name>`.
 * Absolute URLs are not fetched; links inside fenced code blocks, inline code and HTML comments are
 * not links.
 */

const ROOT = path.join(__dirname, '..', '..');

/** README.md, CONTRIBUTING.md, CHANGELOG.md (every Markdown file at the root) and everything under docs/. */
function markdownFiles(): string[] {
  const rootFiles = readdirSync(ROOT).filter((name) => name.endsWith('.md'));
  const walk = (dir: string): string[] =>
    readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((entry) => {
      const rel = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) return walk(rel);
      return entry.name.endsWith('.md') ? [rel] : [];
    });
  return [...rootFiles, ...walk('docs')].sort();
}

/** Removes inline code spans (a run of n backticks up to the next run of exactly n). */
function withoutInlineCode(line: string): string {
  let out = '';
  let i = 0;
  while (i < line.length) {
    if (line[i] !== '`') {
      out += line[i++];
      continue;
    }
    let n = 0;
    while (line[i + n] === '`') n++;
    const fence = '`'.repeat(n);
    let close = line.indexOf(fence, i + n);
    // The closing run must be exactly n backticks long.
    while (close !== -1 && line[close + n] === '`') {
      let end = close;
      while (line[end] === '`') end++;
      close = line.indexOf(fence, end);
    }
    if (close === -1) {
      out += fence; // no closing run: the backticks are literal
      i += n;
    } else {
      i = close + n;
    }
  }
  return out;
}

/**
 * Follows fenced code blocks line by line: true for a fence or a line inside one. A fence closes on
 * the same character, at least as long, with nothing after it; `mayOpen` false (inside an HTML
 * comment) keeps a fence from opening.
 */
function fenceTracker(): (raw: string, mayOpen?: boolean) => boolean {
  let fence: { char: string; length: number } | null = null;
  return (raw, mayOpen = true) => {
    const m = /^\s*(`{3,}|~{3,})(.*)$/.exec(raw);
    if (fence) {
      if (m && m[1]![0] === fence.char && m[1]!.length >= fence.length && m[2]!.trim() === '') fence = null;
      return true;
    }
    if (m && mayOpen) {
      fence = { char: m[1]![0]!, length: m[1]!.length };
      return true;
    }
    return false;
  };
}

/**
 * The lines that are prose (not in a fenced code block or an HTML comment), inline code removed, with their numbers.
 */
function proseLines(text: string): { line: number; text: string }[] {
  const out: { line: number; text: string }[] = [];
  const inCode = fenceTracker();
  let inComment = false;
  text.split('\n').forEach((raw, index) => {
    if (inCode(raw, !inComment)) return;
    let line = raw;
    let kept = '';
    while (line.length > 0) {
      if (inComment) {
        const end = line.indexOf('-->');
        if (end === -1) {
          line = '';
        } else {
          inComment = false;
          line = line.slice(end + 3);
        }
      } else {
        const start = line.indexOf('<!--');
        if (start === -1) {
          kept += line;
          line = '';
        } else {
          kept += line.slice(0, start);
          inComment = true;
          line = line.slice(start + 4);
        }
      }
    }
    out.push({ line: index + 1, text: withoutInlineCode(kept) });
  });
  return out;
}

/** GitHub's heading slug: the heading's text, lower-cased, punctuation but `-` and `_` removed, spaces to `-`. */
function githubSlug(heading: string): string {
  const text = heading
    .replace(/!\[([^\]]*)\]\([^)]*\)/g, '$1') // images: their alt text
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // links: their text
    .replace(/<[^>]+>/g, '') // HTML tags
    .replace(/`/g, '') // code spans keep their text
    .replace(/\*/g, ''); // emphasis markers
  return text
    .trim()
    .toLowerCase()
    .replace(/[^\p{L}\p{M}\p{N}\p{Pc} -]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor a Markdown file offers: its headings' slugs (duplicates numbered -1, -2, …) and explicit ids. */
function anchorsOf(text: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  const inCode = fenceTracker();
  for (const raw of text.split('\n')) {
    if (inCode(raw)) continue;
    const heading = /^ {0,3}#{1,6}\s+(.*?)(?:\s+#+)?\s*$/.exec(raw);
    if (heading) {
      const slug = githubSlug(heading[1]!);
      const count = seen.get(slug) ?? 0;
      seen.set(slug, count + 1);
      anchors.add(count === 0 ? slug : `${slug}-${count}`);
    }
    for (const m of raw.matchAll(/<a\s+(?:[^>]*\s)?(?:id|name)\s*=\s*["']([^"']+)["']/gi)) anchors.add(m[1]!);
  }
  return anchors;
}

interface Link {
  line: number;
  target: string;
}

/** `[text](target)`, `![alt](target "title")`, `[text](<target>)`; the text may hold one level of brackets. */
const INLINE_LINK = /!?\[(?:[^[\]]|\[[^\]]*\])*\]\(\s*(<[^>]*>|[^\s)]*)(?:\s+(?:"[^"]*"|'[^']*'))?\s*\)/g;
/** `[ref]: target` at the start of a line. */
const DEFINITION = /^ {0,3}\[[^\]]+\]:\s*(<[^>]*>|\S+)/;

/** Inline links and images, and reference definitions. */
function linksOf(text: string): Link[] {
  const links: Link[] = [];
  for (const { line, text: prose } of proseLines(text)) {
    for (const m of prose.matchAll(INLINE_LINK)) {
      links.push({ line, target: m[1]!.replace(/^<(.*)>$/, '$1') });
    }
    const definition = DEFINITION.exec(prose);
    if (definition) links.push({ line, target: definition[1]!.replace(/^<(.*)>$/, '$1') });
  }
  return links;
}

const ABSOLUTE = /^(https?:|mailto:)/i;

/** What is wrong with a link from `file` (relative to the root), or null when it resolves. */
function problemWith(file: string, target: string, anchorsIn: (file: string) => Set<string>): string | null {
  if (ABSOLUTE.test(target)) return null;
  const hash = target.indexOf('#');
  const rawPath = hash === -1 ? target : target.slice(0, hash);
  const anchor = hash === -1 ? undefined : decodeURIComponent(target.slice(hash + 1));
  const pathPart = decodeURIComponent(rawPath);
  if (pathPart.startsWith('/')) return 'an absolute path: link relative to this file';
  const resolved = pathPart === '' ? file : path.posix.normalize(path.posix.join(path.posix.dirname(file), pathPart));
  if (resolved.startsWith('..')) return 'points outside the repository';
  const absolute = path.join(ROOT, resolved);
  if (!existsSync(absolute)) return `no such file: ${resolved}`;
  if (anchor === undefined || anchor === '') return null;
  if (statSync(absolute).isDirectory()) return `an anchor on a directory: ${resolved}`;
  if (!resolved.endsWith('.md')) return null; // line anchors and the like in other files are not checked
  return anchorsIn(resolved).has(anchor) ? null : `no heading or <a id> "${anchor}" in ${resolved}`;
}

describe('githubSlug', () => {
  it.each([
    ['Import and reconciliation', 'import-and-reconciliation'],
    ["Receiving Hookport's events", 'receiving-hookports-events'],
    ['HMAC-SHA256 (`hmac-sha256`, `hmac-sha256-hex`)', 'hmac-sha256-hmac-sha256-hmac-sha256-hex'],
    ['`client.created`', 'clientcreated'],
    ['CLI: the `hookport` command', 'cli-the-hookport-command'],
    ['A [linked](other.md) heading', 'a-linked-heading'],
    ['snake_case and dash-case', 'snake_case-and-dash-case'],
    ['Two  spaces', 'two--spaces'],
  ])('%s → %s', (heading, slug) => {
    expect(githubSlug(heading)).toBe(slug);
  });
});

describe('anchorsOf', () => {
  it('numbers duplicate headings, reads explicit ids, and skips headings in code', () => {
    const anchors = anchorsOf(
      [
        '# Setup',
        '## Setup',
        '### Setup',
        '<a id="type-x"></a>',
        '<a name="old"></a>',
        '```',
        '# Not a heading',
        '```',
      ].join('\n'),
    );
    expect([...anchors].sort()).toEqual(['old', 'setup', 'setup-1', 'setup-2', 'type-x']);
  });
});

describe('linksOf', () => {
  it('finds inline links, images and definitions, but not links in code or comments', () => {
    const text = [
      'See [a](a.md) and ![shot](img.png "title") and [b](b.md#part).',
      'Code: `[not](code.md)` and ``[nor](this.md)``; [c](#here).',
      '<!-- [hidden](comment.md) -->',
      '```',
      '[fenced](fenced.md)',
      '```',
      '[ref]: ref.md',
      'A [nested [bracket]](nested.md) link.',
    ].join('\n');
    expect(linksOf(text)).toEqual([
      { line: 1, target: 'a.md' },
      { line: 1, target: 'img.png' },
      { line: 1, target: 'b.md#part' },
      { line: 2, target: '#here' },
      { line: 7, target: 'ref.md' },
      { line: 8, target: 'nested.md' },
    ]);
  });
});

describe('documentation links', () => {
  const files = markdownFiles();
  const texts = new Map(files.map((file) => [file, readFileSync(path.join(ROOT, file), 'utf8')]));
  const anchorCache = new Map<string, Set<string>>();
  const anchorsIn = (file: string): Set<string> => {
    let anchors = anchorCache.get(file);
    if (!anchors) {
      anchors = anchorsOf(texts.get(file) ?? readFileSync(path.join(ROOT, file), 'utf8'));
      anchorCache.set(file, anchors);
    }
    return anchors;
  };

  it('covers the root pages and every page under docs/', () => {
    expect(files).toEqual(expect.arrayContaining(['README.md', 'CONTRIBUTING.md', 'CHANGELOG.md', 'docs/events.md']));
  });

  it('every relative link and anchor resolves', () => {
    const broken: string[] = [];
    for (const file of files) {
      for (const { line, target } of linksOf(texts.get(file)!)) {
        const problem = problemWith(file, target, anchorsIn);
        if (problem) broken.push(`${file}:${line}: (${target}) ${problem}`);
      }
    }
    if (broken.length > 0) throw new Error(`${broken.length} broken link(s):\n${broken.join('\n')}`);
  });
});
