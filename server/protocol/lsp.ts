// Custom LSP messages between the extension (client) and the language server.
// Each is a namespace with a literal `method` and typed params/result, and says who sends it and why.
// The `type` objects come from vscode-languageserver-protocol, the layer both vscode-languageclient and
// vscode-languageserver are built on, so either side can pass them to sendRequest/onNotification.
import { NotificationType, RequestType } from 'vscode-languageserver-protocol';
import type { Composition, EngineDiagnostic } from '../engine/model';
import type { ToolSource } from '../engine/tools';

/** The settings section the client reads (`hyperframesLive.*`). */
export const SETTINGS_SECTION = 'hyperframesLive';

/**
 * What the server needs from the client's settings. Sent in `initializationOptions` ({ settings }) and on every
 * change with `workspace/didChangeConfiguration` ({ settings: { hyperframesLive: … } }). Missing fields keep
 * their defaults.
 */
export interface ServerSettings {
  /** Explicit Chromium executable; '' searches the usual places (see server/engine/tools.ts). */
  chromiumPath: string;
  /** Explicit ffmpeg executable; '' searches the usual places. */
  ffmpegPath: string;
  /** Probe in the browser on save (and once on open). */
  probeOnSave: boolean;
  /** How long a probe may run before it counts as a hang (the browser is then recycled). */
  probeTimeoutMs: number;
  /** Workspace trust: when false the server never probes (probing runs the composition's scripts). */
  trusted: boolean;
  /** hyperframesLive.lint.rules: `{ "<code>": "off" | "info" | "warning" | "error" }`, over hyperframes.json's lint.rules. */
  lintRules: Record<string, 'off' | 'info' | 'warning' | 'error'>;
}

export interface InitializationOptions {
  settings?: Partial<ServerSettings>;
}

/** The `settings` of workspace/didChangeConfiguration as the client sends it. */
export interface ConfigurationSettings {
  [SETTINGS_SECTION]?: Partial<ServerSettings>;
}

/**
 * The files whose changes on disk can change a composition's diagnostics: markup, stylesheets, scripts, data,
 * images, video, audio and fonts. The server registers a watcher for them (workspace/didChangeWatchedFiles,
 * dynamic registration) and re-checks the compositions that read, look for or request a changed file.
 */
export const WATCHED_FILES_GLOB = '**/*.{css,js,mjs,html,json,svg,png,jpg,jpeg,webp,gif,mp4,webm,mov,mp3,wav,m4a,ogg,woff,woff2,ttf,otf}';

/** Commands the server's CodeLenses invoke; the client registers them. Argument: the document URI (string). */
export const HyperframesCommands = {
  openPreview: 'hyperframesLive.openPreview',
  render: 'hyperframesLive.render',
} as const;

export type ProbeState =
  /** Nothing running; `problems` counts what is published. */
  | 'idle'
  /** A probe is running for `uris`. */
  | 'probing'
  /** The browser could not be found or launched; `message` says why and what to do. */
  | 'browser-unavailable'
  /** The workspace is not trusted: static diagnostics only. */
  | 'untrusted'
  /** probeOnSave is off: static diagnostics only. */
  | 'disabled';

export interface ProblemCount {
  errors: number;
  warnings: number;
}

/**
 * Server → client, whenever the probe state changes: drives the language status item
 * (idle / probing… / N problems / "Chromium not found" with an action to set the path).
 */
export namespace ProbeStatusNotification {
  export const method = 'hyperframesLive/probeStatus' as const;
  export interface Params {
    state: ProbeState;
    /** Entry documents being probed (state 'probing'). */
    uris: string[];
    /** Everything the server currently publishes, over all files. */
    problems: ProblemCount;
    message?: string;
  }
  export const type = new NotificationType<Params>(method);
}

export type PageConsoleLevel = 'log' | 'info' | 'warn' | 'error' | 'debug' | 'page-error';

export interface PageConsoleLine {
  level: PageConsoleLevel;
  text: string;
  /** Where the page says the line came from, when it does. */
  url?: string;
  line?: number;
}

/**
 * Server → client after each probe: the page's console buffer (and page errors), for the client's second
 * output channel ("HyperFrames Live: Page Console").
 */
export namespace PageConsoleNotification {
  export const method = 'hyperframesLive/pageConsole' as const;
  export interface Params {
    /** The composition entry that was probed. */
    uri: string;
    /** The document version the probe ran on. */
    version: number | null;
    lines: PageConsoleLine[];
  }
  export const type = new NotificationType<Params>(method);
}

export interface ToolReport {
  found: boolean;
  path?: string;
  source?: ToolSource;
  /** First line of `--version` / `-version`. */
  version?: string;
  /** Why it was not found, or why it could not run; says what to do. */
  error?: string;
}

export interface ChromiumReport extends ToolReport {
  kind?: 'headless-shell' | 'chromium';
}

/**
 * Client → server ("HyperFrames: Check Environment"): which Chromium, ffmpeg and ffprobe the server would use
 * with the current settings, their versions, and why not when missing.
 */
export namespace CheckEnvironmentRequest {
  export const method = 'hyperframesLive/checkEnvironment' as const;
  export type Params = Record<string, never>;
  export interface Result {
    chromium: ChromiumReport;
    ffmpeg: ToolReport;
    ffprobe: ToolReport;
    /** A probe browser is running right now. */
    browserRunning: boolean;
    trusted: boolean;
    probeOnSave: boolean;
    serverVersion: string;
    nodeVersion: string;
  }
  export const type = new RequestType<Params, Result, void>(method);
}

export interface ClipRange {
  start: { line: number; character: number };
  end: { line: number; character: number };
}

export interface ClipInfo {
  id: string;
  kind: 'element' | 'video' | 'audio' | 'img' | 'composition';
  tagName: string;
  /** The file the clip element is written in. */
  uri: string;
  /** The opening tag's range in `uri`. */
  range: ClipRange;
  /** Seconds in the root composition's time. */
  start: number;
  duration: number | null;
  end: number | null;
  trackIndex: number;
  compositionId: string | null;
  depth: number;
  parentId: string | null;
  /** The relative start as written ("intro + 0.5"), when the start is relative. */
  startExpression: string | null;
}

export interface CompositionInfo {
  /** The entry file whose timeline this is (for a sub-composition document: the composition including it). */
  entryUri: string;
  compositionId: string | null;
  width: number;
  height: number;
  fps: number;
  duration: number | null;
  durationSource: 'attribute' | 'clips' | 'browser' | 'none';
  frameCount: number;
  clips: ClipInfo[];
  /** Error diagnostics currently published for the composition (static + last probe). */
  errorCount: number;
  /** The document versions this was computed from (entry file). */
  version: number | null;
}

/**
 * Client → server: the composition a document belongs to, with every clip's resolved timing (preview timeline,
 * render command). Null when the document is not a composition.
 */
export namespace CompositionInfoRequest {
  export const method = 'hyperframesLive/compositionInfo' as const;
  export interface Params {
    uri: string;
  }
  export type Result = CompositionInfo | null;
  export const type = new RequestType<Params, Result, void>(method);
}

/**
 * Client → server (the preview): the composition a document belongs to, compiled by the server from the text
 * it has (unsaved edits included), with the compile's diagnostics: what the preview serves, so the extension
 * host never compiles a second time. Null when the document is not a composition (the server's one test,
 * `isCompositionDocument`) and no composition includes it.
 */
export namespace PreviewCompositionRequest {
  export const method = 'hyperframesLive/previewComposition' as const;
  export interface Params {
    uri: string;
    /**
     * True when only editor text changed (as-you-type): the server's compile of the current text is reused.
     * False after a save or a change on disk: compiled again, since files the server does not sync (a
     * sub-composition, a stylesheet) may have changed before its watcher says so.
     */
    reuse: boolean;
  }
  export interface Snapshot {
    composition: Composition;
    diagnostics: EngineDiagnostic[];
    compileMs: number;
  }
  export type Result = Snapshot | null;
  export const type = new RequestType<Params, Result, void>(method);
}
