// The project stands alone: no tracked file outside tests/ points at notes kept
// beside the repository (../shared, DOMAIN.md), at papers by the numbers of a
// private reading list ("seed 003", "Article II") or at issue numbers. Papers
// are cited by the short names of docs/bibliography.md, conventions live in
// docs/conventions.md. tests/ may still read test data from outside.
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const REPO = fileURLToPath(new URL('../..', import.meta.url));

const OUTSIDE_REFERENCES: { what: string; pattern: RegExp }[] = [
  { what: 'path outside the repository', pattern: /\.\.\/shared\b|\/work\/shared\b/g },
  { what: 'outside notes (use docs/conventions.md)', pattern: /\bDOMAIN\.md\b/g },
  { what: 'reading-list number (cite docs/bibliography.md)', pattern: /\bseeds? 00\d\b/gi },
  { what: 'article number (cite docs/bibliography.md)', pattern: /\bArticles? I{1,3}\b/g },
  { what: 'issue number (say what it is)', pattern: /\bissues? #?\d+/gi },
  { what: 'the reading list as "the seeds" (name the paper)', pattern: /\bthe seeds\b/gi },
];

export interface OutsideReference {
  line: number;
  text: string;
  what: string;
}

/** Every outside reference in a text, with its 1-based line. */
export function findOutsideReferences(text: string): OutsideReference[] {
  const found: OutsideReference[] = [];
  const lines = text.split('\n');
  lines.forEach((line, i) => {
    for (const { what, pattern } of OUTSIDE_REFERENCES) {
      for (const m of line.matchAll(pattern)) found.push({ line: i + 1, text: m[0], what });
    }
  });
  return found;
}

/** Short names defined in docs/bibliography.md: `### [Key]` headings and `**[Key]**` entries. */
export function bibliographyKeys(markdown: string): Set<string> {
  return new Set([...markdown.matchAll(/^### \[(\w+)\]|\*\*\[(\w+)\]\*\*/gm)].map((m) => m[1] ?? m[2]));
}

/** Citations in the bibliography's style: [AuthorYYYY], [AuthorThesisYYYY], [ZhengSong]. */
function citedKeys(text: string): string[] {
  return [...text.matchAll(/\[((?:Sardhara|Wijaya|Zheng|Li|Shkurmanov|Yamanaka|Hunger|Milletari)\w*?(?:\d{4}|Song))\]/g)].map((m) => m[1]);
}

const BINARY = /\.(onnx|pt|npz|png|jpe?g|gif|ico|icns|tiff?|zip|gz|woff2?|ttf|sqlite|fibrecon|bin|raw)$/i;

function trackedTextFiles(): string[] {
  const files = execFileSync('git', ['ls-files', '-z'], { cwd: REPO, encoding: 'utf8', maxBuffer: 64 << 20 }).split('\0').filter(Boolean);
  return files.filter((f) => !f.startsWith('tests/') && !BINARY.test(f) && existsSync(join(REPO, f)) && statSync(join(REPO, f)).isFile());
}

function readText(file: string): string | undefined {
  const bytes = readFileSync(join(REPO, file));
  if (bytes.subarray(0, 8000).includes(0)) return undefined;
  return bytes.toString('utf8');
}

describe('findOutsideReferences', () => {
  it('finds every kind of outside reference, with its line', () => {
    const bad = [
      'Axes as in ../shared/DOMAIN.md and /work/shared/seeds/README.md.',
      'The network of seed 001 (Seeds 003, ch. 2.2).',
      'Repositioning (Article II 2.2.2; Article I Table 6; Article III).',
      'Benchmark (issue 4), see issue #7 and Issues 12.',
      "As the seeds report; The seeds' preset.",
    ].join('\n');
    const found = findOutsideReferences(bad);
    expect(found.map((f) => f.text)).toEqual([
      '../shared', '/work/shared', 'DOMAIN.md',
      'seed 001', 'Seeds 003',
      'Article II', 'Article I', 'Article III',
      'issue 4', 'issue #7', 'Issues 12',
      'the seeds', 'The seeds',
    ]);
    expect(found.map((f) => f.line)).toEqual([1, 1, 1, 2, 2, 3, 3, 3, 4, 4, 4, 5, 5]);
  });

  it('leaves citations, conventions links, random seeds and numbers alone', () => {
    const good = [
      'Repositioning ([Sardhara2023] 2.2.2; docs/conventions.md).',
      "ap.add_argument('--train-seeds', default='1-8'); per seed 100 / 101; seeds 1-5; the random seeds",
      'lr 0.001, variance 0.002, 1,000,000 IFDs; src-shared/volume.ts; the issue tracker',
      'Articles of association; ARTICLE; Article IV',
    ].join('\n');
    expect(findOutsideReferences(good)).toEqual([]);
  });
});

describe('the repository stands alone', () => {
  const files = trackedTextFiles();

  it('no tracked file outside tests/ points outside the repository, at the reading list or at issue numbers', () => {
    expect(files.length).toBeGreaterThan(100);
    const problems: string[] = [];
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      for (const r of findOutsideReferences(text)) problems.push(`${file}:${r.line}: "${r.text}" (${r.what})`);
    }
    expect(problems).toEqual([]);
  });

  it('every short name cited is defined in docs/bibliography.md', () => {
    const keys = bibliographyKeys(readFileSync(join(REPO, 'docs/bibliography.md'), 'utf8'));
    expect([...keys]).toEqual(expect.arrayContaining(['SardharaThesis2024', 'Sardhara2022', 'Sardhara2023', 'Sardhara2024', 'Wijaya2024', 'ZhengSong']));
    const undefinedKeys: string[] = [];
    for (const file of files) {
      const text = readText(file);
      if (text === undefined) continue;
      for (const key of citedKeys(text)) if (!keys.has(key)) undefinedKeys.push(`${file}: [${key}]`);
    }
    expect(undefinedKeys).toEqual([]);
  });

  it('docs/conventions.md states the axes, units, labels and thickness convention', () => {
    const text = readFileSync(join(REPO, 'docs/conventions.md'), 'utf8');
    for (const fact of ['(z, y, x)', 'nm', '1 = solid', '0 = pore', '0 = not annotated', '1 = pore', '2 = solid', 'z_0 = 0, z_{i+1} = z_i + thickness[i]']) {
      expect(text).toContain(fact);
    }
  });
});
