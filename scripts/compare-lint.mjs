#!/usr/bin/env node
// Compares the reference CLI's `hyperframes lint --json --verbose` with our `check --json --no-probe` over
// compositions, and prints, per reference code, how many of its findings we report at the same file and
// line (or on the element it names, or — for findings with neither — anywhere in the same file), which we
// miss, and how many of ours under its codes sit in files where it reports nothing of that code.
//
//   node scripts/compare-lint.mjs DIR [DIR…] [--json]
//
// Each DIR is a composition folder (it holds index.html) or a folder of them. Needs `npm run build` first
// (dist/cli.js) and the reference CLI (../shared/tools/peer-cli.sh installs it once, offline afterwards).
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const peerCli = path.resolve(repo, '../shared/tools/peer-cli.sh');
const args = process.argv.slice(2);
const asJson = args.includes('--json');
const roots = args.filter(arg => !arg.startsWith('--'));
if (roots.length === 0) {
  process.stderr.write('usage: node scripts/compare-lint.mjs DIR [DIR…] [--json]\n');
  process.exit(2);
}

function compositionFolders(dir) {
  const abs = path.resolve(dir);
  if (fs.existsSync(path.join(abs, 'index.html'))) return [abs];
  return fs.readdirSync(abs, { withFileTypes: true })
    .filter(entry => entry.isDirectory() && fs.existsSync(path.join(abs, entry.name, 'index.html')))
    .map(entry => path.join(abs, entry.name)).sort();
}

function run(command, argv, cwd) {
  try {
    return execFileSync(command, argv, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    return error.stdout ?? '';
  }
}

/** 1-based line of the start tag holding id="…" in `file`. */
function elementLine(file, id) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return undefined;
  }
  const escaped = id.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const match = new RegExp(`\\bid\\s*=\\s*["']?${escaped}["'\\s>]`).exec(text);
  return match ? text.slice(0, match.index).split('\n').length : undefined;
}

/**
 * How many lines after `line` still count as "the same place": the reference puts an element's finding on
 * its "<" and ours sits on the attribute (which may be lines further in a long start tag); it puts a
 * script-wide finding (requestAnimationFrame, Math.random) on the script, ours is on the call inside it.
 */
function extentAfter(file, line) {
  let text;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch {
    return 0;
  }
  const lines = text.split('\n');
  const before = lines.slice(0, line).join('\n');
  const open = before.lastIndexOf('<script');
  if (open >= 0 && before.indexOf('</script', open) < 0) {
    const close = text.indexOf('</script', open);
    return Math.max(0, text.slice(0, close < 0 ? text.length : close).split('\n').length - line);
  }
  const lineStart = before.length - (lines[line - 1] ?? '').length;
  const tagStart = text.indexOf('<', lineStart);
  if (tagStart < 0) return 0;
  let quote;
  for (let i = tagStart; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === quote) quote = undefined;
    } else if (ch === '"' || ch === "'") quote = ch;
    else if (ch === '>') return text.slice(tagStart, i).split('\n').length - 1;
  }
  return 0;
}

const perCode = new Map();
const rowOf = (code, severity) => {
  const row = perCode.get(code) ?? { code, severity, total: 0, matched: 0, missed: [], extra: 0 };
  perCode.set(code, row);
  return row;
};
for (const folder of roots.flatMap(compositionFolders)) {
  const reference = JSON.parse(run(peerCli, ['lint', '--json', '--verbose', '.'], folder) || '{"findings":[]}');
  const ours = JSON.parse(run(process.execPath, [path.join(repo, 'dist/cli.js'), 'check', '--json', '--no-probe', path.join(folder, 'index.html')], repo) || '[]');
  // Ours under a reference code (snake_case) in a file where the reference reports nothing of that code: findings it does not have.
  for (const diagnostic of ours) {
    if (!/^[a-z0-9]+(?:_[a-z0-9]+)+$/.test(diagnostic.code)) continue;
    const same = (reference.findings ?? []).some(f => f.code === diagnostic.code && (!f.file || path.resolve(folder, f.file) === diagnostic.file));
    if (!same) rowOf(diagnostic.code, diagnostic.severity).extra++;
  }
  for (const finding of reference.findings ?? []) {
    const row = rowOf(finding.code, finding.severity);
    row.total++;
    const file = finding.file ? path.resolve(folder, finding.file) : undefined;
    const candidates = ours.filter(d => d.code === finding.code && (!file || d.file === file));
    let line = finding.line;
    if (line === undefined && finding.elementId && file) line = elementLine(file, finding.elementId);
    const last = line === undefined ? undefined : line + extentAfter(file, line);
    // A finding about a selector is at the same place when ours names the same selector (ours sits on the
    // CSS declaration to change, the reference's line on the tween that conflicts with it).
    const sameSelector = finding.selector !== undefined && candidates.some(d => d.message.includes(`"${finding.selector}"`));
    const hit = sameSelector || (line === undefined ? candidates.length > 0 : candidates.some(d => d.line >= line && d.line <= last));
    if (hit) row.matched++;
    else row.missed.push(`${path.relative(process.cwd(), file ?? folder)}${line ? `:${line}` : ''}${finding.selector ? ` ${finding.selector}` : ''}`);
  }
}

const rows = [...perCode.values()].sort((a, b) => b.total - a.total || a.code.localeCompare(b.code));
if (asJson) {
  process.stdout.write(`${JSON.stringify(rows, null, 2)}\n`);
} else {
  const total = rows.reduce((sum, row) => sum + row.total, 0);
  const matched = rows.reduce((sum, row) => sum + row.matched, 0);
  const extra = rows.reduce((sum, row) => sum + row.extra, 0);
  process.stdout.write('| reference code | severity | findings | ours at the same place | missed | ours in files where the reference has none |\n|---|---|---|---|---|---|\n');
  for (const row of rows) {
    process.stdout.write(`| ${row.code} | ${row.severity} | ${row.total} | ${row.matched} | ${row.missed.slice(0, 3).join('; ')}${row.missed.length > 3 ? ` (+${row.missed.length - 3})` : ''} | ${row.extra} |\n`);
  }
  process.stdout.write(`| **all** | | ${total} | ${matched} | ${total - matched} | ${extra} |\n`);
}
