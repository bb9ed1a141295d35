// A typed view of the `hyperframesLive.*` settings the client and the language server read. Settings other
// parts of the extension own (render.*, preview.*) are read where they are used.
import * as vscode from 'vscode';
import { SETTINGS_SECTION, type ServerSettings } from '../server/protocol/lsp';
import { DEFAULT_PROBE_TIMEOUT_MS } from '../server/engine/limits';
import { parseRuleSettings } from '../server/engine/compile/lint/severity';

/** Bounds of hyperframesLive.probeTimeoutMs, the same as the manifest's minimum/maximum. */
export const PROBE_TIMEOUT_BOUNDS_MS = { min: 1_000, max: 60_000 } as const;

/** Full setting ids, for "Open Settings" actions. */
export const SettingIds = {
  chromiumPath: `${SETTINGS_SECTION}.chromiumPath`,
  ffmpegPath: `${SETTINGS_SECTION}.ffmpegPath`,
  probeOnSave: `${SETTINGS_SECTION}.probeOnSave`,
  probeTimeoutMs: `${SETTINGS_SECTION}.probeTimeoutMs`,
  lintRules: `${SETTINGS_SECTION}.lint.rules`,
} as const;

/** The settings the language server needs, as the user has them now, plus the workspace's trust. */
export function readServerSettings(trusted: boolean): ServerSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  const timeout = config.get<number>('probeTimeoutMs', DEFAULT_PROBE_TIMEOUT_MS);
  return {
    chromiumPath: config.get<string>('chromiumPath', '').trim(),
    ffmpegPath: config.get<string>('ffmpegPath', '').trim(),
    probeOnSave: config.get<boolean>('probeOnSave', true),
    // The manifest bounds the value in the Settings UI, but settings.json can hold anything.
    probeTimeoutMs: Number.isFinite(timeout)
      ? Math.min(PROBE_TIMEOUT_BOUNDS_MS.max, Math.max(PROBE_TIMEOUT_BOUNDS_MS.min, timeout))
      : DEFAULT_PROBE_TIMEOUT_MS,
    trusted,
    lintRules: { ...parseRuleSettings(config.get<unknown>('lint.rules', {})) },
  };
}

/** Whether a configuration change touches something the language server reads. */
export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return Object.values(SettingIds).some(id => event.affectsConfiguration(id));
}
