// "HyperFrames: Check Environment": which Chromium, ffmpeg and ffprobe the server would use, with versions.
import { locateChromium, locateFfmpeg, locateFfprobe, ToolNotFoundError, toolVersion, type LocatedTool } from '../engine/tools';
import { withToolSetting } from '../protocol/toolSettings';
import type { CheckEnvironmentRequest, ChromiumReport, ServerSettings, ToolReport } from '../protocol/lsp';

async function report<T extends LocatedTool>(locate: () => T, versionFlag: '--version' | '-version'): Promise<ToolReport & { located?: T }> {
  let located: T;
  try {
    located = locate();
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    return { found: false, error: error instanceof ToolNotFoundError ? withToolSetting(error.tool, message) : message };
  }
  const version = await toolVersion(located.path, versionFlag);
  const result: ToolReport & { located?: T } = { found: true, path: located.path, source: located.source, located };
  if (version) result.version = version;
  else result.error = `${located.path} was found but \`${versionFlag}\` failed: it may not be a working executable.`;
  return result;
}

export async function checkEnvironment(settings: ServerSettings, browserRunning: boolean, serverVersion: string): Promise<CheckEnvironmentRequest.Result> {
  const [chromium, ffmpeg, ffprobe] = await Promise.all([
    report(() => locateChromium({ explicitPath: settings.chromiumPath }), '--version'),
    report(() => locateFfmpeg({ explicitPath: settings.ffmpegPath }), '-version'),
    report(() => locateFfprobe({ explicitPath: settings.ffmpegPath }), '-version'),
  ]);
  const strip = ({ located: _located, ...tool }: ToolReport & { located?: unknown }): ToolReport => tool;
  const chromiumReport: ChromiumReport = strip(chromium);
  if (chromium.located) chromiumReport.kind = chromium.located.kind;
  return {
    chromium: chromiumReport,
    ffmpeg: strip(ffmpeg),
    ffprobe: strip(ffprobe),
    browserRunning,
    trusted: settings.trusted,
    probeOnSave: settings.probeOnSave,
    serverVersion,
    nodeVersion: process.version,
  };
}
