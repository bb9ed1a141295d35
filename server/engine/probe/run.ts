// The probe stage: loads the compiled page in headless Chromium through the loopback file server, waits for
// the runtime's `ready` (or a deadline: a script that never yields), then asks the page what it showed —
// the duration when it is not static, sub-composition timeline lengths (recompiling with them), media
// durations, console lines, page errors and failed requests — and turns that into diagnostics.
// The page, file server and (when launched here) browser are returned; the caller closes them.
import type { Page } from 'puppeteer-core';
import { launchBrowser } from '../browser';
import { compositionUsesWebGpu } from '../compile/gpuUsage';
import { compile } from '../compile';
import { compositionServerOptions, startFileServer } from '../fileServer';
import { DEFAULT_COMPOSITION_HEIGHT, DEFAULT_COMPOSITION_WIDTH, DEFAULT_PROBE_TIMEOUT_MS, PAGE_CLOSE_GRACE_MS } from '../limits';
import { frameCount, type Composition, type EngineDiagnostic } from '../model';
import { buildRuntimeManifest, type HfInspection } from '../runtime/manifest';
import { runtimeReadyExpression } from '../runtime/ready';
import type { CompileResult } from '../compile/types';
import { RenderCancelledError } from '../errors';
import { silentLogger } from '../logger';
import type { ProbeInput, ProbeResources, ProbeResult } from './types';
import {
  clipEndDiagnostics, consoleErrorDiagnostics, mediaDiagnostics, NULL_ADAPTER_ERROR, pageErrorFindings, protocolDiagnostics, requestDiagnostics,
  webGpuDiagnostics,
  timeoutDiagnostic, zeroDurationDiagnostic,
} from './diagnostics';
import { SourceLocator } from './locations';
import { startHangProbe } from './hang';
import { PageRecorder } from './pageEvents';

// Page-side expressions are strings: a transpiled function could carry helpers the page does not have.
// Reading a layout property forces style resolution, which is when CSS background images are requested.
// The engine calls the runtime by its own name: window.__hf may be a protocol object the page set itself.
// At DOMContentLoaded the runtime's <head> script has run or failed: no wait for it to appear (timeout 0).
const READY_AND_INSPECT = `${runtimeReadyExpression(0)}.then(ready => { if (!ready) return undefined; void document.documentElement.offsetHeight; return window.__hfRuntime.inspect(); })`;

const TIMED_OUT = Symbol('timed out');

/** After ready, the network must be quiet this long before the probe reads the failed requests… */
const NETWORK_IDLE_MS = 50;
/** …but a page that keeps fetching gets no more than this. */
const NETWORK_IDLE_MAX_MS = 1_500;


/** Resolves with `work`, or TIMED_OUT after `ms`; rejects with RenderCancelledError when `signal` aborts. */
function withDeadline<T>(work: Promise<T>, ms: number, signal: AbortSignal | undefined): Promise<T | typeof TIMED_OUT> {
  // Whatever happens to `work` after the deadline (the browser is killed under it) is nobody's error.
  work.catch(() => undefined);
  return new Promise((resolve, reject) => {
    const onAbort = () => finish(() => reject(new RenderCancelledError('probe')));
    const timer = setTimeout(() => finish(() => resolve(TIMED_OUT)), ms);
    const finish = (settle: () => void) => {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      settle();
    };
    if (signal?.aborted) return onAbort();
    signal?.addEventListener('abort', onAbort, { once: true });
    work.then(value => finish(() => resolve(value)), error => finish(() => reject(error)));
  });
}

async function loadPage(page: Page, url: string): Promise<HfInspection | undefined> {
  await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 0 });
  return page.evaluate(READY_AND_INSPECT) as Promise<HfInspection | undefined>;
}

/** Host clip id → the length of its sub-composition's timeline, for hosts without a written duration. */
function resolvedHostDurations(composition: Composition, inspection: HfInspection): Record<string, number> {
  const resolved: Record<string, number> = {};
  for (const sub of composition.subCompositions) {
    if (!sub.unresolvedDuration || sub.compositionId === undefined) continue;
    // Registered under the host's id, else under the file's own root id (as the runtime seeks it).
    const duration = inspection.timelineDurations[sub.compositionId]
      ?? (sub.innerCompositionId === undefined ? undefined : inspection.timelineDurations[sub.innerCompositionId]);
    if (duration !== undefined && duration > 0) resolved[sub.hostId] = duration;
  }
  return resolved;
}

export async function runProbeStage(input: ProbeInput): Promise<ProbeResult> {
  const started = performance.now();
  const logger = input.logger ?? silentLogger;
  const timeoutMs = input.timeoutMs ?? DEFAULT_PROBE_TIMEOUT_MS;
  const resources: ProbeResources = { page: undefined, fileServer: undefined, browser: undefined };
  let composition = input.compiled.composition;
  let lineMap = input.compiled.lineMap;
  let compileMs = input.compiled.compileMs;
  let recompiled: CompileResult | undefined;
  try {
    if (input.signal?.aborted) throw new RenderCancelledError('probe');
    const fileServer = input.fileServer
      ?? (resources.fileServer = await startFileServer(compositionServerOptions(composition, { runtimePath: input.runtimePath, logger })));
    const session = input.session ?? (resources.browser = await launchBrowser({
      chromiumPath: input.chromiumPath, webGpu: compositionUsesWebGpu(composition), logger, signal: input.signal,
    }));
    const page = await session.browser.newPage();
    resources.page = page;
    await page.setViewport({
      width: composition.width || DEFAULT_COMPOSITION_WIDTH, height: composition.height || DEFAULT_COMPOSITION_HEIGHT, deviceScaleFactor: 1,
    });
    const recorder = new PageRecorder(page);
    const hangProbe = await startHangProbe(page);
    const loaded = await withDeadline(loadPage(page, fileServer.entryUrl), timeoutMs, input.signal);
    const locator = () => new SourceLocator(composition, fileServer.entryUrl, lineMap, input.compileInput.readOverlay);

    const diagnostics: EngineDiagnostic[] = [];
    let duration = 0;
    let timedOut = false;
    /** The page had no WebGPU adapter; its null-adapter TypeError is that finding, not another. */
    let webGpu: EngineDiagnostic[] = [];
    if (loaded === TIMED_OUT) {
      timedOut = true;
      const hang = await hangProbe.where();
      logger.warn(`probe: ${fileServer.entryUrl} did not become ready in ${timeoutMs} ms${hang ? ` (running ${hang.url}:${hang.line + 1})` : ''}; recycling the browser`);
      const sourceLocator = locator();
      diagnostics.push(timeoutDiagnostic((hang && sourceLocator.locateServed(hang.url, hang.line, hang.column)) ?? sourceLocator.rootLocation(), timeoutMs));
      // The page's renderer is stuck in a script: only killing the browser frees it. A browser this stage
      // launched is closed here; one it was lent is its owner's to recycle (the result says timedOut).
      resources.page = undefined;
      if (resources.browser) {
        await resources.browser.close();
        resources.browser = undefined;
      }
    } else {
      await hangProbe.dispose();
      await recorder.networkIdle(NETWORK_IDLE_MS, Math.min(NETWORK_IDLE_MAX_MS, Math.max(0, timeoutMs - (performance.now() - started))));
      let inspection = loaded;
      if (!inspection) {
        diagnostics.push({ ...locator().rootLocation(), severity: 'error', code: 'probe-failed',
          message: 'The HyperFrames runtime did not start in the page: a <meta http-equiv="Content-Security-Policy"> may block it.' });
      } else {
        const resolved = resolvedHostDurations(composition, inspection);
        if (Object.keys(resolved).length > 0) {
          logger.debug(`probe: resolved sub-composition durations ${JSON.stringify(resolved)}; recompiling`);
          const again = await compile({ ...input.compileInput, resolvedDurations: { ...input.compileInput.resolvedDurations, ...resolved } });
          recompiled = again;
          compileMs += again.compileMs;
          composition = again.composition;
          lineMap = again.lineMap;
          const manifest = buildRuntimeManifest(composition);
          fileServer.setEntryHtml(composition.compiledHtml, manifest);
          inspection = await page.evaluate(`(() => { window.__hfRuntime.setManifest(${JSON.stringify(manifest)}); return window.__hfRuntime.inspect(); })()`) as HfInspection;
        }
        duration = composition.durationSource === 'attribute' && (composition.duration ?? 0) > 0 ? composition.duration ?? 0 : inspection.duration;
        if (composition.durationSource !== 'attribute') {
          composition = { ...composition, duration, durationSource: 'browser', frameCount: frameCount(duration, composition.fps) };
        }
        const protocol = protocolDiagnostics(locator(), fileServer.origin, inspection.protocol);
        diagnostics.push(...protocol);
        webGpu = webGpuDiagnostics(locator(), fileServer.origin, inspection.webGpu);
        diagnostics.push(...webGpu);
        // A page-provided duration that is wrong is the finding; "duration is 0" would only repeat it.
        if (duration <= 0 && !protocol.some(d => d.severity === 'error')) {
          diagnostics.push(zeroDurationDiagnostic(locator(), composition, {
            inspection, console: recorder.console, pageErrors: recorder.pageErrors, failures: recorder.requestFailures,
          }));
        }
        diagnostics.push(...mediaDiagnostics(composition, inspection));
        diagnostics.push(...clipEndDiagnostics(composition, duration, (recompiled ?? input.compiled).diagnostics));
      }
    }
    const sourceLocator = locator();
    const pageErrors = webGpu.length > 0 ? recorder.pageErrors.filter(error => !NULL_ADAPTER_ERROR.test(error.message)) : recorder.pageErrors;
    const errors = pageErrorFindings(sourceLocator, fileServer.origin, pageErrors);
    diagnostics.push(...errors.diagnostics, ...consoleErrorDiagnostics(sourceLocator, recorder.console),
      ...requestDiagnostics(sourceLocator, recorder.requestFailures, fileServer.refusedRequests));
    const probeMs = performance.now() - started;
    logger.debug(`probe: ${composition.entryFile} duration ${duration.toFixed(3)} s, ${diagnostics.length} diagnostic(s) in ${probeMs.toFixed(0)} ms`);
    return {
      composition, diagnostics, duration, frameCount: frameCount(duration, composition.fps),
      console: recorder.console,
      failedRequests: recorder.requestFailures.map(({ url, failure, status, resourceType }) => ({ url, failure, status, resourceType })),
      refusedRequests: [...fileServer.refusedRequests], pageErrors: errors.pageErrors, timedOut, recompiled,
      compileMs, probeMs, resources,
    };
  } catch (error) {
    // The caller never sees these handles when the stage fails, so they are closed here.
    await closeProbeResources(resources);
    throw error;
  }
}

/** Closes what a probe opened, page first; safe to call twice and after a failed probe. */
export async function closeProbeResources(resources: ProbeResources): Promise<void> {
  const { page, fileServer, browser } = resources;
  resources.page = undefined;
  resources.fileServer = undefined;
  resources.browser = undefined;
  if (page && !page.isClosed()) {
    await withDeadline(page.close().catch(() => undefined), PAGE_CLOSE_GRACE_MS, undefined);
  }
  await Promise.all([fileServer?.close(), browser?.close()]);
}
