// One composition's preview engine side, without VS Code: take the compiled entry from a CompositionSource
// (in the panel, the language server, which compiles the editor's text anyway: PreviewCompositionRequest),
// serve it through the engine's file server with the preview bridge inlined, and describe it for the
// webview. The panel and the integration tests both drive it, so what the tests load is what the panel loads.
import fs from 'node:fs';
import path from 'node:path';
import { defaultRuntimePath, startFileServer, type FileServerHandle } from '../../server/engine/fileServer';
import type { Composition, EngineDiagnostic } from '../../server/engine/model';
import { buildRuntimeManifest, type RuntimeManifest } from '../../server/engine/runtime/manifest';
import { type Logger, silentLogger } from '../../server/engine/logger';
import type { PreviewClip, PreviewComposition, PreviewProblem, PreviewVariable, VariableOverrides } from '../../server/protocol/webview';
import { PREVIEW_MAX_LISTED_PROBLEMS } from './limits';

/** File extensions whose usual codecs (H.264, AAC) VS Code's reduced ffmpeg cannot decode. */
const PROPRIETARY_MEDIA_EXTENSIONS = new Set(['.mp4', '.m4v', '.mov', '.m4a', '.aac', '.3gp', '.mkv']);

/**
 * Where the compiled composition comes from: the language server in the panel, the engine's compile in the
 * integration tests. `reuse`: only editor text changed since the last ask (see PreviewCompositionRequest).
 * Null when the file is not a composition.
 */
export type CompositionSource = (entryFile: string, reuse: boolean, signal?: AbortSignal) => Promise<PreviewSnapshot | null>;

export interface PreviewSessionOptions {
  entryFile: string;
  compositionSource: CompositionSource;
  /** dist/preview-bridge.js. */
  bridgeScriptPath: string;
  /** dist/runtime.js; the file server finds it beside the bundle by default. */
  runtimePath?: string;
  logger?: Logger;
}

export interface PreviewSnapshot {
  composition: Composition;
  diagnostics: EngineDiagnostic[];
  compileMs: number;
}

function inlineScript(attribute: string, source: string): string {
  // "</script" inside the inlined source would end the element early.
  return `<script ${attribute}>${source.replace(/<\/script/gi, '<\\/script')}</script>`;
}

/** Puts the bridge at the end of <body>: after the page's own scripts, with the runtime already in <head>. */
export function injectPreviewBridge(html: string, bridgeSource: string): string {
  const tag = inlineScript('data-hf-preview-bridge', bridgeSource);
  const close = html.search(/<\/body\s*>(?![\s\S]*<\/body\s*>)/i);
  return close === -1 ? html + tag : html.slice(0, close) + tag + html.slice(close);
}

/**
 * Inlines the runtime (with its clip table) at the top of <head>. The file server loads it from the root path
 * /__hf/runtime.js, which a path-prefixed proxy breaks: code-server's asExternalUri turns the loopback URL into
 * <host>/proxy/<port>/…, where "/__hf/…" leaves the proxy. The inline copy runs right after the server's tag
 * (which it follows), before any user script; when the server's copy did load, the runtime installs once.
 */
export function injectInlineRuntime(html: string, runtimeSource: string, manifest: RuntimeManifest): string {
  const tag = inlineScript('data-hf-preview-runtime', `window.__hfManifest = ${JSON.stringify(manifest)};\n${runtimeSource}`);
  const anchor = /<head(?:\s[^>]*)?>/i.exec(html) ?? /<html(?:\s[^>]*)?>/i.exec(html);
  if (!anchor) return tag + html;
  const at = anchor.index + anchor[0].length;
  return html.slice(0, at) + tag + html.slice(at);
}

/**
 * The entry's URL under the external address of the file server's origin. asExternalUri maps an origin,
 * not a path: code-server answers <host>/proxy/<port>/ whatever path was asked, so the entry's path is
 * joined here (relative to the external base, keeping any proxy prefix).
 */
export function externalEntryUrl(externalOrigin: string, entryUrl: string): string {
  const base = externalOrigin.endsWith('/') ? externalOrigin : externalOrigin + '/';
  return new URL(new URL(entryUrl).pathname.replace(/^\/+/, ''), base).toString();
}

export class PreviewSession {
  private server: FileServerHandle | undefined;
  private readonly bridgeSource: string;
  private readonly runtimeSource: string;
  private readonly logger: Logger;
  private last: PreviewSnapshot | undefined;
  private overrides: VariableOverrides = {};

  constructor(private readonly options: PreviewSessionOptions) {
    this.logger = options.logger ?? silentLogger;
    this.bridgeSource = fs.readFileSync(options.bridgeScriptPath, 'utf8');
    this.runtimeSource = fs.readFileSync(options.runtimePath ?? defaultRuntimePath(), 'utf8');
  }

  get entryFile(): string {
    return this.options.entryFile;
  }

  /** The served entry page (loopback); undefined until the first refresh succeeded. */
  get entryUrl(): string | undefined {
    return this.server?.entryUrl;
  }

  /** The file server's origin (loopback), what asExternalUri is asked to map. */
  get origin(): string | undefined {
    return this.server?.origin;
  }

  get snapshot(): PreviewSnapshot | undefined {
    return this.last;
  }

  /** The Variables panel's values, applied over the declared defaults (kept across reloads). */
  get variableOverrides(): VariableOverrides {
    return { ...this.overrides };
  }

  /**
   * The Variables panel's edit (`{}`: back to the defaults): serves the last compile again with these values,
   * without compiling. The page gets them as a render gets --variables: through the manifest's values.
   */
  setVariables(values: VariableOverrides): void {
    this.overrides = { ...values };
    if (this.last && this.server) this.serve(this.last.composition);
  }

  /**
   * Gets the composition again and swaps the served entry; undefined (nothing served) when the file is not a
   * composition. `reuse`: only editor text changed (as-you-type reloads).
   */
  async refresh(reuse = false, signal?: AbortSignal): Promise<PreviewSnapshot | undefined> {
    const result = await this.options.compositionSource(this.options.entryFile, reuse, signal);
    if (!result) return undefined;
    const { composition } = result;
    if (this.server) {
      this.serve(composition);
    } else {
      const { html, manifest } = this.entryPage(composition);
      this.server = await startFileServer({
        projectRoot: composition.projectRoot,
        entryFile: composition.entryFile,
        entryHtml: html,
        manifest,
        runtimePath: this.options.runtimePath,
        logger: this.logger,
      });
    }
    this.last = { composition, diagnostics: result.diagnostics, compileMs: result.compileMs };
    return this.last;
  }

  private serve(composition: Composition): void {
    const { html, manifest } = this.entryPage(composition);
    this.server?.setEntryHtml(html, manifest);
  }

  /** The entry page and its manifest, with the panel's values over the defaults (the one place they apply). */
  private entryPage(composition: Composition): { html: string; manifest: RuntimeManifest } {
    const manifest = buildRuntimeManifest(withVariableOverrides(composition, this.overrides));
    return { html: injectPreviewBridge(injectInlineRuntime(composition.compiledHtml, this.runtimeSource, manifest), this.bridgeSource), manifest };
  }

  async close(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    await server?.close();
  }
}

/**
 * The composition as a render with `--variables overrides` compiles it: the top-level values are the declared
 * defaults with the overrides over them (compile/variables.ts analyzeVariables); instances keep their own.
 * Only declared ids apply: an id the file no longer declares (renamed while the panel held it) is dropped.
 */
export function withVariableOverrides(composition: Composition, overrides: VariableOverrides): Composition {
  const declared = new Set(composition.variables.map(variable => variable.id));
  const applied = Object.fromEntries(Object.entries(overrides).filter(([id]) => declared.has(id)));
  if (Object.keys(applied).length === 0) return composition;
  const values = composition.variableValues;
  return { ...composition, variableValues: { ...values, root: { ...values.root, ...applied } } };
}

export function previewVariables(composition: Composition): PreviewVariable[] {
  return composition.variables.map(variable => ({
    id: variable.id, type: variable.type, label: variable.label, default: variable.default, options: variable.options,
  }));
}

export function previewClips(composition: Composition): PreviewClip[] {
  return composition.clips.map(clip => ({
    id: clip.id,
    kind: clip.kind,
    start: clip.start,
    duration: clip.duration,
    trackIndex: clip.trackIndex,
    depth: clip.depth,
    parentId: clip.parentId,
  }));
}

/** What the preview of a file without a composition root says (rather than "the duration is 0"). */
export const NOT_A_COMPOSITION_MESSAGE = 'This file is not a HyperFrames composition: no element has data-composition-id. '
  + 'Add data-composition-id="main" data-width="1920" data-height="1080" to the element that holds the video, or preview the composition\'s own file.';

/** No element with data-composition-id: nothing of the file is timed, so its duration means nothing. */
function isNotComposition(composition: Composition): boolean {
  return composition.rootTagRange === undefined;
}

/** The panel's problem list: compile errors first (with their place), then a missing duration. */
export function previewProblems(snapshot: PreviewSnapshot): PreviewProblem[] {
  const { composition, diagnostics } = snapshot;
  if (isNotComposition(composition)) return [{ severity: 'error', message: NOT_A_COMPOSITION_MESSAGE }];
  const problems: PreviewProblem[] = diagnostics
    .filter(d => d.severity === 'error')
    .slice(0, PREVIEW_MAX_LISTED_PROBLEMS)
    .map(d => ({
      severity: d.severity,
      message: `${path.relative(composition.projectRoot, d.file) || path.basename(d.file)}:${d.range.start.line + 1}: ${d.message}`,
    }));
  if (composition.duration === 0) {
    problems.push({ severity: 'error', message: 'The composition\'s duration is 0: nothing would be rendered.' });
  }
  return problems;
}

/** Says so when the composition has media the webview may not decode (the render still contains it). */
export function mediaWarning(composition: Composition): string | undefined {
  const suspect = composition.media.filter(m => m.kind !== 'img'
    && PROPRIETARY_MEDIA_EXTENSIONS.has(path.extname(m.localPath ?? m.src.replace(/[?#].*$/, '')).toLowerCase()));
  if (suspect.length === 0) return undefined;
  const names = suspect.map(m => path.basename(m.localPath ?? m.src)).join(', ');
  return `Audio/video in this composition (${names}) may not play in the preview: VS Code's webview cannot decode H.264 or AAC. The render contains it.`;
}

export function describeForWebview(snapshot: PreviewSnapshot, entryUrl: string, uri: string, overrides: VariableOverrides = {}): PreviewComposition {
  const { composition } = snapshot;
  const declared = new Set(composition.variables.map(variable => variable.id));
  return {
    uri,
    title: path.basename(composition.entryFile),
    entryUrl,
    width: composition.width,
    height: composition.height,
    fps: composition.fps,
    duration: composition.duration,
    clips: previewClips(composition),
    problems: previewProblems(snapshot),
    mediaWarning: mediaWarning(composition),
    ...(isNotComposition(composition) ? { notComposition: NOT_A_COMPOSITION_MESSAGE } : {}),
    variables: previewVariables(composition),
    variableOverrides: Object.fromEntries(Object.entries(overrides).filter(([id]) => declared.has(id))),
  };
}
