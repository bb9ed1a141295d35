// "HyperFrames: Check Environment": which Chromium, ffmpeg and ffprobe probing and rendering would use, where
// each came from, its version, and why not when one is missing. The language server answers when it runs (it
// is what actually launches them); otherwise the server's own check (server/lsp/environment.ts, the three
// lookups in parallel) runs here in the extension host, with the same settings parser.
import type { CheckEnvironmentRequest, ToolReport } from '../server/protocol/lsp';
import { checkEnvironment } from '../server/lsp/environment';
import { readServerSettings, SettingIds } from './config';

export type EnvironmentReport = CheckEnvironmentRequest.Result;

/** Where the report came from: the running language server, or the locators run in the extension host. */
export type ReportOrigin = 'language server' | 'extension host';

export function checkEnvironmentLocally(trusted: boolean, extensionVersion: string): Promise<EnvironmentReport> {
  return checkEnvironment(readServerSettings(trusted), false, `${extensionVersion} (server not running)`);
}

/** The report as lines for the log: one section, one tool per line, then the reasons. */
export function formatEnvironmentReport(result: EnvironmentReport, origin: ReportOrigin): string[] {
  const tool = (name: string, tool: ToolReport & { kind?: string }): string => {
    if (!tool.found) return `${name}: NOT FOUND — ${tool.error ?? 'no reason given'}`;
    const kind = tool.kind ? `, ${tool.kind}` : '';
    const version = tool.version ?? `version unknown${tool.error ? ` — ${tool.error}` : ''}`;
    return `${name}: ${tool.path} (from ${describeSource(tool.source)}${kind}) — ${version}`;
  };
  return [
    `── Environment (asked the ${origin}) ──`,
    tool('Chromium', result.chromium),
    tool('ffmpeg  ', result.ffmpeg),
    tool('ffprobe ', result.ffprobe),
    `Probe on save: ${result.probeOnSave ? 'on' : 'off'}; workspace ${result.trusted ? 'trusted' : 'NOT trusted (probing and rendering are off)'}; probe browser ${result.browserRunning ? 'running' : 'not running'}`,
    `Server ${result.serverVersion}, Node ${result.nodeVersion}`,
  ];
}

function describeSource(source: ToolReport['source']): string {
  switch (source) {
    case 'setting': return `your setting (${SettingIds.chromiumPath} / ${SettingIds.ffmpegPath})`;
    case 'env': return 'an environment variable';
    case 'bundled': return 'the bundled copy';
    case 'known-path': return 'a known install path';
    case 'PATH': return 'PATH';
    default: return 'an unknown place';
  }
}

/** One sentence for the notification: what is usable, what is missing. */
export function summarizeEnvironmentReport(result: EnvironmentReport): { text: string; ok: boolean } {
  const missing = (['chromium', 'ffmpeg', 'ffprobe'] as const).filter(name => !result[name].found);
  const chromium = result.chromium.found ? `Chromium ${shortVersion(result.chromium.version) ?? '(version unknown)'}` : undefined;
  const ffmpeg = result.ffmpeg.found ? `ffmpeg ${shortVersion(result.ffmpeg.version) ?? '(version unknown)'}` : undefined;
  const found = [chromium, ffmpeg].filter((part): part is string => part !== undefined);
  if (missing.length === 0) return { text: `HyperFrames: found ${found.join(' and ')}.`, ok: true };
  const names = missing.map(name => ({ chromium: 'Chromium', ffmpeg: 'ffmpeg', ffprobe: 'ffprobe' })[name]);
  return { text: `HyperFrames: ${names.join(' and ')} not found${found.length ? ` (found ${found.join(' and ')})` : ''}. See the log for why and what to do.`, ok: false };
}

/** "Chromium 156.0.8078.108 built on Debian" → "156.0.8078.108"; "ffmpeg version 5.1.9-0+deb12u1 …" → "5.1.9-0+deb12u1". */
function shortVersion(line: string | undefined): string | undefined {
  return line?.match(/\d+(?:\.\d+)+\S*/)?.[0] ?? line;
}
