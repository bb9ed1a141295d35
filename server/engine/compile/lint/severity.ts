// Rule configuration, as ESLint has it: `{ "<code>": "off" | "info" | "warning" | "error" }`, from the
// project's hyperframes.json (`"lint": { "rules": {…} }`, shared by the CLI and the editor) and the editor's
// `hyperframesLive.lint.rules` (which wins). This module is the one place that decides a finding's
// severity; any diagnostic code can be configured, the reference's and ours.
import fs from 'node:fs';
import path from 'node:path';
import type { EngineDiagnostic, Severity } from '../../model';
import { PROJECT_MARKER } from '../../project';

export type RuleSetting = 'off' | Severity;
export type LintRuleSettings = Readonly<Record<string, RuleSetting>>;

const SETTINGS = new Set<string>(['off', 'info', 'warning', 'error']);
/** ESLint's spellings, so a team can paste its habits. */
const ALIASES: Record<string, RuleSetting> = { warn: 'warning', information: 'info', '0': 'off', '1': 'warning', '2': 'error' };

/** Keeps the entries that name a setting; anything else is ignored (a typo must not silence every rule). */
export function parseRuleSettings(raw: unknown): LintRuleSettings {
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return {};
  const out: Record<string, RuleSetting> = {};
  for (const [code, value] of Object.entries(raw)) {
    const text = String(Array.isArray(value) ? value[0] : value).trim().toLowerCase();
    const setting = SETTINGS.has(text) ? text as RuleSetting : ALIASES[text];
    if (setting) out[code] = setting;
  }
  return out;
}

export function mergeRuleSettings(...layers: (LintRuleSettings | undefined)[]): LintRuleSettings {
  return Object.assign({}, ...layers.filter(Boolean));
}

const projectCache = new Map<string, { mtimeMs: number; settings: LintRuleSettings }>();

/** `lint.rules` of the project's hyperframes.json (re-read when the file changes). */
export function projectRuleSettings(projectRoot: string): LintRuleSettings {
  const file = path.join(projectRoot, PROJECT_MARKER);
  let mtimeMs: number;
  try {
    mtimeMs = fs.statSync(file).mtimeMs;
  } catch {
    projectCache.delete(file);
    return {};
  }
  const cached = projectCache.get(file);
  if (cached && cached.mtimeMs === mtimeMs) return cached.settings;
  let settings: LintRuleSettings = {};
  try {
    const json: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
    const lint = typeof json === 'object' && json !== null ? (json as { lint?: unknown }).lint : undefined;
    settings = parseRuleSettings(typeof lint === 'object' && lint !== null ? (lint as { rules?: unknown }).rules : undefined);
  } catch {
    settings = {};
  }
  projectCache.set(file, { mtimeMs, settings });
  return settings;
}

/** Drops the rules turned off and gives the others their configured severity. */
export function applyRuleSettings(diagnostics: readonly EngineDiagnostic[], settings: LintRuleSettings): EngineDiagnostic[] {
  const out: EngineDiagnostic[] = [];
  for (const diagnostic of diagnostics) {
    const setting = Object.prototype.hasOwnProperty.call(settings, diagnostic.code) ? settings[diagnostic.code] : undefined;
    if (setting === 'off') continue;
    out.push(setting && setting !== diagnostic.severity ? { ...diagnostic, severity: setting } : diagnostic);
  }
  return out;
}
