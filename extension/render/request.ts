// Turns a "Render Composition…" invocation into render requests: which composition (the argument from the
// CodeLens, the explorer, the preview or a caller; else the active composition editor), the format and
// quality (one quick pick, remembering the last choice per workspace), the output path, and saving a dirty
// document first (hyperframesLive.render.saveBeforeRender).
import path from 'node:path';
import * as vscode from 'vscode';
import type { OutputFormat, RenderQuality, RenderRange } from '../../server/engine/render/types';
import { isComposition } from '../ctx';
import { compositionName, outputPathFor } from './output';
import type { RenderJobRequest } from './queue';
import { FORMATS, QUALITIES, type RenderSettings, type UiFormat } from './settings';

/**
 * The options object the command accepts (as its first argument, or a `{range}` as its second). With
 * `noPrompt` nothing is asked: these fields and the settings decide (the end-to-end tests use this).
 */
export interface RenderCommandOptions {
  uri?: vscode.Uri | string;
  /** Seconds of the composition (the preview's "Render Range"): only that part is rendered. */
  range?: RenderRange;
  format?: OutputFormat;
  quality?: RenderQuality;
  /** Absolute, or relative to the composition's folder. */
  output?: string;
  fps?: number;
  workers?: number;
  /** Overrides hyperframesLive.render.transparent. */
  transparent?: boolean;
  /** Values for the composition's declared variables (the preview's "Render with These Values"), as --variables. */
  variables?: Record<string, unknown>;
  noPrompt?: boolean;
}

export interface FormatChoice {
  format: OutputFormat;
  quality: RenderQuality;
}

/** What "Render with Last Settings" repeats (workspaceState). */
export interface LastRender extends FormatChoice {
  uri: string;
  output?: string;
  range?: RenderRange;
  /** The preview's values ("Render with These Values"): repeated with them. */
  variables?: Record<string, unknown>;
}

export const LAST_CHOICE_KEY = 'hyperframesLive.render.lastChoice';
export const LAST_RENDER_KEY = 'hyperframesLive.render.last';
/** Each composition's last output (uri → file, a PNG folder as "<folder>.png"): where "Render As…" opens its dialog. */
export const LAST_OUTPUTS_KEY = 'hyperframesLive.render.lastOutputs';

const URI_WITH_SCHEME = /^[a-z][a-z0-9+.-]+:/i;

function toUri(value: vscode.Uri | string): vscode.Uri {
  if (typeof value !== 'string') return value;
  return URI_WITH_SCHEME.test(value) ? vscode.Uri.parse(value) : vscode.Uri.file(value);
}

function isUri(value: unknown): value is vscode.Uri {
  return value instanceof vscode.Uri;
}

function isOptions(value: unknown): value is RenderCommandOptions {
  return typeof value === 'object' && value !== null && !isUri(value) && !Array.isArray(value);
}

/**
 * The command's arguments as the callers send them: (Uri) from the editor title, (Uri, Uri[]) from the
 * explorer's multi-selection, (string) from the CodeLens, ({uri, range}) from the preview, (options).
 */
export function parseCommandArgs(first: unknown, second: unknown): { uris: vscode.Uri[]; options: RenderCommandOptions } {
  let options: RenderCommandOptions = {};
  let uris: vscode.Uri[] = [];
  if (isUri(first) || typeof first === 'string') uris = [toUri(first)];
  else if (isOptions(first)) {
    options = first;
    if (first.uri) uris = [toUri(first.uri)];
  }
  if (Array.isArray(second) && second.every(isUri) && second.length > 1) uris = second;
  else if (isOptions(second) && second.range) options = { ...options, range: second.range };
  return { uris, options };
}

/** The composition the palette means: the active editor's, when it is one. */
export function activeComposition(): vscode.Uri | undefined {
  const document = vscode.window.activeTextEditor?.document;
  return document && isComposition(document) ? document.uri : undefined;
}

/** Saves the composition first when it has unsaved changes (per the setting). false: the user backed out. */
export async function saveIfDirty(uri: vscode.Uri, settings: RenderSettings, noPrompt: boolean, log: vscode.LogOutputChannel): Promise<boolean> {
  const document = vscode.workspace.textDocuments.find(d => d.uri.toString() === uri.toString());
  if (!document?.isDirty) return true;
  const name = path.basename(uri.fsPath);
  let policy = settings.saveBeforeRender;
  if (policy === 'ask' && noPrompt) policy = 'always';
  if (policy === 'never') {
    log.info(`render: ${name} has unsaved changes; rendering the saved file (saveBeforeRender is "never")`);
    return true;
  }
  if (policy === 'ask') {
    const save = 'Save and Render';
    const saved = 'Render Saved Version';
    const choice = await vscode.window.showWarningMessage(`${name} has unsaved changes.`, { modal: true }, save, saved);
    if (choice === undefined) return false;
    if (choice === saved) return true;
  }
  if (await document.save()) return true;
  void vscode.window.showErrorMessage(`HyperFrames: ${name} could not be saved, so it was not rendered.`);
  return false;
}

interface FormatItem extends vscode.QuickPickItem {
  choice?: FormatChoice;
}

const FORMAT_LABEL: Record<UiFormat, string> = {
  mp4: 'MP4 (H.264)', webm: 'WebM (VP9)', mov: 'MOV (ProRes 4444)', gif: 'GIF', hls: 'HLS (H.264 segments)', png: 'PNG sequence',
};
/** Formats with one quality only: lossless frames, ProRes at its profile's rate, a GIF's palette. */
const SINGLE_QUALITY: Partial<Record<UiFormat, string>> = {
  png: 'one lossless PNG per frame', mov: 'ProRes 4444 with PCM audio, for editing', gif: 'palette from the frames, loops forever',
};
/** H.264 has no alpha channel: a transparent render offers neither. */
const OPAQUE_ONLY: readonly UiFormat[] = ['mp4', 'hls'];
const QUALITY_DETAIL: Record<RenderQuality, string> = {
  draft: 'fastest encode, smaller and softer',
  standard: 'balanced',
  high: 'best picture, larger, slower encode',
};

/**
 * One quick pick for format and quality; the last choice is preselected. A transparent render offers no
 * MP4 (H.264 has no alpha channel). undefined: dismissed.
 */
export async function pickFormat(entryFile: string, outputFolder: string, preselect: FormatChoice, range?: RenderRange, transparent = false): Promise<FormatChoice | undefined> {
  const items: FormatItem[] = [];
  for (const format of transparent ? FORMATS.filter(f => !OPAQUE_ONLY.includes(f)) : FORMATS) {
    const output = vscode.workspace.asRelativePath(outputPathFor(entryFile, format, outputFolder, undefined, range));
    items.push({ label: FORMAT_LABEL[format], kind: vscode.QuickPickItemKind.Separator });
    // A PNG sequence is lossless: quality changes nothing there.
    const single = SINGLE_QUALITY[format];
    const qualities = single ? ['standard' as const] : QUALITIES;
    for (const quality of qualities) {
      items.push({
        label: single ? `$(file-media) ${FORMAT_LABEL[format]}` : `$(device-camera-video) ${FORMAT_LABEL[format]} · ${quality}`,
        description: (single ?? QUALITY_DETAIL[quality]) + (transparent ? ' · transparent' : ''),
        detail: `→ ${output}`,
        choice: { format, quality },
      });
    }
  }
  const pick = vscode.window.createQuickPick<FormatItem>();
  const span = range ? ` from ${Number(range.start.toFixed(2))} s to ${Number(range.end.toFixed(2))} s` : '';
  pick.title = `Render ${compositionName(entryFile)}${span}`;
  pick.placeholder = transparent ? 'Output format and quality (transparent: hyperframesLive.render.transparent)' : 'Output format and quality';
  pick.items = items;
  // Kept open when the focus moves: a walkthrough page that checks off its step on the click that opened
  // this pick re-renders and takes the focus, which would otherwise dismiss it at once.
  pick.ignoreFocusOut = true;
  const selected = items.find(i => i.choice?.format === preselect.format && (SINGLE_QUALITY[preselect.format] !== undefined || i.choice.quality === preselect.quality));
  if (selected) pick.activeItems = [selected];
  try {
    return await new Promise<FormatChoice | undefined>(resolve => {
      pick.onDidAccept(() => resolve(pick.selectedItems[0]?.choice));
      pick.onDidHide(() => resolve(undefined));
      pick.show();
    });
  } finally {
    pick.dispose();
  }
}

/** The request for one composition, with every decision made. */
export function buildRequest(uri: vscode.Uri, choice: FormatChoice, options: RenderCommandOptions, settings: RenderSettings): RenderJobRequest {
  const entryFile = uri.fsPath;
  const transparent = options.transparent ?? settings.transparent;
  // MP4 and HLS (H.264) have no alpha channel: a transparent render whose format came from the settings or
  // the last choice goes to WebM (as the CLI's default does); an explicit `format: 'mp4'` still gets the engine's error.
  const format = transparent && OPAQUE_ONLY.includes(choice.format) && options.format !== choice.format ? 'webm' : choice.format;
  return {
    name: compositionName(entryFile),
    uri: uri.toString(),
    options: {
      entryFile,
      outputPath: outputPathFor(entryFile, format, settings.outputFolder, options.output, options.range),
      format,
      quality: choice.quality,
      fps: options.fps ?? settings.fps,
      range: options.range,
      workers: options.workers ?? settings.workers,
      ...(transparent ? { transparent: true } : {}),
      ...(options.variables && Object.keys(options.variables).length > 0 ? { variables: options.variables } : {}),
      chromiumPath: settings.chromiumPath,
      ffmpegPath: settings.ffmpegPath,
      ...(settings.videoFrameCacheDir ? { videoFrameCacheDir: settings.videoFrameCacheDir } : {}),
      ...(settings.videoFrameCacheBytes !== undefined ? { videoFrameCacheBytes: settings.videoFrameCacheBytes } : {}),
    },
    ...(settings.farm ? { farm: { redisUrl: settings.farm, ...(settings.farmStorageFolder ? { storageDir: settings.farmStorageFolder } : {}) } } : {}),
  };
}
