// Locators for the external tools the engine runs: Chromium and ffmpeg/ffprobe. Each follows one
// documented order and fails with a message that says what to do, in words neutral to the caller:
// the CLI adds its flag (--chromium/--ffmpeg), the extension its setting.
//   Chromium: explicit path (setting/flag) → $HYPERFRAMES_CHROMIUM → chromium-headless-shell → chromium → PATH
//   ffmpeg:   explicit path (setting/flag) → $HYPERFRAMES_FFMPEG → ffmpeg-static's binary if present → PATH
//   ffprobe:  beside the ffmpeg found → PATH
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

export type ToolSource = 'setting' | 'env' | 'bundled' | 'known-path' | 'PATH';

export interface LocatedTool {
  path: string;
  source: ToolSource;
}

export interface LocatedChromium extends LocatedTool {
  /** chromium-headless-shell supports HeadlessExperimental.beginFrame; the full browser does not. */
  kind: 'headless-shell' | 'chromium';
}

export class ToolNotFoundError extends Error {
  constructor(readonly tool: 'chromium' | 'ffmpeg' | 'ffprobe', message: string) {
    super(message);
    this.name = 'ToolNotFoundError';
  }
}

const HEADLESS_SHELL_PATHS = ['/usr/lib/chromium/chromium-headless-shell', '/usr/bin/chromium-headless-shell'];
const CHROMIUM_PATHS = ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome', '/usr/bin/google-chrome-stable'];
const CHROMIUM_PATH_NAMES = ['chromium-headless-shell', 'chromium', 'chromium-browser', 'google-chrome', 'google-chrome-stable'];

function isExecutable(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

export function findOnPath(name: string, envPath = process.env.PATH ?? ''): string | undefined {
  for (const dir of envPath.split(path.delimiter)) {
    if (!dir) continue;
    const candidate = path.join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function chromiumKind(file: string): LocatedChromium['kind'] {
  return /headless[-_]shell/.test(path.basename(file)) ? 'headless-shell' : 'chromium';
}

export interface ChromiumLocatorOptions {
  /** hyperframesLive.chromiumPath or --chromium. */
  explicitPath?: string;
  env?: NodeJS.ProcessEnv;
}

export function locateChromium(options: ChromiumLocatorOptions = {}): LocatedChromium {
  const env = options.env ?? process.env;
  const explicit = options.explicitPath?.trim();
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new ToolNotFoundError('chromium', `Chromium not found at "${explicit}". Give the path of a Chromium or chromium-headless-shell executable, or none to search the usual places.`);
    }
    return { path: explicit, source: 'setting', kind: chromiumKind(explicit) };
  }
  const fromEnv = env.HYPERFRAMES_CHROMIUM?.trim();
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new ToolNotFoundError('chromium', `HYPERFRAMES_CHROMIUM points at "${fromEnv}", which is not an executable file. Fix or unset it.`);
    }
    return { path: fromEnv, source: 'env', kind: chromiumKind(fromEnv) };
  }
  for (const known of [...HEADLESS_SHELL_PATHS, ...CHROMIUM_PATHS]) {
    if (isExecutable(known)) return { path: known, source: 'known-path', kind: chromiumKind(known) };
  }
  for (const name of CHROMIUM_PATH_NAMES) {
    const found = findOnPath(name, env.PATH);
    if (found) return { path: found, source: 'PATH', kind: chromiumKind(found) };
  }
  throw new ToolNotFoundError('chromium', 'Chromium was not found. Install it (Debian/Ubuntu: `sudo apt-get install chromium chromium-headless-shell`; macOS: `brew install --cask chromium`), or set HYPERFRAMES_CHROMIUM to its executable.');
}

export interface FfmpegLocatorOptions {
  /** hyperframesLive.ffmpegPath or --ffmpeg. */
  explicitPath?: string;
  env?: NodeJS.ProcessEnv;
}

/** ffmpeg-static's binary, when its install actually put one in place (offline installs do not). */
function ffmpegStaticBinary(): string | undefined {
  try {
    const pkg = require.resolve('ffmpeg-static/package.json');
    const binary = path.join(path.dirname(pkg), 'ffmpeg');
    return isExecutable(binary) ? binary : undefined;
  } catch {
    return undefined;
  }
}

export function locateFfmpeg(options: FfmpegLocatorOptions = {}): LocatedTool {
  const env = options.env ?? process.env;
  const explicit = options.explicitPath?.trim();
  if (explicit) {
    if (!isExecutable(explicit)) {
      throw new ToolNotFoundError('ffmpeg', `ffmpeg not found at "${explicit}". Give the path of an ffmpeg executable, or none to use the bundled one or PATH.`);
    }
    return { path: explicit, source: 'setting' };
  }
  const fromEnv = env.HYPERFRAMES_FFMPEG?.trim();
  if (fromEnv) {
    if (!isExecutable(fromEnv)) {
      throw new ToolNotFoundError('ffmpeg', `HYPERFRAMES_FFMPEG points at "${fromEnv}", which is not an executable file. Fix or unset it.`);
    }
    return { path: fromEnv, source: 'env' };
  }
  const bundled = ffmpegStaticBinary();
  if (bundled) return { path: bundled, source: 'bundled' };
  const onPath = findOnPath('ffmpeg', env.PATH);
  if (onPath) return { path: onPath, source: 'PATH' };
  throw new ToolNotFoundError('ffmpeg', 'ffmpeg was not found. Install it (Debian/Ubuntu: `sudo apt-get install ffmpeg`; macOS: `brew install ffmpeg`; Windows: `winget install ffmpeg`), or set HYPERFRAMES_FFMPEG to its executable.');
}

export function locateFfprobe(options: FfmpegLocatorOptions = {}): LocatedTool {
  let ffmpeg: LocatedTool | undefined;
  try {
    ffmpeg = locateFfmpeg(options);
  } catch {
    ffmpeg = undefined;
  }
  if (ffmpeg) {
    const beside = path.join(path.dirname(ffmpeg.path), 'ffprobe');
    if (isExecutable(beside)) return { path: beside, source: ffmpeg.source };
  }
  const onPath = findOnPath('ffprobe', (options.env ?? process.env).PATH);
  if (onPath) return { path: onPath, source: 'PATH' };
  throw new ToolNotFoundError('ffprobe', 'ffprobe was not found (it ships with ffmpeg). Install ffmpeg (Debian/Ubuntu: `sudo apt-get install ffmpeg`; macOS: `brew install ffmpeg`), or give the path of an ffmpeg whose folder also holds ffprobe (HYPERFRAMES_FFMPEG).');
}

/** First line of `<tool> --version` / `-version`, for "Check Environment"; undefined if it fails. */
export function toolVersion(file: string, flag: '--version' | '-version', timeoutMs = 5000): Promise<string | undefined> {
  return new Promise(resolve => {
    execFile(file, [flag], { timeout: timeoutMs }, (error, stdout) => {
      if (error) return resolve(undefined);
      const line = stdout.split('\n').map(l => l.trim()).find(l => l.length > 0);
      resolve(line);
    });
  });
}
