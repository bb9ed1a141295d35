// The one parser of the language server's settings: defaults, and tolerant parsing of what the client sends
// in initializationOptions and workspace/didChangeConfiguration (a wrong type keeps the previous value, a
// number out of bounds is clamped). The client builds what it sends with this same function (extension/config.ts).
import { DEFAULT_PROBE_TIMEOUT_MS, PROBE_TIMEOUT_BOUNDS_MS } from '../engine/limits';
import { SETTINGS_SECTION, type ServerSettings } from '../protocol/lsp';
import { parseRuleSettings } from '../engine/compile/lint/severity';

export const DEFAULT_SERVER_SETTINGS: ServerSettings = {
  chromiumPath: '',
  ffmpegPath: '',
  probeOnSave: true,
  probeTimeoutMs: DEFAULT_PROBE_TIMEOUT_MS,
  // Without a word from the client, assume the editor's default: a workspace the user opened is trusted.
  trusted: true,
  lintRules: {},
};

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Accepts `{ hyperframesLive: {...} }`, `{ settings: {...} }` or the settings object itself. */
function settingsObject(payload: unknown): Record<string, unknown> | undefined {
  if (!isRecord(payload)) return undefined;
  const section = payload[SETTINGS_SECTION];
  if (isRecord(section)) return section;
  if (isRecord(payload.settings)) return settingsObject(payload.settings) ?? payload.settings;
  return payload;
}

export function mergeSettings(current: ServerSettings, payload: unknown): ServerSettings {
  const raw = settingsObject(payload);
  if (!raw) return current;
  const next = { ...current };
  if (typeof raw.chromiumPath === 'string') next.chromiumPath = raw.chromiumPath.trim();
  if (typeof raw.ffmpegPath === 'string') next.ffmpegPath = raw.ffmpegPath.trim();
  if (typeof raw.probeOnSave === 'boolean') next.probeOnSave = raw.probeOnSave;
  if (typeof raw.probeTimeoutMs === 'number' && Number.isFinite(raw.probeTimeoutMs)) {
    // The manifest bounds the value in the Settings UI, but settings.json (and a raw client) can hold anything.
    next.probeTimeoutMs = Math.min(PROBE_TIMEOUT_BOUNDS_MS.max, Math.max(PROBE_TIMEOUT_BOUNDS_MS.min, raw.probeTimeoutMs));
  }
  if (typeof raw.trusted === 'boolean') next.trusted = raw.trusted;
  const lint = raw.lint;
  if (isRecord(raw.lintRules)) next.lintRules = { ...parseRuleSettings(raw.lintRules) };
  else if (isRecord(lint) && isRecord(lint.rules)) next.lintRules = { ...parseRuleSettings(lint.rules) };
  return next;
}

/** Probing runs the composition's scripts: only in a trusted workspace, and only when the user wants it. */
export function canProbe(settings: ServerSettings): boolean {
  return settings.trusted && settings.probeOnSave;
}
