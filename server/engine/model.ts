// The composition model: what the compile stage builds from the HTML and every later stage reads.
// Positions are 0-based (line, character) like LSP; the CLI adds 1 when printing.
import type { LintCode } from './compile/lint/codes';
import { framesIn } from './frameRate';
import type { HfProtocolProblemCode } from './runtime/manifest';

export type Severity = 'error' | 'warning' | 'info';

export interface Position {
  line: number;
  character: number;
}

export interface Range {
  start: Position;
  end: Position;
}

/** A place in a source file: the file is an absolute path. */
export interface SourceLocation {
  file: string;
  range: Range;
}

/** Every diagnostic code the engine emits. Stable: tests, code actions and users key on them. */
export type DiagnosticCode =
  // the reference's lint rules (compile/lint/codes.ts), under its codes
  | LintCode
  // compile (static)
  | 'invalid-number'
  | 'negative-number'
  | 'unknown-start-reference'
  | 'cyclic-start-reference'
  | 'duplicate-id'
  | 'clip-outside-composition'
  | 'gsap-from-cdn'
  | 'remote-asset'
  | 'path-outside-project'
  | 'symlink-outside-project'
  | 'parse-error'
  | 'cyclic-composition'
  | 'unreadable-media-file'
  | 'font-substituted'
  | 'font-not-bundled'
  | 'google-font-unavailable'
  // probe (browser)
  | 'zero-duration'
  | 'request-failed'
  | 'http-error'
  | 'request-refused'
  | 'page-error'
  | 'console-error'
  | 'probe-timeout'
  | 'media-duration-mismatch'
  | 'clip-after-composition-end'
  | 'browser-unavailable'
  | 'probe-failed'
  | 'webgpu-unavailable'
  // a page-provided window.__hf: one list, the runtime's
  | HfProtocolProblemCode;

export interface EngineDiagnostic {
  /** Absolute path of the file where the cause is written. */
  file: string;
  range: Range;
  severity: Severity;
  code: DiagnosticCode;
  message: string;
  /** Machine-readable facts a code action needs (e.g. the suggested id or duration). JSON-serialisable. */
  data?: Record<string, unknown>;
}

export type ClipKind = 'element' | 'video' | 'audio' | 'img' | 'composition';

/** A relative start: "other-id", "other-id + 0.5", "other-id - 0.5" (the end of `ref` plus `offset`). */
export interface RelativeStart {
  ref: string;
  offset: number;
}

/** Where each authored attribute of an element is written (the value's range, without quotes). */
export interface AttributeRanges {
  [attributeName: string]: Range | undefined;
}

export interface Clip {
  /** The element's id; compile assigns `hf-auto-N` to media without one (and says so in `autoId`). */
  id: string;
  autoId: boolean;
  kind: ClipKind;
  tagName: string;
  /** Absolute file the element is written in (a sub-composition's own file for its clips). */
  file: string;
  /** Range of the element's opening tag and of each of its attributes' values. */
  tagRange: Range;
  attributeRanges: AttributeRanges;
  /** Resolved absolute start in the root composition's time (seconds). */
  start: number;
  /** Resolved duration in seconds; undefined when nothing says (no attribute, no probe-able media). */
  duration: number | undefined;
  /** Where the duration came from. */
  durationSource: 'attribute' | 'media-probe' | 'sub-composition' | 'browser' | 'composition-end' | 'none';
  /** start + duration, or undefined. */
  end: number | undefined;
  /** The start as authored: a number or a relative expression. */
  startExpression: number | RelativeStart;
  trackIndex: number;
  /** The composition id this clip belongs to (the root's or a sub-composition's). */
  compositionId: string | undefined;
  /** Start of the owning composition in root time (0 for the root's own clips). */
  compositionOffset: number;
  hasClipClass: boolean;
  /** Depth in the clip tree (root's clips are 0, a sub-composition's clips 1, …). */
  depth: number;
  /** Id of the enclosing clip (a sub-composition host), if any. */
  parentId: string | undefined;
}

export interface MediaElement {
  clipId: string;
  kind: 'video' | 'audio' | 'img';
  /** The src as written, and resolved to an absolute path when local (undefined when remote/data). */
  src: string;
  localPath: string | undefined;
  file: string;
  srcRange: Range | undefined;
  /** Offset into the source (data-media-start), seconds. */
  mediaStart: number;
  /**
   * data-playback-rate: source seconds per composition second (1 when absent; clamped to 0.1–5 as the
   * reference does). The clip shows source time mediaStart + (t − start) × playbackRate.
   */
  playbackRate: number;
  volume: number;
  loop: boolean;
  muted: boolean;
  /** Intrinsic length of the source (ffprobe), when known. */
  sourceDuration: number | undefined;
  /** Whether ffprobe found an audio stream in the source. */
  sourceHasAudio: boolean | undefined;
}

export interface SubComposition {
  /** The host element's clip id. */
  hostId: string;
  compositionId: string | undefined;
  /** The data-composition-id on the sub-composition file's own root (may differ from the host's). */
  innerCompositionId: string | undefined;
  /** data-composition-src as written and resolved. */
  src: string;
  file: string | undefined;
  hostFile: string;
  srcRange: Range | undefined;
  /** Duration the sub-composition's own timeline needs when it is not written (resolved by the probe). */
  unresolvedDuration: boolean;
}

/** What one family of a font-family value is drawn with (compile/fonts decides it, the hover shows it). */
export interface FontFamilyResolution {
  /** As written, unquoted. */
  name: string;
  range: Range;
  /**
   * bundled: a face shipped with the extension; alias: drawn with the bundled `font` instead (the reference's
   * substitute); font-face: an @font-face of the composition; generic and system: whatever the machine has.
   */
  source: 'bundled' | 'alias' | 'font-face' | 'generic' | 'keyword' | 'system';
  /** The bundled family that draws it, and its weights (bundled, alias). */
  font?: string;
  weights?: readonly number[];
}

/** One font-family declaration (or custom property holding a family list) of a <style> or style attribute. */
export interface FontFamilyUse {
  file: string;
  /** The value as written. */
  range: Range;
  /** The family put in front of the value because its first family is generic. */
  addedPrimary: string | undefined;
  families: FontFamilyResolution[];
}

/** One entry of data-composition-variables (compile/variables.ts reads and checks them). */
export interface CompositionVariable {
  id: string;
  /** One of VARIABLE_TYPES (string, number, color, boolean, enum, font, image). */
  type: string;
  label?: string;
  default?: unknown;
  /** An enum's allowed values. */
  options?: string[];
  /** Where the entry is written. */
  file: string;
  range: Range;
}

/**
 * The values the page sees (runtime/variables.ts): the top-level composition's (declared defaults, then a
 * render's --variables), and each sub-composition instance's by host id (its file's defaults, then the
 * host's data-variable-values). An instance without either reads the top-level values.
 */
export interface VariableValues {
  root: Record<string, unknown>;
  instances: Record<string, Record<string, unknown>>;
}

/** A data-var-text / data-var-src attribute: what it names and what it shows (the hover). */
export interface VariableBinding {
  file: string;
  /** The attribute's value (the variable id). */
  range: Range;
  attribute: 'data-var-text' | 'data-var-src';
  id: string;
  /** The sub-composition host whose values it reads; undefined for the top-level values. */
  hostId: string | undefined;
  declaration: CompositionVariable | undefined;
  value: unknown;
}

export interface Composition {
  entryFile: string;
  /** Nearest ancestor of the entry that holds hyperframes.json, else the entry's folder. */
  projectRoot: string;
  id: string | undefined;
  width: number;
  height: number;
  fps: number;
  /** The root's static duration (data-duration), else the latest clip end; undefined if neither exists. */
  duration: number | undefined;
  durationSource: 'attribute' | 'clips' | 'browser' | 'none';
  /** Frames for `duration` at `fps` (see frameCount()). 0 when the duration is unknown. */
  frameCount: number;
  /** Range of the root element's opening tag (zero-duration diagnostics go here). */
  rootTagRange: Range | undefined;
  rootAttributeRanges: AttributeRanges;
  clips: Clip[];
  media: MediaElement[];
  subCompositions: SubComposition[];
  /** The top-level composition's declared variables. */
  variables: CompositionVariable[];
  variableValues: VariableValues;
  variableBindings: VariableBinding[];
  /** Every file the composition reads (entry, sub-compositions, local stylesheets and scripts): for reloads. */
  dependencies: string[];
  /** Every font-family written in the composition's <style> elements and style attributes, resolved. */
  fonts: FontFamilyUse[];
  /** The entry as one document with every sub-composition inlined and durations injected: what the browser loads. */
  compiledHtml: string;
}

/** Frame count: round(d·fps) when within FRAME_COUNT_EPSILON of an integer, else ceil (frameRate.ts framesIn). */
export function frameCount(durationSeconds: number, fps: number): number {
  return framesIn(durationSeconds, fps);
}

export const DEFAULT_FPS = 30;
