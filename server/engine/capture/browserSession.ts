// A capture browser: one Chromium process with one page loaded at the composition's size, able to seek
// through the in-page runtime and grab the pixels of the current frame.
//
// Two modes. `beginframe` drives chromium-headless-shell's compositor directly with
// HeadlessExperimental.beginFrame: one CDP call runs layout, paint and composite and returns the image,
// with no wait on the 60 Hz display clock (1.7× faster at 1080p on this machine). It needs its own launch
// flags and a target created with enableBeginFrameControl, so capture launches its own browser rather
// than reusing the probe's. `screenshot` uses Page.captureScreenshot on any Chromium: the fallback when
// the binary is not the headless shell, or when BeginFrame does not answer. Both keep the alpha channel of
// a PNG when the page's default background is made transparent (measured on Chromium 156).
import puppeteer, { type Browser, type CDPSession, type Page } from 'puppeteer-core';
import { engineChromiumFlags } from '../chromiumFlags';
import { RENDER_CAPTURE_MODE_SCRIPT, RESOLVE_COMPOSITE_EXPRESSION, seekExpression } from './pageComposite';
import { DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS, DEFAULT_SEEK_TIMEOUT_MS, JPEG_CAPTURE_QUALITY, LATE_FRAME_RETRY_MAX_PAUSE_MS, LATE_FRAME_TIMEOUT_MS, RUNTIME_START_TIMEOUT_MS } from '../limits';
import { runtimeReadyExpression } from '../runtime/ready';
import type { Closable } from '../closable';
import type { Logger } from '../logger';
import { pathCreated, pathReleased, processExited, processStarted } from '../render/ownedResources';

export type CaptureMode = 'beginframe' | 'screenshot';
export type FrameImageFormat = 'jpeg' | 'png';

export interface CaptureBrowserOptions {
  chromiumPath: string;
  mode: CaptureMode;
  /** The page draws with WebGPU: launch with a GPU process (chromiumFlags.ts). */
  webGpu?: boolean;
  width: number;
  height: number;
  fps: number;
  format: FrameImageFormat;
  /** Pixels per CSS pixel (1 by default): the layout stays width×height, the frames are N× that. */
  deviceScaleFactor?: number;
  /** Transparent default background (frames must then be PNG, whose alpha the capture keeps). */
  transparent?: boolean;
  logger: Logger;
  signal?: AbortSignal;
}

/** BeginFrame reports "no damage" when nothing changed: the previous image is the frame. */
interface BeginFrameResult {
  hasDamage: boolean;
  screenshotData?: string;
}

interface RuntimeEvaluateResult {
  result: { value?: unknown; description?: string };
  exceptionDetails?: { text: string; exception?: { description?: string } };
}

export class CaptureBrowser implements Closable {
  /** Frames the renderer delivered late (no damage at the first BeginFrame after a change), for the capture's log. */
  lateFrames = 0;
  private ticks = 0;
  private readonly tickBaseMs: number;
  private readonly intervalMs: number;

  private constructor(
    readonly browser: Browser,
    readonly page: Page,
    private readonly session: CDPSession,
    readonly mode: CaptureMode,
    private readonly options: CaptureBrowserOptions,
  ) {
    this.intervalMs = 1000 / options.fps;
    // frameTimeTicks must be on the browser's monotonic clock (ms of uptime), which on Linux is the
    // same CLOCK_MONOTONIC that process.hrtime reads; an arbitrary base freezes rAF and CSS time.
    this.tickBaseMs = Number(process.hrtime.bigint() / 1_000_000n) + 1000;
  }

  /** The browser's process id, for tests and for killing the tree on an unclean exit. */
  get pid(): number | undefined {
    return this.browser.process()?.pid;
  }

  /** Launches the browser and prepares its page; load() then opens the composition in it. */
  static async launch(options: CaptureBrowserOptions): Promise<CaptureBrowser> {
    const { width, height, mode } = options;
    const scale = options.deviceScaleFactor ?? 1;
    const browser = await puppeteer.launch({
      executablePath: options.chromiumPath,
      headless: mode === 'beginframe' ? 'shell' : true,
      // BeginFrame's screenshots come from the compositor, which the viewport's emulated scale does not
      // reach: the browser itself must run at the factor (measured: setViewport alone gave 1× frames).
      args: [...engineChromiumFlags({ beginFrame: mode === 'beginframe', webGpu: options.webGpu }), `--window-size=${width},${height}`,
        ...(scale !== 1 ? [`--force-device-scale-factor=${scale}`] : [])],
      defaultViewport: null,
      handleSIGINT: false,
      handleSIGTERM: false,
      handleSIGHUP: false,
      pipe: true,
      timeout: DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS,
      protocolTimeout: DEFAULT_SEEK_TIMEOUT_MS * 3,
      signal: options.signal,
    });
    const owned = ownBrowserProcess(browser);
    try {
      const page = mode === 'beginframe' ? await openBeginFramePage(browser) : await browser.newPage();
      await page.setViewport({ width, height, deviceScaleFactor: scale });
      const session = await page.createCDPSession();
      const capture = new CaptureBrowser(browser, page, session, mode, options);
      await page.evaluateOnNewDocument(RENDER_CAPTURE_MODE_SCRIPT);
      // The page's canvas behind html/body: fully transparent instead of white. Set on the target, it
      // holds across the navigation load() makes.
      if (options.transparent) {
        await session.send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } });
      }
      if (mode === 'beginframe') await session.send('HeadlessExperimental.enable' as never);
      return capture;
    } catch (error) {
      await browser.close().catch(() => undefined);
      owned.release();
      throw error;
    }
  }

  /** Opens the composition and waits until its runtime is ready (load, fonts, media metadata). */
  async load(url: string): Promise<void> {
    const { page } = this;
    // With BeginFrame control nothing runs its animation frames until we ask, but the load event still
    // fires; keep ticking while loading so rAF-gated loaders make progress. These ticks ask for no display
    // update: one that does, sent while the navigation swaps the page's renderer, was seen to get no answer
    // (the protocol's timeout, 30 s, under load) and to leave Chromium holding it, so that every later
    // BeginFrame failed with "Another frame is pending" (the reference's warm-up ticks do the same).
    const navigation = page.goto(url, { waitUntil: 'load', timeout: DEFAULT_BROWSER_LAUNCH_TIMEOUT_MS });
    if (this.mode === 'beginframe') {
      let loaded = false;
      void navigation.then(() => { loaded = true; }, () => { loaded = true; });
      while (!loaded) {
        await this.beginFrame(false, { noDisplayUpdates: true }).catch(() => undefined);
        await new Promise(resolve => setTimeout(resolve, 5));
      }
    }
    await navigation;
    if (!(await this.evaluate<boolean>(runtimeReadyExpression(RUNTIME_START_TIMEOUT_MS)))) throw new Error('The in-page runtime did not load.');
  }

  /** Runs an expression in the page (awaiting a returned promise) and returns its JSON value. */
  async evaluate<T = unknown>(expression: string): Promise<T> {
    const response = (await this.session.send('Runtime.evaluate', {
      expression,
      awaitPromise: true,
      returnByValue: true,
    })) as RuntimeEvaluateResult;
    if (response.exceptionDetails) {
      const detail = response.exceptionDetails.exception?.description ?? response.exceptionDetails.text;
      throw new Error(detail);
    }
    return response.result.value as T;
  }

  /** Seeks the runtime to `seconds` and waits until the seek has settled. */
  async seek(seconds: number): Promise<void> {
    if (await this.evaluate<boolean>(seekExpression(seconds))) await this.paintPageComposite();
  }

  /** A shader-transition frame (pageComposite.ts): paint the staged scenes once, then composite them. */
  private async paintPageComposite(): Promise<void> {
    if (this.mode === 'beginframe') await this.beginFrame(false);
    else await this.session.send('Page.captureScreenshot', { format: 'jpeg', quality: 1, clip: { x: 0, y: 0, width: 1, height: 1, scale: 1 } });
    await this.evaluate(RESOLVE_COMPOSITE_EXPRESSION);
  }

  /**
   * The pixels of the current state of the page, which the caller changed since the last grab (a seek; a
   * frame in which nothing changed reuses its image without asking). `undecodedImage`: image data was
   * swapped in that was not decoded ahead (a video clip's frame), which may reach the compositor a
   * BeginFrame late, so one frame is drawn without a screenshot first.
   *
   * A BeginFrame that reports no damage after a change is a frame the renderer has not delivered yet, not a
   * frame that looks the same: under CPU load one was seen to answer "no damage" five times running after a
   * browser's first change (render-video-cache, with two busy cores beside it). Taking the previous image
   * would repeat a stale frame, and three immediate retries were not enough; so the capture waits for damage
   * (drawUntilDamaged).
   */
  async grab(undecodedImage = false): Promise<Buffer> {
    if (this.mode === 'beginframe') {
      if (undecodedImage) await this.beginFrame(false);
      return (await this.beginFrame(true)) ?? this.drawUntilDamaged();
    }
    const { format } = this.options;
    // PNG without optimizeForSpeed: the reference producer saw it crush alpha to 0/255 (performance.md
    // §2.3.4), and its frames are four times larger.
    const shot = (await this.session.send('Page.captureScreenshot', {
      format,
      ...(format === 'jpeg' ? { quality: JPEG_CAPTURE_QUALITY, optimizeForSpeed: true } : {}),
      fromSurface: true,
      captureBeyondViewport: false,
    })) as { data: string };
    return Buffer.from(shot.data, 'base64');
  }

  private async beginFrame(withScreenshot: boolean, { noDisplayUpdates = false } = {}): Promise<Buffer | undefined> {
    const { format } = this.options;
    const frameTimeTicks = this.tickBaseMs + this.ticks * this.intervalMs;
    this.ticks++;
    const result = (await this.session.send('HeadlessExperimental.beginFrame' as never, {
      frameTimeTicks,
      interval: this.intervalMs,
      noDisplayUpdates,
      ...(withScreenshot
        ? { screenshot: format === 'jpeg' ? { format, quality: JPEG_CAPTURE_QUALITY, optimizeForSpeed: true } : { format } }
        : {}),
    } as never)) as BeginFrameResult;
    return result.screenshotData ? Buffer.from(result.screenshotData, 'base64') : undefined;
  }

  /**
   * Draws until a BeginFrame reports damage: marks the root damaged (a style change that paints nothing
   * visible, so a change that painted nothing still ends in a frame) and draws again, with short real-time
   * pauses that let the renderer's message through, for up to LATE_FRAME_TIMEOUT_MS.
   */
  private async drawUntilDamaged(): Promise<Buffer> {
    this.lateFrames++;
    const started = Date.now();
    for (let attempt = 0; ; attempt++) {
      await this.evaluate(`document.documentElement.style.setProperty('--hf-capture-invalidate', '${attempt}'),
        document.documentElement.style.outline = document.documentElement.style.outline ? '' : '0px solid transparent'`);
      await new Promise(resolve => setTimeout(resolve, Math.min(2 ** attempt, LATE_FRAME_RETRY_MAX_PAUSE_MS)));
      const frame = await this.beginFrame(true);
      if (frame) return frame;
      if (Date.now() - started > LATE_FRAME_TIMEOUT_MS) throw new Error(`BeginFrame drew no new frame in ${LATE_FRAME_TIMEOUT_MS} ms (${attempt + 1} attempts).`);
    }
  }

  async close(): Promise<void> {
    const child = this.browser.process();
    await this.browser.close().catch(() => undefined);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    releaseBrowserProcess(this.browser);
  }
}

/** Puppeteer's temporary profile folder for this browser (it removes it on a clean close). */
function profileFolder(browser: Browser): string | undefined {
  const arg = browser.process()?.spawnargs.find(a => a.startsWith('--user-data-dir='));
  return arg?.slice('--user-data-dir='.length);
}

/**
 * Records the browser process and its profile folder as the render's own (ownedResources.ts), so a parent
 * can clean them up if this process dies first. Done right after launch, before the page is set up.
 */
function ownBrowserProcess(browser: Browser): { release(): void } {
  processStarted(browser.process()?.pid, 'browser');
  const profile = profileFolder(browser);
  if (profile) pathCreated(profile);
  return { release: () => releaseBrowserProcess(browser) };
}

function releaseBrowserProcess(browser: Browser): void {
  processExited(browser.process()?.pid);
  const profile = profileFolder(browser);
  if (profile) pathReleased(profile);
}

async function openBeginFramePage(browser: Browser): Promise<Page> {
  const session = await browser.target().createCDPSession();
  try {
    // Puppeteer exposes no target id, so the new target is recognised by a unique blank URL.
    const marker = `about:blank#hf-capture-${process.pid}-${Date.now()}`;
    await session.send('Target.createTarget', { url: marker, enableBeginFrameControl: true });
    const target = await browser.waitForTarget(t => t.url() === marker);
    const page = await target.page();
    if (!page) throw new Error('The BeginFrame target has no page.');
    // The launch's initial blank tab costs a renderer process; only the BeginFrame page is needed.
    for (const other of await browser.pages()) if (other !== page) await other.close();
    return page;
  } finally {
    await session.detach().catch(() => undefined);
  }
}
