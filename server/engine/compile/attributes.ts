// Reading the numeric and timing attributes of the format, with the diagnostics their bad values deserve.
import type { RelativeStart } from '../model';
import type { DiagnosticSink } from './diagnostics';
import type { SourceElement, SourceFile } from './parseHtml';

const DECIMAL = /^[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?$/;
const NUMBER_TEXT = String.raw`(?:\d+(?:\.\d*)?|\.\d+)`;
/** "id", "id + 0.5", "id - 0.5" (spaces around the operator optional for "+", required for "-" since ids hold dashes). */
const RELATIVE_START = new RegExp(String.raw`^(\S+?)(?:\s*\+\s*(${NUMBER_TEXT})|\s+-\s*(${NUMBER_TEXT}))?$`);
const RELATIVE_START_TIGHT_MINUS = new RegExp(String.raw`^(\S+)-(${NUMBER_TEXT})$`);

export function parseDecimal(text: string): number | undefined {
  const trimmed = text.trim();
  return DECIMAL.test(trimmed) ? Number(trimmed) : undefined;
}

export interface NumberRule {
  /** How the value is described in messages ("data-duration"). */
  allowNegative?: boolean;
  integer?: boolean;
  /** Zero is not a usable value (fps). */
  positive?: boolean;
  /** What to write instead, for the message. */
  example: string;
}

/**
 * Reads a numeric attribute; reports an invalid or negative value on the value itself and returns
 * undefined for it. A missing attribute is undefined without a diagnostic.
 */
export function readNumber(sink: DiagnosticSink, file: SourceFile, element: SourceElement, name: string, rule: NumberRule): number | undefined {
  const attr = element.attrs.get(name);
  if (!attr) return undefined;
  const value = parseDecimal(attr.value);
  const kind = rule.integer ? 'a whole number' : 'a number';
  if (value === undefined || (rule.integer && !Number.isInteger(value))) {
    sink.atValue(file, attr, 'error', 'invalid-number',
      `${name}="${attr.value}" is not ${kind}. Write ${kind} such as ${name}="${rule.example}".`, { attribute: name });
    return undefined;
  }
  if ((value < 0 && !rule.allowNegative) || (rule.positive && value === 0)) {
    sink.atValue(file, attr, 'error', 'negative-number',
      `${name} must be ${rule.positive ? 'greater than 0' : '0 or more'}, got ${attr.value.trim()}. Use a value such as ${name}="${rule.example}".`,
      { attribute: name });
    return undefined;
  }
  return value;
}

/** A start as written: a number, or a reference to another clip's end. */
export type StartExpression = { kind: 'absolute'; seconds: number } | { kind: 'relative'; relative: RelativeStart };

/**
 * Parses data-start. `knownIds` disambiguates "clip-2": an existing id wins over "clip" minus 2.
 * Returns undefined (after a diagnostic) when the value is neither a number nor a reference.
 */
export function readStart(sink: DiagnosticSink, file: SourceFile, element: SourceElement, knownIds: ReadonlySet<string>): StartExpression | undefined {
  const attr = element.attrs.get('data-start');
  if (!attr) return undefined;
  const text = attr.value.trim();
  const seconds = parseDecimal(text);
  if (seconds !== undefined) {
    if (seconds < 0) {
      sink.atValue(file, attr, 'error', 'negative-number',
        `data-start must be 0 or more, got ${text}. To start before another clip ends, write a reference such as data-start="intro - 0.5".`,
        { attribute: 'data-start' });
      return undefined;
    }
    return { kind: 'absolute', seconds };
  }
  if (knownIds.has(text)) return { kind: 'relative', relative: { ref: text, offset: 0 } };
  const tight = RELATIVE_START_TIGHT_MINUS.exec(text);
  if (tight && knownIds.has(tight[1])) return { kind: 'relative', relative: { ref: tight[1], offset: -Number(tight[2]) } };
  const match = RELATIVE_START.exec(text);
  if (match && !/^[+-]?[\d.]/.test(match[1])) {
    const offset = match[2] !== undefined ? Number(match[2]) : match[3] !== undefined ? -Number(match[3]) : 0;
    return { kind: 'relative', relative: { ref: match[1], offset } };
  }
  sink.atValue(file, attr, 'error', 'invalid-number',
    `data-start="${attr.value}" is neither a number of seconds nor a clip reference. Write data-start="1.5", data-start="intro" or data-start="intro + 0.5".`,
    { attribute: 'data-start' });
  return undefined;
}

/** Slowest and fastest data-playback-rate (the reference's bounds; a browser refuses rates far outside them). */
export const MIN_PLAYBACK_RATE = 0.1;
export const MAX_PLAYBACK_RATE = 5;

/** data-playback-rate as the reference reads it: absent, zero or negative is 1; others are clamped. */
export function normalizePlaybackRate(rate: number | undefined): number {
  if (rate === undefined || !Number.isFinite(rate) || rate <= 0) return 1;
  return Math.min(MAX_PLAYBACK_RATE, Math.max(MIN_PLAYBACK_RATE, rate));
}
