// Maps what the browser reports (a URL and a line of the served page, a failing request's URL) back to
// where the author wrote it: the entry, a sub-composition's own file, a stylesheet or a script.
import fs from 'node:fs';
import path from 'node:path';
import { mapCompiledLine } from '../compile/emit';
import { LineIndex } from '../compile/sourceText';
import type { Composition, Range, SourceLocation } from '../model';
import { isInside } from '../project';
import type { CompiledLineMapping } from '../compile/types';

// src/href-like attributes (also matches `el.src = "…"` in scripts), CSS url() and @import "…".
const ATTRIBUTE_REFERENCE = /\b(?:src|href|poster|data-composition-src)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'=<>`]+))/dgi;
const CSS_URL_REFERENCE = /url\(\s*(?:"([^"]*)"|'([^']*)'|([^)"'\s]*))\s*\)/dgi;
const CSS_IMPORT_REFERENCE = /@import\s+(?:"([^"]*)"|'([^']*)')/dgi;
const SCANNED_EXTENSIONS = new Set(['.html', '.htm', '.css', '.js', '.mjs']);

export class SourceLocator {
  private readonly texts = new Map<string, { text: string; index: LineIndex } | undefined>();
  readonly origin: string;

  constructor(
    private readonly composition: Composition,
    private readonly entryUrl: string,
    private readonly lineMap: readonly CompiledLineMapping[] | undefined,
    private readonly readOverlay: ((file: string) => string | undefined) | undefined,
  ) {
    this.origin = new URL(entryUrl).origin;
  }

  /** The root element's opening tag: where page-wide problems go. */
  rootLocation(): SourceLocation {
    const range = this.composition.rootTagRange ?? { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    return { file: this.composition.entryFile, range };
  }

  /** A served URL + 0-based line (+ column) → the source file and line, or undefined outside the project. */
  locateServed(url: string, line: number, column?: number): SourceLocation | undefined {
    const bare = url.replace(/[?#].*$/, '');
    if (bare === this.entryUrl) {
      // Compile copies lines one for one, so a column of the served line is the same column in its source.
      const source = (this.lineMap && mapCompiledLine(this.lineMap, line)) ?? { file: this.composition.entryFile, line };
      return { file: source.file, range: this.lineRange(source.file, source.line, column) };
    }
    const file = this.fileOfUrl(bare);
    return file ? { file, range: this.lineRange(file, line, column) } : undefined;
  }

  /** Every place in the composition's files whose src/href/url() value resolves to `url`. */
  referencesTo(url: string): SourceLocation[] {
    const target = stripHash(url);
    const found: SourceLocation[] = [];
    for (const file of this.scannedFiles()) {
      const source = this.source(file);
      if (!source) continue;
      const bases = path.extname(file).toLowerCase() === '.css' ? [this.urlOfFile(file)] : [this.entryUrl, this.urlOfFile(file)];
      for (const pattern of [ATTRIBUTE_REFERENCE, CSS_URL_REFERENCE, CSS_IMPORT_REFERENCE]) {
        for (const match of source.text.matchAll(pattern)) {
          const group = [1, 2, 3].find(g => match[g] !== undefined);
          const span = group === undefined ? undefined : match.indices?.[group];
          if (!span || group === undefined) continue;
          const value = match[group].trim();
          if (!value || !bases.some(base => resolvesTo(value, base, target))) continue;
          found.push({ file, range: source.index.range(span[0], span[1]) });
        }
      }
    }
    return found;
  }

  /** The trimmed text of a line, from `column` when given: a page error's squiggle. */
  lineRange(file: string, line: number, column?: number): Range {
    const source = this.source(file);
    const lineText = source ? lineAt(source, line) : '';
    const indent = lineText.length - lineText.trimStart().length;
    const start = column !== undefined && column < lineText.trimEnd().length ? column : indent;
    return { start: { line, character: start }, end: { line, character: Math.max(start, lineText.trimEnd().length) } };
  }

  private scannedFiles(): string[] {
    const files = new Set([this.composition.entryFile, ...this.composition.dependencies]);
    for (const sub of this.composition.subCompositions) if (sub.file) files.add(sub.file);
    return [...files].filter(file => SCANNED_EXTENSIONS.has(path.extname(file).toLowerCase()));
  }

  private source(file: string): { text: string; index: LineIndex } | undefined {
    if (!this.texts.has(file)) {
      let text = this.readOverlay?.(file);
      if (text === undefined) {
        try {
          text = fs.readFileSync(file, 'utf8');
        } catch {
          text = undefined;
        }
      }
      this.texts.set(file, text === undefined ? undefined : { text, index: new LineIndex(text) });
    }
    return this.texts.get(file);
  }

  private urlOfFile(file: string): string {
    const relative = path.relative(this.composition.projectRoot, file).split(path.sep).map(encodeURIComponent).join('/');
    return `${this.origin}/${relative}`;
  }

  private fileOfUrl(url: string): string | undefined {
    if (!url.startsWith(this.origin + '/')) return undefined;
    let decoded: string;
    try {
      decoded = decodeURIComponent(new URL(url).pathname);
    } catch {
      return undefined;
    }
    const file = path.resolve(this.composition.projectRoot, '.' + decoded);
    return isInside(this.composition.projectRoot, file) ? file : undefined;
  }
}

function stripHash(url: string): string {
  return url.replace(/#.*$/, '');
}

function resolvesTo(value: string, base: string, target: string): boolean {
  try {
    return stripHash(new URL(value, base).href) === target;
  } catch {
    return false;
  }
}

function lineAt(source: { text: string; index: LineIndex }, line: number): string {
  if (line < 0 || line >= source.index.lineCount) return '';
  const start = source.index.offsetAt({ line, character: 0 });
  const end = line + 1 < source.index.lineCount ? source.index.offsetAt({ line: line + 1, character: 0 }) : source.text.length;
  return source.text.slice(start, end).replace(/\r?\n$|\r$/, '');
}
