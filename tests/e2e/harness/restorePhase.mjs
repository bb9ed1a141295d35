// The 'restore' phase: the preview panel survives a window reload (its serializer) and comes back at the time
// it showed. A reload ends the extension host, and with it any in-host test run, so this phase has no
// extensionTestsPath: puppeteer drives the workbench as a person would (Quick Open, the command palette, the
// preview's own buttons) and reloads the page, then looks for the webview again in the page's frames.
//
// Two reloads: one right after opening (the panel must come back although nobody touched it), one after
// stepping a few frames (it must come back at that frame, with the composition's iframe seeked there).

export const RESTORE_TEST_TITLE = 'restore › the preview panel is restored after a window reload, at the time it showed';

/** tests/e2e/workspace/index.html: 2 s at 30 fps, two clips. */
const FIXTURE = { file: 'index.html', totalFrames: 60, fps: 30, clips: ['intro', 'outro'] };
const OPEN_PREVIEW_COMMAND = 'HyperFrames: Open Preview to the Side';
const RELOAD_WINDOW_COMMAND = 'Developer: Reload Window';
/** Frames the check steps forward before the second reload; any non-zero frame the fixture has. */
const STEPPED_FRAMES = 5;
/** The workbench, the extension, the file server and the composition's iframe on a loaded 2-core machine. */
const STEP_TIMEOUT_MS = 60_000;
const POLL_MS = 200;
/** The command palette lists an extension's commands once the workbench has read its manifest: retry until then. */
const PALETTE_ATTEMPT_MS = 5_000;

const sleep = ms => new Promise(resolve => setTimeout(resolve, ms));

class RestoreCheckError extends Error {
  constructor(message) {
    super(message);
    this.name = 'RestoreCheckError';
  }
}

/** Polls `probe` until it returns something other than undefined; fails naming `what` (and the last value seen). */
async function waitFor(what, probe, timeoutMs = STEP_TIMEOUT_MS) {
  const deadline = Date.now() + timeoutMs;
  let last;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (error) {
      last = error; // a frame navigating away while read; report the last one on timeout
    }
    if (Date.now() > deadline) throw new RestoreCheckError(`timed out after ${timeoutMs / 1000} s waiting for ${what}${last ? ` (${last.message ?? last})` : ''}`);
    await sleep(POLL_MS);
  }
}

/**
 * What the preview's webview shows, read from whichever frame of the page holds it (webviews are nested
 * iframes): the frame readout, the timeline's clip bars, the controller's time and the time the composition's
 * iframe last seeked to. undefined while no frame holds the preview.
 */
async function readPreview(page) {
  for (const frame of page.frames()) {
    const view = await frame.evaluate(() => {
      const readout = document.querySelector('[data-readout="frame"]');
      if (!readout) return undefined;
      return {
        readout: readout.textContent ?? '',
        clips: [...document.querySelectorAll('.clip-bar')].map(bar => bar.textContent ?? '').sort(),
        time: document.body.dataset.time,
        shownTime: document.body.dataset.shownTime,
      };
    }).catch(() => undefined);
    if (view) return { frame, ...view };
  }
  return undefined;
}

/** The preview once the composition arrived (its duration is in the readout) and the iframe seeked to `frame`. */
function waitForPreviewAt(page, what, frameNumber) {
  const expected = `frame ${frameNumber} / ${FIXTURE.totalFrames}`;
  let last;
  return waitFor(`${what}: the preview's readout "${expected}" with the composition seeked there`, async () => {
    last = await readPreview(page);
    if (!last || last.readout !== expected || last.shownTime === undefined) return undefined;
    if (Math.round(Number(last.shownTime) * FIXTURE.fps) !== frameNumber) return undefined;
    return last;
  }).catch(error => {
    const seen = last ? `readout "${last.readout}", clips [${last.clips}], time ${last.time}, shown ${last.shownTime}` : 'no frame holds the preview';
    throw new RestoreCheckError(`${error.message}; last seen: ${seen}`);
  });
}

/** Picks `label` in the open quick input (Quick Open or the command palette) once it is listed. */
async function pickInQuickInput(page, label) {
  const row = await page.waitForFunction(text => [...document.querySelectorAll('.quick-input-widget .monaco-list-row')]
    .find(r => (r.getAttribute('aria-label') ?? r.textContent ?? '').includes(text)), { timeout: PALETTE_ATTEMPT_MS, polling: POLL_MS }, label)
    .catch(() => undefined);
  if (!row) return false;
  await row.asElement().click();
  return true;
}

async function openInQuickInput(page, chord, query, label) {
  await waitFor(`"${label}" in the quick input`, async () => {
    await page.keyboard.press('Escape');
    for (const key of chord.slice(0, -1)) await page.keyboard.down(key);
    await page.keyboard.press(chord.at(-1));
    for (const key of chord.slice(0, -1).reverse()) await page.keyboard.up(key);
    await page.waitForSelector('.quick-input-widget input', { visible: true, timeout: PALETTE_ATTEMPT_MS });
    await page.keyboard.type(query);
    return (await pickInQuickInput(page, label)) ? true : undefined;
  });
}

function assertPreview(view, when) {
  if (JSON.stringify(view.clips) !== JSON.stringify(FIXTURE.clips)) {
    throw new RestoreCheckError(`${when}: the timeline shows clips [${view.clips}], expected [${FIXTURE.clips}]`);
  }
}

/**
 * Reloads the window as a person does ("Developer: Reload Window", which saves the workbench's state first; a
 * bare page.reload() may lose the state the browser has not yet written) and waits for the restored preview
 * at `frameNumber`, without opening it again.
 */
async function reloadAndExpectPreviewAt(page, frameNumber, say) {
  await page.evaluate(() => { window.hyperframesBeforeReload = true; });
  // Settled either way, so a failed pick below leaves no unhandled rejection behind.
  const navigation = page.waitForNavigation({ timeout: STEP_TIMEOUT_MS }).then(() => undefined, error => error);
  await openInQuickInput(page, ['F1'], RELOAD_WINDOW_COMMAND, RELOAD_WINDOW_COMMAND);
  const navigationError = await navigation;
  if (navigationError) throw new RestoreCheckError(`the window did not reload after "${RELOAD_WINDOW_COMMAND}": ${navigationError.message}`);
  if (await page.evaluate(() => window.hyperframesBeforeReload === true)) throw new RestoreCheckError('the page navigated but the window was not reloaded');
  const reloadedAt = Date.now();
  const view = await waitForPreviewAt(page, 'after the window reload', frameNumber);
  assertPreview(view, 'after the window reload');
  say(`restored "${view.readout}" ${Date.now() - reloadedAt} ms after the reload`);
  return view;
}

/**
 * The check itself. `page` shows the workbench on the fixture workspace with the extension loaded; resolves
 * when the preview came back after both reloads, rejects with a RestoreCheckError saying what was missing.
 */
export async function checkPreviewRestore(page, { say }) {
  await page.waitForSelector('.monaco-workbench .part.editor', { timeout: STEP_TIMEOUT_MS });
  await openInQuickInput(page, ['Control', 'p'], FIXTURE.file, FIXTURE.file);
  await page.waitForSelector(`.tabs-container .tab[aria-label*="${FIXTURE.file}"]`, { timeout: STEP_TIMEOUT_MS });
  await openInQuickInput(page, ['F1'], OPEN_PREVIEW_COMMAND, OPEN_PREVIEW_COMMAND);
  const opened = await waitForPreviewAt(page, 'after Open Preview to the Side', 0);
  assertPreview(opened, 'after Open Preview to the Side');
  say(`preview open: "${opened.readout}", clips [${opened.clips}]`);

  // Untouched: nobody stepped, scrubbed or zoomed yet, so only what the webview saves by itself names the composition.
  await reloadAndExpectPreviewAt(page, 0, say);

  // A person steps a few frames with the transport's button; the restored panel must come back there.
  let view = await waitForPreviewAt(page, 'before stepping', 0);
  for (let step = 1; step <= STEPPED_FRAMES; step++) {
    await view.frame.click('button[data-action="frame-forward"]');
    view = await waitForPreviewAt(page, `after stepping to frame ${step}`, step);
  }
  await reloadAndExpectPreviewAt(page, STEPPED_FRAMES, say);
}
