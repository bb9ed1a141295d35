// Messages of the preview: between the extension host and the preview webview, and between the webview
// and the bridge script that runs inside the composition's iframe. Each message is a discriminated
// union member keyed by `type`; every side imports these types, so a renamed field breaks the build.

/** One clip as the timeline draws it: resolved root-time start/duration from the compile stage. */
export interface PreviewClip {
  id: string;
  kind: 'element' | 'video' | 'audio' | 'img' | 'composition';
  start: number;
  /** Undefined when nothing says how long the clip is: the bar runs to the composition's end. */
  duration: number | undefined;
  trackIndex: number;
  /** 0 for the root's clips; sub-composition clips are drawn in their host's lane group. */
  depth: number;
  parentId: string | undefined;
}

/** A problem the panel shows over the frame instead of a blank picture. */
export interface PreviewProblem {
  severity: 'error' | 'warning' | 'info';
  message: string;
}

/** One declared variable of the top-level composition, as the Variables panel draws its input. */
export interface PreviewVariable {
  id: string;
  /** One of the compile stage's VARIABLE_TYPES (string, number, color, boolean, enum, font, image). */
  type: string;
  label: string | undefined;
  default: unknown;
  /** An enum's allowed values. */
  options: string[] | undefined;
}

/** Values by variable id: what the preview applies over the declared defaults (never saved into the file). */
export type VariableOverrides = Record<string, unknown>;

/** What the webview needs to draw one composition. */
export interface PreviewComposition {
  /** file URI of the entry (what the webview state keeps for the serializer). */
  uri: string;
  /** Label of the panel (the entry file's name). */
  title: string;
  /** URL of the entry page on the loopback file server, already through asExternalUri. */
  entryUrl: string;
  width: number;
  height: number;
  fps: number;
  /** Static duration from compile; the iframe's runtime reports the browser's value on load. */
  duration: number | undefined;
  clips: PreviewClip[];
  problems: PreviewProblem[];
  /** Set when the composition has audio/video the webview's reduced ffmpeg may not decode. */
  mediaWarning: string | undefined;
  /** Set when the file has no composition root: what the frame says instead of "the duration is 0". */
  notComposition?: string;
  /** The top-level composition's declared variables (the Variables panel; empty: no panel). */
  variables: PreviewVariable[];
  /** The values the served page applies over the defaults now (the panel's edits, kept across reloads). */
  variableOverrides: VariableOverrides;
}

/** In/out points of the loop and of "Render Range", in seconds. */
export interface PreviewRange {
  start: number;
  end: number;
}

/** What the webview keeps across reloads through getState/setState (and what the serializer restores). */
export interface PreviewWebviewState {
  /** file URI of the composition (the serializer reopens it). */
  uri: string;
  time: number;
  /** Timeline pixels per second; undefined = fit to width. */
  zoom: number | undefined;
  range: PreviewRange | undefined;
  loop: boolean;
  rate: number;
  /** true = 100 % (one composition pixel per CSS pixel), false = scaled to fit. */
  actualSize: boolean;
}

// ---------------------------------------------------------------------------------------------
// Extension → webview

export type ExtensionToWebviewMessage =
  /** First load, or the composition changed (saved or typed): draw it and reload the iframe; `keepTime` holds the playhead. */
  | { type: 'composition'; composition: PreviewComposition; keepTime: boolean }
  /** The editor's cursor entered a clip's element (undefined: left every clip). */
  | { type: 'highlightClip'; clipId: string | undefined; seek: boolean }
  /** Show the frame at `time` (a "preview at this time" action; the tests drive exact frames with it). */
  | { type: 'seek'; time: number }
  /** A failure the extension saw (compile threw, file server failed). */
  | { type: 'problems'; problems: PreviewProblem[] };

// Webview → extension

export type WebviewToExtensionMessage =
  /** The webview's script runs and wants its composition (sent once per page load). */
  | { type: 'ready'; state: PreviewWebviewState | undefined }
  /**
   * A clip bar, or the clip's picture in the frame (click-to-source), was clicked: reveal its element in the
   * editor, keeping the keyboard in the preview.
   */
  | { type: 'revealClip'; clipId: string }
  /** The "Render Range" action. */
  | { type: 'renderRange'; range: PreviewRange }
  /** The Variables panel changed a value, or Reset (`{}`): serve the page again with these over the defaults. */
  | { type: 'setVariables'; values: VariableOverrides }
  /** "Render with These Values": a normal render, given these values (as `render --variables`). */
  | { type: 'renderWithVariables'; values: VariableOverrides }
  /** The iframe loaded (or failed): for logs and end-to-end tests. */
  | { type: 'frameStatus'; status: 'loaded'; duration: number; loadMs: number }
  | { type: 'frameStatus'; status: 'failed'; message: string };

// ---------------------------------------------------------------------------------------------
// Webview ↔ the bridge inside the composition's iframe (window.postMessage across origins).
// Every message carries `hfPreview: true` so the bridge ignores whatever else the page posts.

export const BRIDGE_TAG = 'hfPreview';

export type ParentToBridgeMessage =
  /** Seek the runtime to `t`; `seq` comes back in `seeked` so the parent knows which seek settled. */
  | { hfPreview: true; type: 'seek'; t: number; seq: number }
  /** Asks the bridge to (re)announce itself: the parent may attach after the page's load event. */
  | { hfPreview: true; type: 'hello' }
  /** Which clip is drawn at (x, y), page CSS pixels, as the page stands (click-to-source); answered by 'hit'. */
  | { hfPreview: true; type: 'hitTest'; x: number; y: number; seq: number };

export type BridgeToParentMessage =
  | { hfPreview: true; type: 'ready'; duration: number; hasMedia: boolean }
  | { hfPreview: true; type: 'seeked'; t: number; seq: number }
  /** The answer to 'hitTest' `seq`: the clip's id, or undefined over no clip. */
  | { hfPreview: true; type: 'hit'; seq: number; clipId: string | undefined }
  | { hfPreview: true; type: 'error'; message: string };

function hasBridgeTag(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as Record<string, unknown>)[BRIDGE_TAG] === true
    && typeof (value as Record<string, unknown>).type === 'string';
}

/** Used by the webview on messages from the iframe. */
export function isBridgeMessage(value: unknown): value is BridgeToParentMessage {
  return hasBridgeTag(value);
}

/** Used by the bridge on messages from the webview. */
export function isParentMessage(value: unknown): value is ParentToBridgeMessage {
  return hasBridgeTag(value);
}
