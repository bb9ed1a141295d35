// The language-server tests' fixtures (projects copied from tests/fixtures/lsp) and assertion helpers. The
// client that starts the server and speaks LSP to it: tests/support/lspClient.ts.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-protocol';
import { REPO_ROOT } from '../support/lspClient';

const FIXTURES = path.join(REPO_ROOT, 'tests/fixtures/lsp');
const GSAP = path.join(REPO_ROOT, 'node_modules/gsap/dist/gsap.min.js');

/** Copies a fixture project into a fresh temp folder (with GSAP in vendor/) and returns its path. */
export function copyFixture(name: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `hf-lsp-${name}-`));
  fs.cpSync(path.join(FIXTURES, name), dir, { recursive: true });
  fs.mkdirSync(path.join(dir, 'vendor'), { recursive: true });
  fs.copyFileSync(GSAP, path.join(dir, 'vendor/gsap.min.js'));
  return dir;
}

/** A `fixture(name)` that copies fixtures into temp folders, all removed after the test file's suites. */
export function fixtureCopies(): (name: string) => string {
  const folders: string[] = [];
  after(() => { for (const dir of folders) fs.rmSync(dir, { recursive: true, force: true }); });
  return name => {
    const dir = copyFixture(name);
    folders.push(dir);
    return dir;
  };
}

/** Only the fields the tests assert exactly: range, severity, code, source. */
export function shape(diagnostics: Diagnostic[]): { code: unknown; severity: unknown; range: string; source: unknown }[] {
  return diagnostics
    .map(d => ({ code: d.code, severity: d.severity, source: d.source,
      range: `${d.range.start.line}:${d.range.start.character}-${d.range.end.line}:${d.range.end.character}` }))
    .sort((a, b) => a.range.localeCompare(b.range) || String(a.code).localeCompare(String(b.code)));
}

export function codes(diagnostics: Diagnostic[]): string[] {
  return diagnostics.map(d => String(d.code)).sort();
}

/** The exact range of the `occurrence`-th appearance of `needle` in `text` (0-based lines/characters). */
export function rangeOf(text: string, needle: string, occurrence = 0): { start: { line: number; character: number }; end: { line: number; character: number } } {
  let offset = -1;
  for (let i = 0; i <= occurrence; i++) {
    offset = text.indexOf(needle, offset + 1);
    if (offset === -1) throw new Error(`"${needle}" (#${occurrence}) is not in the text`);
  }
  const at = (o: number) => {
    const before = text.slice(0, o);
    const line = before.split('\n').length - 1;
    return { line, character: o - (before.lastIndexOf('\n') + 1) };
  };
  return { start: at(offset), end: at(offset + needle.length) };
}

/** A diagnostic's message as text (LSP 3.18 allows markup). */
export function messageOf(diagnostic: Diagnostic): string {
  return typeof diagnostic.message === 'string' ? diagnostic.message : diagnostic.message.value;
}
