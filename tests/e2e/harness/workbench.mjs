// The browser side: headless Debian Chromium (puppeteer-core) showing VS Code's web workbench, plus a small
// loopback HTTP "bridge" through which the in-host tests ask for what a person would see or do in that page
// (press keys, read the text of elements, take a screenshot). The tests run inside the extension host, which
// cannot see the page; the bridge's URL reaches them as $HYPERFRAMES_E2E_BRIDGE.
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import puppeteer from 'puppeteer-core';

const VIEWPORT = { width: 1600, height: 1000 };
const MAX_BRIDGE_BODY_BYTES = 64 * 1024;

export async function launchBrowser({ executablePath, userDataDir, env }) {
  return puppeteer.launch({
    executablePath, headless: true, userDataDir, env, defaultViewport: VIEWPORT,
    // The harness owns signals and closes the browser in its cleanup.
    handleSIGINT: false, handleSIGTERM: false, handleSIGHUP: false,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-breakpad',
      '--disable-component-update', '--disable-sync', `--window-size=${VIEWPORT.width},${VIEWPORT.height}`],
  });
}

/**
 * Opens the workbench on `folder` with the extension under development and the tests (the payload carries what
 * --extensionDevelopmentPath / --extensionTestsPath are on the desktop). Resolves once the page loaded, with
 * `exited`: a promise of the tests' exit code, which the workbench reports through window.codeAutomationExit
 * (wrapped: an async function returning the bare promise would wait for the tests to end).
 */
export async function openWorkbench(page, { authority, folder, payload, onLog }) {
  let reportExit;
  const exitCode = new Promise(resolve => { reportExit = resolve; });
  await page.exposeFunction('codeAutomationExit', code => reportExit(code));
  await page.exposeFunction('codeAutomationLog', (type, args) => {
    const line = (Array.isArray(args) ? args : [args]).map(a => (typeof a === 'string' ? a : JSON.stringify(a))).join(' ');
    onLog(type, line);
  });
  page.on('pageerror', error => onLog('page', error.message));
  await page.goto(`http://${authority}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(JSON.stringify(payload))}`);
  return { exited: exitCode };
}

async function readJson(request) {
  let size = 0;
  const chunks = [];
  for await (const chunk of request) {
    size += chunk.length;
    if (size > MAX_BRIDGE_BODY_BYTES) throw new Error('request body too large');
    chunks.push(chunk);
  }
  return chunks.length ? JSON.parse(Buffer.concat(chunks).toString('utf8')) : {};
}

/** Presses a chord like "Control+Shift+M": modifiers down, key pressed, modifiers up. */
async function pressChord(page, chord) {
  const keys = chord.split('+');
  const key = keys.pop();
  for (const modifier of keys) await page.keyboard.down(modifier);
  await page.keyboard.press(key);
  for (const modifier of keys.reverse()) await page.keyboard.up(modifier);
}

function safeName(name) {
  return String(name).replace(/[^A-Za-z0-9._-]+/g, '-').slice(0, 120) || 'screenshot';
}

/**
 * Starts the bridge on loopback. Actions (POST, JSON body → JSON answer):
 *   /press      {chord}        press a key chord in the workbench
 *   /texts      {selector}     innerText of every element matching selector in the workbench page
 *   /frameTexts {selector}     the same in every frame (webviews are iframes), with each frame's URL
 *   /screenshot {name}         save tests/.artifacts/<name>.png; answers {path}
 *   /inputValue {selector}     the value of the first input matching selector and whether it has the focus;
 *                              answers {value, focused} (value undefined when none matches)
 *   /click      {selector, text}  click the first element matching selector whose text includes text; answers {clicked}
 *   /frameClick {selector, at}    click, as a person would, the first element matching selector in any frame (inside a
 *                                 webview's nested iframes), at fractions {x, y} of its box (its centre by default);
 *                                 answers {frame: that frame's URL}
 */
export async function startBridge(page, artifactsDir) {
  const actions = {
    press: async ({ chord }) => { await pressChord(page, chord); return {}; },
    texts: async ({ selector }) => ({
      texts: await page.$$eval(selector, elements => elements.map(e => e.innerText ?? e.textContent ?? '')),
    }),
    frameTexts: async ({ selector }) => {
      const frames = [];
      for (const frame of page.frames()) {
        const texts = await frame.$$eval(selector, elements => elements.map(e => e.innerText ?? e.textContent ?? '')).catch(() => []);
        if (texts.length) frames.push({ url: frame.url(), texts });
      }
      return { frames };
    },
    click: async ({ selector, text }) => {
      const handles = await page.$$(selector);
      for (const handle of handles) {
        const label = await handle.evaluate(e => e.innerText ?? e.textContent ?? '');
        if (text === undefined || label.includes(text)) {
          await handle.click();
          return { clicked: label };
        }
      }
      throw new Error(`no element matching ${selector}${text === undefined ? '' : ` with text "${text}"`}`);
    },
    frameClick: async ({ selector, at }) => {
      for (const frame of page.frames()) {
        const handle = await frame.$(selector).catch(() => null);
        if (!handle) continue;
        const box = await handle.boundingBox();
        if (!box) continue; // not displayed in this frame
        const fraction = at ?? { x: 0.5, y: 0.5 };
        // Puppeteer maps the offset through the nested frames to page coordinates and moves the real mouse there.
        await handle.click({ offset: { x: box.width * fraction.x, y: box.height * fraction.y } });
        return { frame: frame.url() };
      }
      throw new Error(`no displayed element matching ${selector} in any frame`);
    },
    inputValue: async ({ selector }) => page.$eval(selector, e => ({ value: e.value, focused: e === document.activeElement }))
      .catch(() => ({ value: undefined, focused: false })),
    screenshot: async ({ name }) => {
      fs.mkdirSync(artifactsDir, { recursive: true });
      const file = path.join(artifactsDir, `${safeName(name)}.png`);
      await page.screenshot({ path: file });
      return { path: file };
    },
  };
  const server = http.createServer((request, response) => {
    const action = actions[(request.url ?? '').replace(/^\//, '')];
    const answer = (status, body) => {
      response.writeHead(status, { 'content-type': 'application/json' });
      response.end(JSON.stringify(body));
    };
    if (request.method !== 'POST' || !action) return answer(404, { error: `no action ${request.method} ${request.url}` });
    readJson(request).then(action).then(body => answer(200, body), error => answer(500, { error: String(error?.message ?? error) }));
  });
  await new Promise((resolve, reject) => server.once('error', reject).listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${server.address().port}`,
    close: () => new Promise(resolve => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}
