// Listens to a probed page: console messages, uncaught errors and failed requests (network errors and HTTP
// statuses ≥ 400), kept raw with the browser's own locations; probe/locations.ts maps them to sources.
import type { ConsoleMessage, HTTPRequest, HTTPResponse, Page } from 'puppeteer-core';
import type { ProbeConsoleLine } from './types';

/** The lowest HTTP status the probe reports as a failed request. */
const HTTP_ERROR_STATUS = 400;
/** How often networkIdle() looks at the in-flight requests. */
const IDLE_POLL_MS = 10;

export interface RawPageError {
  message: string;
  stack: string | undefined;
}

export interface RawRequestFailure {
  url: string;
  failure: string;
  status: number | undefined;
  resourceType: string;
  /** Where the browser says the request came from (a parser line, or a script's top frame); 0-based line. */
  initiator: { url: string; line: number } | undefined;
}

function isIgnoredRequest(url: string, failure: string): boolean {
  // Browsers ask for a favicon nobody wrote; media elements abort their own range requests when seeking.
  return /\/favicon\.ico(?:[?#]|$)/.test(url) || failure === 'net::ERR_ABORTED';
}

function initiatorOf(request: HTTPRequest): RawRequestFailure['initiator'] {
  const initiator = request.initiator();
  if (!initiator) return undefined;
  const frame = initiator.stack?.callFrames[0];
  if (frame) return { url: frame.url, line: frame.lineNumber };
  if (initiator.url !== undefined && initiator.lineNumber !== undefined) return { url: initiator.url, line: initiator.lineNumber };
  return undefined;
}

export class PageRecorder {
  readonly console: ProbeConsoleLine[] = [];
  readonly pageErrors: RawPageError[] = [];
  readonly requestFailures: RawRequestFailure[] = [];
  // Media streams stay open while they buffer, so they never count as the network being busy.
  private readonly inFlight = new Set<HTTPRequest>();

  constructor(page: Page) {
    page.on('request', (request: HTTPRequest) => {
      if (request.resourceType() !== 'media') this.inFlight.add(request);
    });
    page.on('requestfinished', (request: HTTPRequest) => this.inFlight.delete(request));
    page.on('console', (message: ConsoleMessage) => {
      const location = message.location();
      this.console.push({ type: message.type(), text: message.text(), url: location.url, line: location.lineNumber });
    });
    page.on('pageerror', (error: unknown) => {
      if (error instanceof Error) this.pageErrors.push({ message: error.message, stack: error.stack });
      else this.pageErrors.push({ message: String(error), stack: undefined });
    });
    page.on('requestfailed', (request: HTTPRequest) => {
      this.inFlight.delete(request);
      const failure = request.failure()?.errorText ?? 'net::ERR_FAILED';
      this.record(request, failure, undefined);
    });
    page.on('response', (response: HTTPResponse) => {
      const status = response.status();
      if (status >= HTTP_ERROR_STATUS) this.record(response.request(), `HTTP ${status}`, status);
    });
  }

  /**
   * Resolves once no request has been in flight for `idleMs` (or after `maxMs`): CSS backgrounds can be
   * requested after the load event, when style is first computed, and their 404 should still be heard.
   */
  async networkIdle(idleMs: number, maxMs: number): Promise<void> {
    const started = Date.now();
    let idleSince = Date.now();
    while (Date.now() - started < maxMs) {
      if (this.inFlight.size > 0) idleSince = Date.now();
      else if (Date.now() - idleSince >= idleMs) return;
      await new Promise(resolve => setTimeout(resolve, IDLE_POLL_MS));
    }
  }

  private record(request: HTTPRequest, failure: string, status: number | undefined): void {
    const url = request.url();
    if (isIgnoredRequest(url, failure)) return;
    this.requestFailures.push({ url, failure, status, resourceType: request.resourceType(), initiator: initiatorOf(request) });
  }
}
