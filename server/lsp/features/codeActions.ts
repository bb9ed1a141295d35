// Quick fixes keyed on the engine's diagnostic codes (and the facts they carry in `data`).
import { CodeActionKind, type CodeAction, type Diagnostic, type TextEdit } from 'vscode-languageserver/node';
import type { TextDocument } from 'vscode-languageserver-textdocument';
import type { Composition, DiagnosticCode } from '../../engine/model';
import { attributeInsertOffset, findTimelineCreation, relativeReferenceSpan } from '../htmlScan';
import { lintQuickFixes } from './lintFixes';

export interface CodeActionContext {
  document: TextDocument;
  /** Absolute path of the document. */
  file: string;
  /** The composition the document belongs to (its own, or the one including it), when compiled. */
  composition: Composition | undefined;
}

function codeOf(diagnostic: Diagnostic): DiagnosticCode | undefined {
  return typeof diagnostic.code === 'string' ? diagnostic.code as DiagnosticCode : undefined;
}

function dataOf(diagnostic: Diagnostic): Record<string, unknown> {
  const data: unknown = diagnostic.data;
  return typeof data === 'object' && data !== null ? data as Record<string, unknown> : {};
}

function quickFix(title: string, uri: string, edit: TextEdit, diagnostic: Diagnostic, preferred = true): CodeAction {
  return { title, kind: CodeActionKind.QuickFix, diagnostics: [diagnostic], isPreferred: preferred, edit: { changes: { [uri]: [edit] } } };
}

/** Offered when nothing implies a length (no clip ends): a starting point the author then edits. */
const PLACEHOLDER_DURATION_S = 5;

/** A duration as authors write it: at most three decimals, no trailing zeros. */
function formatDuration(seconds: number): string {
  return String(Math.round(seconds * 1000) / 1000);
}

/** The end the root's own clips imply (the latest end of a depth-0 clip). */
export function impliedRootDuration(composition: Composition): number | undefined {
  let latest: number | undefined;
  for (const clip of composition.clips) {
    if (clip.depth === 0 && clip.end !== undefined && (latest === undefined || clip.end > latest)) latest = clip.end;
  }
  return latest;
}

function addRootDuration(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction | undefined {
  const { composition, document } = ctx;
  if (!composition?.rootTagRange || composition.entryFile !== ctx.file) return undefined;
  const data = dataOf(diagnostic);
  const implied = typeof data.impliedDuration === 'number' ? data.impliedDuration : impliedRootDuration(composition);
  const known = implied !== undefined && implied > 0;
  const value = formatDuration(known ? implied : PLACEHOLDER_DURATION_S);
  const title = known
    ? `Set data-duration="${value}" on the composition root (the end of its last clip)`
    : `Set data-duration="${value}" on the composition root (then edit it to the length you want)`;
  const existing = composition.rootAttributeRanges['data-duration'];
  if (existing) return quickFix(title, document.uri, { range: existing, newText: value }, diagnostic);
  const insertAt = attributeInsertOffset(document.getText(), document.offsetAt(composition.rootTagRange.start));
  if (insertAt === undefined) return undefined;
  const position = document.positionAt(insertAt);
  return quickFix(title, document.uri, { range: { start: position, end: position }, newText: ` data-duration="${value}"` }, diagnostic);
}

/** The composition id the document's own timeline should register under. */
function compositionIdFor(ctx: CodeActionContext, data: Record<string, unknown>): string | undefined {
  if (typeof data.compositionId === 'string') return data.compositionId;
  const composition = ctx.composition;
  if (!composition) return undefined;
  if (composition.entryFile === ctx.file) return composition.id;
  return composition.subCompositions.find(sub => sub.file === ctx.file)?.compositionId;
}

/** The offset where the line holding `offset` ends (before its newline). */
function lineEndAfter(text: string, offset: number): number {
  const newline = text.indexOf('\n', offset);
  const end = newline < 0 ? text.length : newline;
  return text[end - 1] === '\r' ? end - 1 : end;
}

function registerTimeline(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction | undefined {
  const data = dataOf(diagnostic);
  const id = compositionIdFor(ctx, data);
  const text = ctx.document.getText();
  const creation = findTimelineCreation(text, typeof data.variable === 'string' ? data.variable : undefined);
  if (!id || !creation) return undefined;
  // The registration must follow the `window.__timelines = window.__timelines || {}` line (above it, it throws
  // in a plain browser): after that line when the page has one below the timeline, else with its own init.
  const init = /window\.__timelines\s*=\s*window\.__timelines\b/.exec(text);
  const initLineEnd = init ? lineEndAfter(text, init.index) : undefined;
  const lines = [
    ...(init ? [] : [`${creation.indent}window.__timelines = window.__timelines || {};`]),
    `${creation.indent}window.__timelines[${JSON.stringify(id)}] = ${creation.variable};`,
  ];
  const position = ctx.document.positionAt(Math.max(creation.lineEnd, initLineEnd ?? 0));
  return quickFix(`Register the timeline: window.__timelines[${JSON.stringify(id)}] = ${creation.variable}`, ctx.document.uri,
    { range: { start: position, end: position }, newText: '\n' + lines.join('\n') }, diagnostic);
}

function replaceStartReference(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction | undefined {
  const suggestion = dataOf(diagnostic).suggestion;
  if (typeof suggestion !== 'string' || !suggestion) return undefined;
  const { document } = ctx;
  const value = document.getText(diagnostic.range);
  const span = relativeReferenceSpan(value);
  if (!span) return undefined;
  const base = document.offsetAt(diagnostic.range.start);
  const range = { start: document.positionAt(base + span.start), end: document.positionAt(base + span.end) };
  return quickFix(`Change the reference to "${suggestion}"`, document.uri, { range, newText: suggestion }, diagnostic);
}

function renameTimelineKey(ctx: CodeActionContext, diagnostic: Diagnostic): CodeAction | undefined {
  const suggestion = dataOf(diagnostic).suggestion;
  if (typeof suggestion !== 'string' || !suggestion) return undefined;
  return quickFix(`Register the timeline as "${suggestion}"`, ctx.document.uri, { range: diagnostic.range, newText: suggestion }, diagnostic);
}

export function codeActionsFor(ctx: CodeActionContext, diagnostics: readonly Diagnostic[]): CodeAction[] {
  const actions: CodeAction[] = [];
  for (const diagnostic of diagnostics) {
    const candidates: (CodeAction | undefined)[] = [];
    switch (codeOf(diagnostic)) {
      case 'zero-duration':
        candidates.push(addRootDuration(ctx, diagnostic));
        // A zero duration with a timeline nobody registered: registering it is the real fix.
        if (!/__timelines\s*\[/.test(ctx.document.getText())) candidates.push(registerTimeline(ctx, diagnostic));
        break;
      case 'root_composition_missing_duration_source':
        candidates.push(addRootDuration(ctx, diagnostic));
        break;
      case 'missing_timeline_registry':
        candidates.push(registerTimeline(ctx, diagnostic));
        break;
      case 'unknown-start-reference':
        candidates.push(replaceStartReference(ctx, diagnostic));
        break;
      case 'timeline_id_mismatch':
        candidates.push(renameTimelineKey(ctx, diagnostic));
        break;
      default:
        candidates.push(...lintQuickFixes(ctx, diagnostic));
        break;
    }
    for (const action of candidates) if (action) actions.push(action);
  }
  return actions;
}
