// Headless Chromium sessions: launched offline with a throwaway profile, killed for sure on close and on
// process exit (through the one process registry, render/ownedResources.ts). WarmBrowser keeps one session
// alive for the language server and starts a fresh one after a crash or a hung page.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import puppeteer, { type Browser } from 'puppeteer-core';
import { engineChromiumFlags } from './chromiumFlags';
import { pathCreated, pathReleased, processExited, processStarted } from './render/ownedResources';
import { DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS } from './limits';
import type { Closable } from './closable';
import { type Logger, silentLogger } from './logger';
import { locateChromium, type LocatedChromium } from './tools';

/** A graceful browser.close() that takes longer than this is followed by SIGKILL. */
const BROWSER_CLOSE_GRACE_MS = 2_000;

export interface BrowserSession extends Closable {
  browser: Browser;
  chromium: LocatedChromium;
  /** True once close() ran or the browser went away (crash, kill). */
  readonly closed: boolean;
}

export interface LaunchOptions {
  /** --chromium / hyperframesLive.chromiumPath. */
  chromiumPath?: string;
  /** A page that draws with WebGPU gets the browser its render captures it with (chromiumFlags.ts). */
  webGpu?: boolean;
  logger?: Logger;
  signal?: AbortSignal;
}

/** Throws ToolNotFoundError (with the locator's message) when no Chromium is found. */
export async function launchBrowser(options: LaunchOptions = {}): Promise<BrowserSession> {
  const logger = options.logger ?? silentLogger;
  const chromium = locateChromium({ explicitPath: options.chromiumPath });
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'hyperframes-chromium-'));
  const started = Date.now();
  let browser: Browser;
  try {
    browser = await puppeteer.launch({
      executablePath: chromium.path,
      headless: chromium.kind === 'headless-shell' ? 'shell' : true,
      args: [...engineChromiumFlags({ beginFrame: false, webGpu: options.webGpu }), `--user-data-dir=${userDataDir}`],
      pipe: true,
      timeout: DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS,
      protocolTimeout: DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS * 3,
      signal: options.signal,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      defaultViewport: null,
    });
  } catch (error) {
    fs.rmSync(userDataDir, { recursive: true, force: true });
    throw error;
  }
  // The one registry of what the engine has running (render/ownedResources.ts): its exit hook kills the
  // browser and removes its profile if this process exits first, and a render worker's parent hears of both.
  const child = browser.process();
  const pid = child?.pid;
  processStarted(pid, 'browser');
  pathCreated(userDataDir);
  child?.once('exit', () => processExited(pid));
  logger.debug(`browser: ${chromium.kind}${options.webGpu ? ' (WebGPU configuration)' : ''} ${chromium.path} started in ${Date.now() - started} ms (pid ${pid ?? '?'})`);

  let closing: Promise<void> | undefined;
  const session: BrowserSession = {
    browser,
    chromium,
    get closed() {
      return closing !== undefined || !browser.connected;
    },
    close() {
      closing ??= closeBrowser(browser, userDataDir, logger);
      return closing;
    },
  };
  return session;
}

async function closeBrowser(browser: Browser, userDataDir: string, logger: Logger): Promise<void> {
  const child = browser.process();
  const exited = new Promise<void>(resolve => {
    if (!child || child.exitCode !== null || child.signalCode !== null) return resolve();
    child.once('exit', () => resolve());
  });
  let timer: NodeJS.Timeout | undefined;
  const graceOver = new Promise<'timeout'>(resolve => { timer = setTimeout(() => resolve('timeout'), BROWSER_CLOSE_GRACE_MS); });
  // A page stuck in a script can keep close() from returning; the process is killed regardless.
  const outcome = await Promise.race([browser.close().then(() => exited).catch(() => undefined), graceOver]);
  if (outcome === 'timeout' && child && child.exitCode === null && child.signalCode === null) {
    logger.warn(`browser: pid ${child.pid ?? '?'} did not close in ${BROWSER_CLOSE_GRACE_MS} ms; killing it`);
    child.kill('SIGKILL');
    await exited;
  }
  clearTimeout(timer);
  processExited(child?.pid);
  fs.rmSync(userDataDir, { recursive: true, force: true, maxRetries: 3 });
  pathReleased(userDataDir);
}

/** Which of the engine's launch configurations a warm browser runs (chromiumFlags.ts). */
export interface WarmConfiguration {
  webGpu?: boolean;
}

function configurationKey(configuration: WarmConfiguration): 'default' | 'webgpu' {
  return configuration.webGpu ? 'webgpu' : 'default';
}

/**
 * Reusable browsers for the language server: launched on first use, reused across probes, replaced when
 * one disconnected (crash) or was recycled after a hung page. One per launch configuration, so a WebGPU
 * page is probed in the browser its render uses (a second one, started only when such a page is probed).
 */
export class WarmBrowser implements Closable {
  private readonly sessions = new Map<'default' | 'webgpu', BrowserSession>();
  private readonly launching = new Map<'default' | 'webgpu', Promise<BrowserSession>>();

  constructor(private readonly options: Omit<LaunchOptions, 'signal' | 'webGpu'> = {}) {}

  async acquire(configuration: WarmConfiguration = {}): Promise<BrowserSession> {
    const key = configurationKey(configuration);
    const current = this.sessions.get(key);
    if (current && !current.closed) return current;
    if (current) {
      this.sessions.delete(key);
      await current.close();
    }
    let launching = this.launching.get(key);
    if (!launching) {
      launching = launchBrowser({ ...this.options, webGpu: configuration.webGpu }).finally(() => this.launching.delete(key));
      this.launching.set(key, launching);
    }
    const session = await launching;
    this.sessions.set(key, session);
    return session;
  }

  /** A browser is up (Check Environment shows it). */
  get running(): boolean {
    return [...this.sessions.values()].some(session => !session.closed);
  }

  /** Kills the browser of one configuration (a page hung in a script); the next acquire() starts a fresh one. */
  async recycle(configuration: WarmConfiguration = {}): Promise<void> {
    const key = configurationKey(configuration);
    const session = this.sessions.get(key);
    this.sessions.delete(key);
    await session?.close();
  }

  async close(): Promise<void> {
    const launching = [...this.launching.values()];
    const sessions = [...this.sessions.values()];
    this.sessions.clear();
    await Promise.all(sessions.map(session => session.close()));
    await Promise.all(launching.map(async pending => (await pending.catch(() => undefined))?.close()));
  }
}
