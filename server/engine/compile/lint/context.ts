// What the lint rules read: one `LintFile` per source file of the composition (the entry and each
// sub-composition file), with its elements in document order (template content included, as the
// reference's string-based lint sees it), its stylesheets parsed into rules and its inline scripts with
// comments blanked. Every offset is into the file's own text, so a finding lands on its exact range.
import type { Range, Severity } from '../../model';
import type { DiagnosticSink } from '../diagnostics';
import type { ClipDraft } from '../drafts';
import { innerText, type SourceAttribute, type SourceElement, type SourceFile } from '../parseHtml';
import { blankComments } from '../scripts';
import { LINT_RULES, type LintCode } from './codes';
import { scanStylesheet, type CssRule } from './stylesheet';

export interface LintStyle {
  element: SourceElement;
  rules: CssRule[];
}

export interface LintScript {
  element: SourceElement;
  /** The script with comments blanked (same length), and the file offset where it starts. */
  code: string;
  offset: number;
}

export interface LintFile {
  file: SourceFile;
  /** A sub-composition file (or the entry, when it is one opened on its own). */
  isSubComposition: boolean;
  /** The first element with data-composition-id. */
  root: SourceElement | undefined;
  /** Every element, document order, <template> content included. */
  elements: SourceElement[];
  styles: LintStyle[];
  /** Inline classic/module scripts. */
  scripts: LintScript[];
  /** Whether some <script src> is loaded (its code is not seen). */
  hasExternalScripts: boolean;
}

export interface LintProject {
  entry: LintFile;
  files: LintFile[];
  projectRoot: string;
  clips: readonly ClipDraft[];
  /** Every data-composition-id in the composition (hosts and sub-composition roots). */
  compositionIds: ReadonlySet<string>;
}

const SCRIPT_TYPES = new Set(['', 'module', 'text/javascript', 'application/javascript', 'text/ecmascript', 'application/ecmascript']);

export function buildLintFile(file: SourceFile, isSubComposition: boolean): LintFile {
  const elements: SourceElement[] = [];
  const visit = (list: readonly SourceElement[]) => {
    for (const element of list) {
      elements.push(element);
      visit(element.children);
      if (element.templateContent) visit(element.templateContent);
    }
  };
  visit(file.elements);
  const lint: LintFile = { file, isSubComposition, root: undefined, elements, styles: [], scripts: [], hasExternalScripts: false };
  for (const element of elements) {
    if (!lint.root && element.attrs.has('data-composition-id')) lint.root = element;
    if (element.tagName === 'style') {
      const { text, offset } = innerText(file, element);
      lint.styles.push({ element, rules: scanStylesheet(text, offset) });
    } else if (element.tagName === 'script') {
      if (element.attrs.has('src')) {
        lint.hasExternalScripts = true;
        continue;
      }
      if (!SCRIPT_TYPES.has((element.attrs.get('type')?.value ?? '').trim().toLowerCase())) continue;
      const { text, offset } = innerText(file, element);
      lint.scripts.push({ element, code: blankComments(text), offset });
    }
  }
  return lint;
}

/** `<video id="intro">`: how the reference names an element in its messages. */
export function describeElement(element: SourceElement): string {
  const id = element.attrs.get('id')?.value.trim();
  return `<${element.tagName}${id ? ` id="${id}"` : ''}>`;
}

export function elementId(element: SourceElement): string | undefined {
  return element.attrs.get('id')?.value.trim() || undefined;
}

/**
 * Reports lint findings of one file under the rule's default severity (the configuration is applied later,
 * in one place: severity.ts). The fix hint is part of the message, as the reference prints it.
 */
export class LintReporter {
  constructor(private readonly sink: DiagnosticSink, readonly lint: LintFile) {}

  private severity(code: LintCode): Severity {
    return LINT_RULES[code].severity;
  }

  private text(message: string, fixHint: string | undefined): string {
    return fixHint ? `${message} ${fixHint}` : message;
  }

  /** `severity` for the few rules whose severity depends on the composition (the reference's, likewise). */
  atOffsets(start: number, end: number, code: LintCode, message: string, fixHint?: string, data?: Record<string, unknown>, severity?: Severity): void {
    this.sink.atOffsets(this.lint.file, start, end, severity ?? this.severity(code), code, this.text(message, fixHint), data);
  }

  atTagName(element: SourceElement, code: LintCode, message: string, fixHint?: string, data?: Record<string, unknown>): void {
    this.atOffsets(element.tagNameStart, element.tagNameEnd, code, message, fixHint, data);
  }

  /** On the whole attribute (`crossorigin="anonymous"`): the thing to remove. */
  atAttribute(attr: SourceAttribute, code: LintCode, message: string, fixHint?: string, data?: Record<string, unknown>): void {
    this.atOffsets(attr.start, attr.end, code, message, fixHint, data);
  }

  atValue(attr: SourceAttribute, code: LintCode, message: string, fixHint?: string, data?: Record<string, unknown>): void {
    this.atOffsets(attr.valueStart, attr.valueEnd, code, message, fixHint, data);
  }

  range(start: number, end: number): Range {
    return this.lint.file.lines.range(start, end);
  }
}
