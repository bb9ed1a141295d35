// Collects the compile stage's diagnostics. Every one is placed on the exact text that causes it: an
// attribute's value, else (for a missing attribute) the element's tag name.
import type { DiagnosticCode, EngineDiagnostic, Range, Severity } from '../model';
import type { SourceAttribute, SourceElement, SourceFile } from './parseHtml';

export class DiagnosticSink {
  readonly diagnostics: EngineDiagnostic[] = [];

  add(file: string, range: Range, severity: Severity, code: DiagnosticCode, message: string, data?: Record<string, unknown>): void {
    const diagnostic: EngineDiagnostic = { file, range, severity, code, message };
    if (data) diagnostic.data = data;
    this.diagnostics.push(diagnostic);
  }

  atOffsets(file: SourceFile, start: number, end: number, severity: Severity, code: DiagnosticCode, message: string, data?: Record<string, unknown>): void {
    this.add(file.path, file.lines.range(start, end), severity, code, message, data);
  }

  atValue(file: SourceFile, attr: SourceAttribute, severity: Severity, code: DiagnosticCode, message: string, data?: Record<string, unknown>): void {
    this.atOffsets(file, attr.valueStart, attr.valueEnd, severity, code, message, data);
  }

  atTagName(file: SourceFile, element: SourceElement, severity: Severity, code: DiagnosticCode, message: string, data?: Record<string, unknown>): void {
    this.atOffsets(file, element.tagNameStart, element.tagNameEnd, severity, code, message, data);
  }
}

/** Levenshtein distance; ids are short, so the plain two-row table is plenty. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min(previous[j] + 1, current[j - 1] + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length];
}

/** The candidate closest to `word` when it is plausibly a typo of it (within half the word's length). */
export function nearestName(word: string, candidates: Iterable<string>): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (distance < bestDistance) {
      best = candidate;
      bestDistance = distance;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.ceil(word.length / 2)) ? best : undefined;
}

export function didYouMean(suggestion: string | undefined): string {
  return suggestion === undefined ? '' : ` Did you mean "${suggestion}"?`;
}

const PARSE_ERROR_ADVICE: Record<string, { severity: Severity; message: string }> = {
  'duplicate-attribute': { severity: 'warning', message: 'This attribute is written twice on the element; the browser keeps the first and ignores this one. Remove one of them.' },
  'eof-in-tag': { severity: 'error', message: 'The file ends inside a tag. Close the tag with ">".' },
  'eof-in-comment': { severity: 'warning', message: 'This comment is never closed, so everything after it is commented out. Close it with "-->".' },
  'missing-attribute-value': { severity: 'warning', message: 'This attribute has "=" but no value. Write a value in quotes or drop the "=".' },
};

/** Reports the few HTML parse errors that change what the page does (see parseHtml.ts). */
export function reportParseErrors(sink: DiagnosticSink, file: SourceFile): void {
  for (const error of file.parseErrors) {
    const advice = PARSE_ERROR_ADVICE[error.code];
    if (!advice) continue;
    let start = error.start;
    // parse5 points just past a duplicated attribute's name: cover the name itself.
    if (error.code === 'duplicate-attribute') while (start > 0 && /[^\s"'>/=]/.test(file.text[start - 1])) start--;
    sink.atOffsets(file, start, Math.max(start, error.end), advice.severity, 'parse-error', advice.message, { parseError: error.code });
  }
}
