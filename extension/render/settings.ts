// A typed view of the `hyperframesLive.render.*` settings (the manifest declares them with the same defaults),
// plus the tool paths the render worker is given.
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/protocol/lsp';
import type { RenderQuality } from '../../server/engine/render/types';
import { readServerSettings } from '../config';
import { FORMATS, type UiFormat } from './output';

export const RENDER_SETTINGS_SECTION = `${SETTINGS_SECTION}.render`;

export type SaveBeforeRender = 'always' | 'ask' | 'never';

export { FORMATS, type UiFormat } from './output';
export const QUALITIES: readonly RenderQuality[] = ['draft', 'standard', 'high'];
const SAVE_CHOICES: readonly SaveBeforeRender[] = ['always', 'ask', 'never'];

export const DEFAULT_OUTPUT_FOLDER = 'renders';
/** Highest hyperframesLive.render.maxConcurrent (each render runs its own browsers and ffmpeg). */
export const MAX_CONCURRENT_RENDERS = 8;

export interface RenderSettings {
  /** undefined: the composition's data-fps. */
  fps: number | undefined;
  quality: RenderQuality;
  format: UiFormat;
  /** undefined: the engine chooses. */
  workers: number | undefined;
  /** Keep the alpha channel (WebM, MOV, GIF or PNG; the engine refuses MP4 and HLS). */
  transparent: boolean;
  /** Relative to the composition's folder (or absolute). */
  outputFolder: string;
  maxConcurrent: number;
  saveBeforeRender: SaveBeforeRender;
  chromiumPath: string | undefined;
  ffmpegPath: string | undefined;
  /** The video frame cache's folder (undefined: the engine's default) and size limit in bytes (undefined: default; 0 keeps nothing). */
  videoFrameCacheDir: string | undefined;
  videoFrameCacheBytes: number | undefined;
  /** A render farm's Redis (redis://HOST:PORT): renders are submitted there; undefined renders here. */
  farm: string | undefined;
  /** A folder every farm worker mounts, for plans and chunks; undefined: Redis holds them. */
  farmStorageFolder: string | undefined;
}

function oneOf<T extends string>(value: string | undefined, allowed: readonly T[], fallback: T): T {
  return allowed.find(a => a === value) ?? fallback;
}

/** A positive whole number, or undefined for 0 / nonsense (settings.json can hold anything). */
function positive(value: number | undefined, integer: boolean): number | undefined {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) return undefined;
  return integer ? Math.floor(value) : value;
}

/** The cache size setting in MiB as bytes: undefined for nonsense (the engine's default), 0 keeps nothing. */
function cacheBytes(megabytes: number | undefined): number | undefined {
  if (typeof megabytes !== 'number' || !Number.isFinite(megabytes) || megabytes < 0) return undefined;
  return Math.round(megabytes * 1024 * 1024);
}

/** A non-empty string setting, trimmed; undefined for empty or nonsense (settings.json can hold anything). */
function stringSetting(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() ? value.trim() : undefined;
}

/** The settings as they apply to `composition` (most are resource-scoped: a folder may set its own). */
export function readRenderSettings(composition?: vscode.Uri): RenderSettings {
  const config = vscode.workspace.getConfiguration(RENDER_SETTINGS_SECTION, composition);
  const tools = readServerSettings(vscode.workspace.isTrusted);
  const maxConcurrent = positive(config.get<number>('maxConcurrent'), true) ?? 1;
  return {
    fps: positive(config.get<number>('fps'), false),
    quality: oneOf(config.get<string>('quality'), QUALITIES, 'standard'),
    format: oneOf(config.get<string>('format'), FORMATS, 'mp4'),
    workers: positive(config.get<number>('workers'), true),
    transparent: config.get<boolean>('transparent') === true,
    outputFolder: config.get<string>('outputFolder', DEFAULT_OUTPUT_FOLDER).trim() || DEFAULT_OUTPUT_FOLDER,
    maxConcurrent: Math.min(MAX_CONCURRENT_RENDERS, maxConcurrent),
    saveBeforeRender: oneOf(config.get<string>('saveBeforeRender'), SAVE_CHOICES, 'always'),
    chromiumPath: tools.chromiumPath || undefined,
    ffmpegPath: tools.ffmpegPath || undefined,
    videoFrameCacheDir: config.get<string>('videoFrameCacheFolder', '').trim() || undefined,
    videoFrameCacheBytes: cacheBytes(config.get<number>('videoFrameCacheSizeMb')),
    // Passed on as written: a URL that is not redis:// fails the render with farm-redis-unavailable, which says so.
    farm: stringSetting(config.get<unknown>('farm')),
    farmStorageFolder: stringSetting(config.get<unknown>('farmStorageFolder')),
  };
}
