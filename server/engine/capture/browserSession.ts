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
  /** How long a BeginFrame capture waits for a late frame before it calls the compositor stalled (LATE_FRAME_TIMEOUT_MS). */
  lateFrameTimeoutMs?: number;
  logger: Logger;
  signal?: AbortSignal;
}

/** BeginFrame reports "no damage" when nothing changed: the previous image is the frame. */
interface BeginFrameResult {
  hasDamage: boolean;
  screenshotData?: string;
}

/**
 * The page calls this binding from the browser's own requestAnimationFrame (the runtime's is virtual): the
 * renderer has started the main frame a BeginFrame asked for, so a script evaluated from now on runs after
 * that frame's lifecycle and commit, while the compositor, viz and the screenshot encoder are still at work
 * on it (grabOverlapping).
 */
const MAIN_FRAME_BINDING = '__hfCaptureMainFrame';
/** The browser's own requestAnimationFrame, kept before any page script (the runtime replaces the page's). */
const REAL_ANIMATION_FRAME = '__hfCaptureAnimationFrame';
const KEEP_REAL_ANIMATION_FRAME_SCRIPT = `globalThis.${REAL_ANIMATION_FRAME} = globalThis.requestAnimationFrame.bind(globalThis);`;

interface BindingCalledEvent {
  name: string;
  payload: string;
}

/** What grabOverlapping drew: no image when the BeginFrame reported no damage. */
export interface OverlappedGrab {
  image: Buffer | undefined;
  /** The frame's main frame started during the BeginFrame (onMainFrame was called). */
  mainFrameStarted: boolean;
}

interface RuntimeEvaluateResult {
  result: { value?: unknown; description?: string };
  exceptionDetails?: { text: string; exception?: { description?: string } };
}

/**
 * BeginFrame kept answering "no damage" for the whole late-frame timeout, through invalidations: the
 * browser's compositor stopped drawing (seen about once in six CI runs of the video stress test, on a first
 * frame). The page is fine; a fresh browser draws it (CaptureBrowser.restart).
 */
export class CompositorStalledError extends Error {
  constructor(readonly waitedMs: number, readonly attempts: number) {
    super(`BeginFrame drew no new frame in ${waitedMs} ms (${attempts} attempts).`);
    this.name = 'CompositorStalledError';
  }
}

/** One launched Chromium process and the page capture drives in it. */
interface LaunchedBrowser {
  browser: Browser;
  page: Page;
  session: CDPSession;
  owned: { release(): void };
}

export class CaptureBrowser implements Closable {
  /** Frames the renderer delivered late (no damage at the first BeginFrame after a change), for the capture's log. */
  lateFrames = 0;
  /** Times this capture browser was replaced by a fresh process (restart()), for the capture's log. */
  restarts = 0;
  private ticks = 0;
  private readonly tickBaseMs: number;
  private readonly intervalMs: number;
  /** The page load() opened, which restart() opens again. */
  private url: string | undefined;
  /** Grabs waiting for the main frame of their BeginFrame to start, by the token its signal calls back with. */
  private readonly mainFrameWaiters = new Map<number, () => void>();
  private nextMainFrameToken = 1;
  /** The BeginFrame last sent, settled or not (beginFrame). */
  private beginFrameInFlight: Promise<unknown> = Promise.resolve();

  private constructor(
    private launched: LaunchedBrowser,
    readonly mode: CaptureMode,
    private readonly options: CaptureBrowserOptions,
  ) {
    this.intervalMs = 1000 / options.fps;
    // frameTimeTicks must be on the browser's monotonic clock (ms of uptime), which on Linux is the
    // same CLOCK_MONOTONIC that process.hrtime reads; an arbitrary base freezes rAF and CSS time.
    this.tickBaseMs = Number(process.hrtime.bigint() / 1_000_000n) + 1000;
    this.listenForMainFrames();
  }

  private listenForMainFrames(): void {
    this.session.on('Runtime.bindingCalled', (event: BindingCalledEvent) => {
      if (event.name === MAIN_FRAME_BINDING) this.mainFrameWaiters.get(Number(event.payload))?.();
    });
  }

  /** The current Chromium process (restart() replaces it). */
  get browser(): Browser {
    return this.launched.browser;
  }

  /** The page capture drives in the current process. */
  get page(): Page {
    return this.launched.page;
  }

  private get session(): CDPSession {
    return this.launched.session;
  }

  /** The browser's process id, for tests and for killing the tree on an unclean exit. */
  get pid(): number | undefined {
    return this.browser.process()?.pid;
  }

  /** Launches the browser and prepares its page; load() then opens the composition in it. */
  static async launch(options: CaptureBrowserOptions): Promise<CaptureBrowser> {
    return new CaptureBrowser(await startBrowser(options), options.mode, options);
  }

  /**
   * Replaces the browser process with a fresh one that has the same page open and its runtime ready. The
   * page's state past load (a seek, painted video frames) is not carried over: the caller sets it again.
   */
  async restart(): Promise<void> {
    if (!this.url) throw new Error('The capture browser has no page to reopen.');
    await this.closeProcess();
    this.launched = await startBrowser(this.options);
    this.listenForMainFrames();
    this.restarts++;
    await this.load(this.url);
  }

  /** Opens the composition and waits until its runtime is ready (load, fonts, media metadata). */
  async load(url: string): Promise<void> {
    this.url = url;
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

  /**
   * Evaluates `before` (an expression, awaited), seeks the page to `seconds`, then evaluates `then`, in one
   * round trip, and returns both values: one or more protocol calls a frame fewer than each apart (about 1 ms
   * of CPU each, on every frame). A shader-transition frame is painted and composited between the seek and
   * `then` (pageComposite.ts).
   */
  async seekThen<B, T>(seconds: number, before: string, then: string): Promise<{ before: B; value: T; composited: boolean }> {
    const seeked = await this.evaluate<{ before: B; composite: true } | { before: B; composite: false; value: T }>(seekExpression(seconds, before, then));
    if (!seeked.composite) return { before: seeked.before, value: seeked.value, composited: false };
    await this.paintPageComposite();
    return { before: seeked.before, value: await this.evaluate<T>(then), composited: true };
  }

  /**
   * A statement for the page that asks the browser for a callback when its next main frame starts, and the
   * token that callback carries (grabOverlapping waits for it). Null in screenshot mode, which has no
   * BeginFrame to overlap.
   */
  mainFrameSignal(): { token: number; statement: string } | null {
    if (this.mode !== 'beginframe') return null;
    const token = this.nextMainFrameToken++;
    // The browser's requestAnimationFrame, kept at load: the page's own is the runtime's virtual one
    // (runtime/virtualTime.ts), which runs only when the runtime seeks.
    return {
      token,
      statement: `if (typeof window.${MAIN_FRAME_BINDING} === 'function' && typeof window.${REAL_ANIMATION_FRAME} === 'function') window.${REAL_ANIMATION_FRAME}(() => window.${MAIN_FRAME_BINDING}('${token}'));`,
    };
  }

  /**
   * grab() for a page that mainFrameSignal() armed with `token`, calling `onMainFrame` as soon as the
   * renderer has started the frame: the caller seeks the next frame then, while this one is rastered,
   * composited and encoded (the seek's script runs after this frame's commit, so it cannot reach it). No
   * image when the BeginFrame reported no damage: if the main frame had started, the page may already
   * show the next frame, and the caller seeks this one again before it draws.
   */
  async grabOverlapping(token: number, onMainFrame: () => void): Promise<OverlappedGrab> {
    let settled = false;
    let mainFrameStarted = false;
    this.mainFrameWaiters.set(token, () => {
      if (settled || mainFrameStarted) return;
      mainFrameStarted = true;
      onMainFrame();
    });
    try {
      const image = await this.beginFrame(true);
      return { image, mainFrameStarted };
    } finally {
      settled = true;
      this.mainFrameWaiters.delete(token);
    }
  }

  /** A frame whose BeginFrame reported no damage, the page unchanged since: drawn until it has (drawUntilDamaged). */
  async grabLate(): Promise<Buffer> {
    return this.drawUntilDamaged();
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

  /**
   * One BeginFrame at a time: Chromium refuses a second while one is pending ("Another frame is pending"),
   * and a seek sent while a frame is drawn (grabOverlapping) may need one of its own, for a shader
   * transition's composite (paintPageComposite). It waits for the frame in flight.
   */
  private beginFrame(withScreenshot: boolean, options: { noDisplayUpdates?: boolean } = {}): Promise<Buffer | undefined> {
    const next = this.beginFrameInFlight.then(() => this.sendBeginFrame(withScreenshot, options));
    this.beginFrameInFlight = next.catch(() => undefined);
    return next;
  }

  private async sendBeginFrame(withScreenshot: boolean, { noDisplayUpdates = false }: { noDisplayUpdates?: boolean }): Promise<Buffer | undefined> {
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
    const timeoutMs = this.options.lateFrameTimeoutMs ?? LATE_FRAME_TIMEOUT_MS;
    for (let attempt = 0; ; attempt++) {
      await this.evaluate(`document.documentElement.style.setProperty('--hf-capture-invalidate', '${attempt}'),
        document.documentElement.style.outline = document.documentElement.style.outline ? '' : '0px solid transparent'`);
      await new Promise(resolve => setTimeout(resolve, Math.min(2 ** attempt, LATE_FRAME_RETRY_MAX_PAUSE_MS)));
      const frame = await this.beginFrame(true);
      if (frame) return frame;
      if (Date.now() - started > timeoutMs) throw new CompositorStalledError(timeoutMs, attempt + 1);
    }
  }

  async close(): Promise<void> {
    await this.closeProcess();
  }

  private async closeProcess(): Promise<void> {
    const { browser, owned } = this.launched;
    const child = browser.process();
    await browser.close().catch(() => undefined);
    if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    owned.release();
  }
}

/** Starts a Chromium process for capture and prepares its page at the composition's size. */
async function startBrowser(options: CaptureBrowserOptions): Promise<LaunchedBrowser> {
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
    await page.evaluateOnNewDocument(RENDER_CAPTURE_MODE_SCRIPT);
    // The page's canvas behind html/body: fully transparent instead of white. Set on the target, it
    // holds across the navigation load() makes.
    if (options.transparent) {
      await session.send('Emulation.setDefaultBackgroundColorOverride', { color: { r: 0, g: 0, b: 0, a: 0 } });
    }
    if (mode === 'beginframe') {
      await session.send('HeadlessExperimental.enable' as never);
      // The main-frame signal (CaptureBrowser.mainFrameSignal): bindings reach the page and report back
      // only on a session with the Runtime domain on.
      await session.send('Runtime.enable');
      await session.send('Runtime.addBinding', { name: MAIN_FRAME_BINDING });
      await page.evaluateOnNewDocument(KEEP_REAL_ANIMATION_FRAME_SCRIPT);
    }
    return { browser, page, session, owned };
  } catch (error) {
    await browser.close().catch(() => undefined);
    owned.release();
    throw error;
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
