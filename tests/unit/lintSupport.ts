// Shared by the lint rule tests: a throwaway project on disk, a root composition page around a body, the
// diagnostics of a compile, each shown as "file code severity line:char «covered text»", and a quick fix
// applied to the file the way the editor applies it.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { compile } from '../../server/engine/compile/index';
import type { EngineDiagnostic } from '../../server/engine/model';
import { codeActionsFor } from '../../server/lsp/features/codeActions';
import { toLspDiagnostic } from '../../server/lsp/convert';

const projects: string[] = [];
after(() => {
  for (const dir of projects) fs.rmSync(dir, { recursive: true, force: true });
});

/** An empty temporary folder, removed after the file's tests. */
export function scratch(prefix = 'hf-lint-'): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  projects.push(dir);
  return dir;
}

export function project(files: Record<string, string>): string {
  const dir = scratch();
  for (const [name, text] of Object.entries({ 'hyperframes.json': '{}', ...files })) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

export const REGISTER_MAIN = 'const tl = gsap.timeline({ paused: true });\nwindow.__timelines = window.__timelines || {};\nwindow.__timelines["main"] = tl;';

/** A root composition around `body` (line 3 is the root, the body starts on line 4, 1-based), registering its timeline unless `script` says otherwise. */
export function page(body: string, { script = REGISTER_MAIN, style = '', rootAttrs = '', head = '' } = {}): string {
  return `<!doctype html>
<html><head>${head}<style>${style}</style></head><body>
<div id="root" data-composition-id="main" data-width="640" data-height="360" data-duration="4"${rootAttrs}>
${body}
</div>
<script>
${script}
</script>
</body></html>
`;
}

export async function lint(dir: string, entry = 'index.html', options: { asSubComposition?: boolean; lintRules?: Record<string, 'off' | 'info' | 'warning' | 'error'> } = {}): Promise<EngineDiagnostic[]> {
  const { diagnostics } = await compile({ entryFile: path.join(dir, entry), probeMedia: false, asSubComposition: options.asSubComposition, lintRules: options.lintRules });
  return diagnostics;
}

/** "file code severity line:char «covered text»" (0-based line) for the diagnostics with one of `codes`. */
export function at(dir: string, diagnostics: readonly EngineDiagnostic[], ...codes: string[]): string[] {
  return diagnostics.filter(d => codes.includes(d.code)).map(d => {
    const doc = TextDocument.create('file:///x', 'html', 0, fs.readFileSync(d.file, 'utf8'));
    return `${path.relative(dir, d.file)} ${d.code} ${d.severity} ${d.range.start.line}:${d.range.start.character} «${doc.getText(d.range)}»`;
  });
}

/** Applies the quick fix titled `title` (or the first) for the diagnostic with `code`, writes the file, returns its new text. */
export async function applyFix(dir: string, code: string, title?: RegExp, entry = 'index.html'): Promise<string> {
  const compiled = await compile({ entryFile: path.join(dir, entry), probeMedia: false });
  const diagnostic = compiled.diagnostics.find(d => d.code === code);
  assert.ok(diagnostic, `no ${code} to fix`);
  const text = fs.readFileSync(diagnostic.file, 'utf8');
  const document = TextDocument.create(`file://${diagnostic.file}`, 'html', 1, text);
  const actions = codeActionsFor({ document, file: diagnostic.file, composition: compiled.composition }, [toLspDiagnostic(diagnostic)]);
  const action = actions.find(a => !title || title.test(a.title));
  assert.ok(action?.edit?.changes, `no quick fix for ${code} (offered: ${actions.map(a => a.title).join(', ')})`);
  const edited = TextDocument.applyEdits(document, action.edit.changes[document.uri]);
  fs.writeFileSync(diagnostic.file, edited);
  return edited;
}

export async function codesAfter(dir: string, entry = 'index.html'): Promise<string[]> {
  return (await lint(dir, entry)).map(d => d.code);
}
