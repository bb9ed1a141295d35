// "HyperFrames: Check Environment": which Chromium, ffmpeg and ffprobe probing and rendering would use, where
// each came from, its version, and why not when one is missing. The language server answers when it runs (it
// is what actually launches them); otherwise the same locators run here in the extension host.
import type { CheckEnvironmentRequest, ToolReport } from '../server/protocol/lsp';
import { withToolSetting } from '../server/protocol/toolSettings';
import {
  locateChromium, locateFfmpeg, locateFfprobe, ToolNotFoundError, toolVersion, type LocatedTool,
} from '../server/engine/tools';
import { readServerSettings, SettingIds } from './config';

export type EnvironmentReport = CheckEnvironmentRequest.Result;

/** Where the report came from: the running language server, or the locators run in the extension host. */
export type ReportOrigin = 'language server' | 'extension host';

export async function checkEnvironmentLocally(trusted: boolean, extensionVersion: string): Promise<EnvironmentReport> {
  const settings = readServerSettings(trusted);
  const chromium = await report(() => locateChromium({ explicitPath: settings.chromiumPath }), '--version');
  const ffmpeg = await report(() => locateFfmpeg({ explicitPath: settings.ffmpegPath }), '-version');
  const ffprobe = await report(() => locateFfprobe({ explicitPath: settings.ffmpegPath }), '-version');
  return {
    chromium,
    ffmpeg,
    ffprobe,
    browserRunning: false,
    trusted,
    probeOnSave: settings.probeOnSave,
    serverVersion: `${extensionVersion} (server not running)`,
    nodeVersion: process.version,
  };
}

async function report<T extends LocatedTool>(locate: () => T, versionFlag: '--version' | '-version'): Promise<ToolReport & Partial<T>> {
  let found: T;
  try {
    found = locate();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { found: false, error: error instanceof ToolNotFoundError ? withToolSetting(error.tool, message) : message } as ToolReport & Partial<T>;
  }
  const version = await toolVersion(found.path, versionFlag);
  return version === undefined
    ? { ...found, found: true, error: `${found.path} did not answer ${versionFlag}: it may not be the right program, or it cannot run here.` }
    : { ...found, found: true, version };
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
