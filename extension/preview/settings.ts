// A typed view of the hyperframesLive.preview.* settings.
import * as vscode from 'vscode';
import { SETTINGS_SECTION } from '../../server/protocol/lsp';
import { DEFAULT_RELOAD_ON_TYPE_DELAY_MS, RELOAD_ON_TYPE_DELAY_BOUNDS_MS } from './limits';

export interface PreviewSettings {
  /** Reload the preview from unsaved text while typing (debounced). */
  reloadOnType: boolean;
  reloadOnTypeDelayMs: number;
  /** Moving the cursor into a clip's element seeks the preview to the clip's start. */
  seekOnCursor: boolean;
}

export const PREVIEW_SETTINGS_SECTION = `${SETTINGS_SECTION}.preview`;

export function readPreviewSettings(): PreviewSettings {
  const config = vscode.workspace.getConfiguration(PREVIEW_SETTINGS_SECTION);
  const delay = config.get<number>('reloadOnTypeDelayMs', DEFAULT_RELOAD_ON_TYPE_DELAY_MS);
  return {
    reloadOnType: config.get<boolean>('reloadOnType', false),
    // settings.json can hold anything; the manifest's bounds only guard the Settings UI.
    reloadOnTypeDelayMs: Number.isFinite(delay)
      ? Math.min(RELOAD_ON_TYPE_DELAY_BOUNDS_MS.max, Math.max(RELOAD_ON_TYPE_DELAY_BOUNDS_MS.min, delay))
      : DEFAULT_RELOAD_ON_TYPE_DELAY_MS,
    seekOnCursor: config.get<boolean>('seekOnCursor', false),
  };
}
