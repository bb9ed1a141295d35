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
import { makeProject, openPreview, repoRoot, WAIT_MS, type PreviewHarness } from './previewHarness';

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

describe('preview: the Variables panel\'s input for each type', { timeout: 120_000 }, () => {
  let project: ReturnType<typeof makeProject>;
  let h: PreviewHarness;
  before(async () => {
    project = makeProject('variables-types');
    h = await openPreview(project.entry);
    await h.frameReport(1);
  });
  after(async () => {
    await h?.close();
    project?.remove();
  });

  test('text, number, colour picker (text for a named colour), checkbox, select, font and image as text; a select applies at once', async () => {
    const inputs = await h.page.evaluate(() => Array.from(document.querySelectorAll<HTMLInputElement | HTMLSelectElement>('.variables [data-variable-id]'), input => ({
      id: input.dataset.variableId,
      kind: input instanceof HTMLSelectElement ? `select:${Array.from(input.options, o => o.value).join('|')}` : input.type,
      value: input instanceof HTMLInputElement && input.type === 'checkbox' ? String(input.checked) : input.value,
      label: input.labels?.[0]?.textContent,
    })));
    assert.deepEqual(inputs, [
      { id: 'headline', kind: 'text', value: 'Hi', label: 'Headline' },
      { id: 'count', kind: 'number', value: '3', label: 'count' },
      { id: 'accent', kind: 'color', value: '#112233', label: 'Accent' },
      { id: 'shade', kind: 'text', value: 'rebeccapurple', label: 'Shade' },
      { id: 'dark', kind: 'checkbox', value: 'true', label: 'Dark' },
      { id: 'tone', kind: 'select:calm|loud', value: 'calm', label: 'Tone' },
      { id: 'face', kind: 'text', value: 'Inter', label: 'Face' },
      { id: 'logo', kind: 'text', value: 'logo.png', label: 'Logo' },
    ]);
    await h.page.select('.variables [data-variable-id="tone"]', 'loud');
    await h.page.waitForFunction(() => (window as unknown as { __sent: WebviewToExtensionMessage[] }).__sent
      .some(m => m.type === 'setVariables' && JSON.stringify(m.values) === '{"tone":"loud"}'), { timeout: WAIT_MS });
    await h.applyVariables({ tone: 'loud' });
    await h.frameReport(2);
    assert.equal(await (await h.frame()).evaluate(() => document.getElementById('tone')!.textContent), 'loud');
    // Unchecking a default-true boolean is an edit (false), not "back to the default".
    await h.page.click('.variables [data-variable-id="dark"]');
    await h.page.waitForFunction(() => (window as unknown as { __sent: WebviewToExtensionMessage[] }).__sent
      .some(m => m.type === 'setVariables' && JSON.stringify(m.values) === '{"tone":"loud","dark":false}'), { timeout: WAIT_MS });
  });
});
