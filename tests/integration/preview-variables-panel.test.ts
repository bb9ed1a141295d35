// The preview's Variables panel: one input per declared variable (by type, showing the default); an edit in
// the panel reaches the webview's extension side as 'setVariables', the page is served again with the values
// over the defaults (the manifest path a render's --variables takes) and the frame shows them at the same
// time; Reset sends none and the defaults come back. Pixels are read from a screenshot of the preview's
// iframe. Uses tests/fixtures/render/variables. Needs `npm run build`.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { VariableOverrides, WebviewToExtensionMessage } from '../../server/protocol/webview';
import { closeTo, imagePixel } from '../fixtures/render/helpers';
import { openPreview, repoRoot, WAIT_MS, type PreviewHarness } from './previewHarness';

/** The fixture's composition size and its #swatch (background: var(--accent)) centre. */
const COMPOSITION_WIDTH = 640;
const SWATCH_CENTRE = { x: 60, y: 140 };

describe('preview: the Variables panel', { timeout: 180_000 }, () => {
  let dir: string;
  let h: PreviewHarness;
  let reports = 1;

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-preview-variables-panel-'));
    fs.cpSync(path.join(repoRoot, 'tests/fixtures/render/variables'), dir, { recursive: true });
    fs.mkdirSync(path.join(dir, 'vendor'));
    fs.copyFileSync(path.join(repoRoot, 'node_modules/gsap/dist/gsap.min.js'), path.join(dir, 'vendor/gsap.min.js'));
    h = await openPreview(path.join(dir, 'index.html'));
    await h.frameReport(reports);
  });
  after(async () => {
    await h?.close();
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  /** The swatch's colour in the preview as drawn (the iframe is scaled to fit the panel). */
  async function swatchPixel(): Promise<[number, number, number]> {
    const iframe = await h.iframe();
    const box = await iframe.boundingBox();
    assert.ok(box, 'the iframe is laid out');
    const scale = box.width / COMPOSITION_WIDTH;
    const file = path.join(dir, `shot-${reports}.png`);
    await iframe.screenshot({ path: file as `${string}.png` });
    return imagePixel(file, Math.round(SWATCH_CENTRE.x * scale), Math.round(SWATCH_CENTRE.y * scale));
  }

  async function titleText(): Promise<string> {
    return (await h.frame()).evaluate(() => document.getElementById('title')!.textContent!);
  }

  /** Types into the panel's input of `id` as a user does (a colour picker's pick sets its value and fires input). */
  async function edit(id: string, value: string): Promise<void> {
    await h.page.evaluate((variable, text) => {
      const input = document.querySelector<HTMLInputElement>(`.variables [data-variable-id="${variable}"]`)!;
      input.focus();
      input.value = text;
      input.dispatchEvent(new Event('input', { bubbles: true }));
      input.blur();
    }, id, value);
  }

  /** Waits until the newest 'setVariables' the webview sent carries `expected` (edits within the typing pause send one). */
  async function setVariablesMessage(expected: VariableOverrides): Promise<VariableOverrides> {
    await h.page.waitForFunction(json => {
      const sent = (window as unknown as { __sent: WebviewToExtensionMessage[] }).__sent.filter(m => m.type === 'setVariables');
      const last = sent[sent.length - 1];
      return last?.type === 'setVariables' && JSON.stringify(last.values) === json;
    }, { timeout: WAIT_MS }, JSON.stringify(expected));
    const sent = (await h.sent()).filter(m => m.type === 'setVariables');
    const last = sent[sent.length - 1];
    assert.ok(last?.type === 'setVariables');
    return last.values;
  }

  test('shows one input per variable by type, with its default', async () => {
    const inputs = await h.page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('.variables [data-variable-id]'), input => ({
      id: input.dataset.variableId, type: input.type, value: input.value, label: input.labels?.[0]?.textContent,
    })));
    assert.deepEqual(inputs, [
      { id: 'title', type: 'text', value: 'WWWWWWWW', label: 'Title' },
      { id: 'accent', type: 'color', value: '#ff0000', label: 'Accent' },
      { id: 'logo', type: 'text', value: 'assets/red.png', label: 'Logo' },
      { id: 'distance', type: 'number', value: '100', label: 'Distance' },
    ]);
    assert.equal(await h.page.evaluate(() => document.querySelector<HTMLDetailsElement>('details.variables')!.hidden), false);
    assert.equal(await h.page.evaluate(() => document.querySelector<HTMLButtonElement>('.variables-reset')!.disabled), true, 'nothing to reset yet');
  });

  test('an edit reloads the frame with the value at the same time; Reset brings the defaults back', async () => {
    await h.send({ type: 'seek', time: 1.5 });
    await h.settled();
    assert.ok(closeTo(await swatchPixel(), [255, 0, 0], 8), 'the default accent is red');
    assert.equal(await titleText(), 'WWWWWWWW');

    await edit('accent', '#00ff00');
    await edit('title', 'Hi');
    const values = await setVariablesMessage({ accent: '#00ff00', title: 'Hi' });
    await h.applyVariables(values);
    await h.frameReport(++reports);
    assert.equal(await h.settled(), 1.5, 'the timeline keeps its position');
    const green = await swatchPixel();
    assert.ok(closeTo(green, [0, 255, 0], 8), `the swatch shows the new accent: ${green.join(',')}`);
    assert.equal(await titleText(), 'Hi');
    // The file is not changed.
    assert.match(fs.readFileSync(path.join(dir, 'index.html'), 'utf8'), /"default":"#ff0000"/);
    assert.equal(await h.page.evaluate(() => document.querySelector<HTMLInputElement>('.variables [data-variable-id="accent"]')!.value), '#00ff00');

    // A save reloads with the panel's values still applied.
    await h.reload();
    await h.frameReport(++reports);
    assert.ok(closeTo(await swatchPixel(), [0, 255, 0], 8), 'a reload keeps the panel\'s values');

    await h.page.click('.variables-reset');
    const reset = await setVariablesMessage({});
    await h.applyVariables(reset);
    await h.frameReport(++reports);
    assert.equal(await h.settled(), 1.5);
    assert.ok(closeTo(await swatchPixel(), [255, 0, 0], 8), 'Reset restores the default accent');
    assert.equal(await titleText(), 'WWWWWWWW');
    assert.deepEqual(await h.page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement>('.variables [data-variable-id]'), input => input.value)),
      ['WWWWWWWW', '#ff0000', 'assets/red.png', '100']);
  });

  test('"Render with These Values" sends the values the panel holds', async () => {
    await edit('distance', '250');
    await h.page.click('.variables-render');
    const sent = await h.sent();
    const render = sent.filter(m => m.type === 'renderWithVariables').pop();
    assert.deepEqual(render, { type: 'renderWithVariables', values: { distance: 250 } });
  });
});
