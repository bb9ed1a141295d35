// A typed view of the `hyperframesLive.*` settings the client and the language server read. Settings other
// parts of the extension own (render.*, preview.*) are read where they are used.
import * as vscode from 'vscode';
import { SETTINGS_SECTION, type ServerSettings } from '../server/protocol/lsp';
import { DEFAULT_SERVER_SETTINGS, mergeSettings } from '../server/lsp/settings';

/** Full setting ids, for "Open Settings" actions. */
export const SettingIds = {
  chromiumPath: `${SETTINGS_SECTION}.chromiumPath`,
  ffmpegPath: `${SETTINGS_SECTION}.ffmpegPath`,
  probeOnSave: `${SETTINGS_SECTION}.probeOnSave`,
  probeTimeoutMs: `${SETTINGS_SECTION}.probeTimeoutMs`,
  lintRules: `${SETTINGS_SECTION}.lint.rules`,
} as const;

/** The settings the language server needs, as the user has them now, plus the workspace's trust (the server's own parser). */
export function readServerSettings(trusted: boolean): ServerSettings {
  const config = vscode.workspace.getConfiguration(SETTINGS_SECTION);
  return mergeSettings({ ...DEFAULT_SERVER_SETTINGS, trusted }, {
    chromiumPath: config.get<unknown>('chromiumPath'),
    ffmpegPath: config.get<unknown>('ffmpegPath'),
    probeOnSave: config.get<unknown>('probeOnSave'),
    probeTimeoutMs: config.get<unknown>('probeTimeoutMs'),
    lintRules: config.get<unknown>('lint.rules', {}),
  });
}

/** Whether a configuration change touches something the language server reads. */
export function affectsServer(event: vscode.ConfigurationChangeEvent): boolean {
  return Object.values(SettingIds).some(id => event.affectsConfiguration(id));
}
