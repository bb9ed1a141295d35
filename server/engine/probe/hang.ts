// Where a hung page is stuck. A page spinning in `while (true) {}` answers no ordinary DevTools command,
// but the V8 inspector still honours Debugger.pause through an interrupt — provided the Debugger domain
// was enabled before the script started. So the probe enables it up front (breakpoints deactivated, so a
// `debugger;` statement does not stop the page), and on a timeout pauses the page to read the top frame.
import type { CDPSession, Page } from 'puppeteer-core';

/** How long to wait for a hung page to report where it is before settling for the root tag. */
const HANG_LOCATE_TIMEOUT_MS = 1_000;

export interface HangLocation {
  url: string;
  /** 0-based, in the served document or script. */
  line: number;
  column: number;
}

export interface HangProbe {
  /** Pauses the page and reads where it was running; undefined when it cannot tell. */
  where(): Promise<HangLocation | undefined>;
  /** The page loaded: stop listening and let the Debugger go (it slows nothing down afterwards). */
  dispose(): Promise<void>;
}

interface PausedEvent {
  callFrames: Array<{ location: { scriptId: string; lineNumber: number; columnNumber?: number }; url: string }>;
}

export async function startHangProbe(page: Page): Promise<HangProbe> {
  let session: CDPSession | undefined;
  const scriptUrls = new Map<string, string>();
  try {
    session = await page.createCDPSession();
    session.on('Debugger.scriptParsed', event => scriptUrls.set(event.scriptId, event.url));
    await session.send('Debugger.enable');
    await session.send('Debugger.setBreakpointsActive', { active: false });
  } catch {
    session = undefined;
  }
  return {
    async where() {
      if (!session) return undefined;
      const cdp = session;
      let timer: NodeJS.Timeout | undefined;
      const paused = new Promise<PausedEvent | undefined>(resolve => {
        timer = setTimeout(() => resolve(undefined), HANG_LOCATE_TIMEOUT_MS);
        cdp.once('Debugger.paused', event => resolve(event as PausedEvent));
      });
      cdp.send('Debugger.pause').catch(() => undefined);
      const event = await paused;
      clearTimeout(timer);
      const top = event?.callFrames[0];
      if (!top) return undefined;
      const url = top.url || scriptUrls.get(top.location.scriptId);
      return url ? { url, line: top.location.lineNumber, column: top.location.columnNumber ?? 0 } : undefined;
    },
    async dispose() {
      await session?.detach().catch(() => undefined);
    },
  };
}
