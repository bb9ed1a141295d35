// The preview UI (dist/webview.js) in headless Chromium against a real composition served by the real
// file server: timeline layout from the compiled clips, transport, scrubbing, live reload keeping the time,
// and a readable message for a composition with nothing to play.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import type { Frame } from 'puppeteer-core';
import { makeProject, openPreview, WAIT_MS, type PreviewHarness } from './previewHarness';
import { NOT_A_COMPOSITION_MESSAGE } from '../../extension/preview/session';

const FPS = 30;
/** The fixture's GSAP tween: #box moves x 0 → 400 from 0.5 s to 2.5 s, linearly. */
function expectedBoxX(t: number): number {
  return 400 * Math.min(Math.max((t - 0.5) / 2, 0), 1);
}

async function boxX(frame: Frame): Promise<number> {
  return frame.evaluate(() => new DOMMatrix(getComputedStyle(document.getElementById('box')!).transform).m41);
}

async function press(h: PreviewHarness, key: string, shift = false): Promise<number> {
  if (shift) await h.page.keyboard.down('Shift');
  await h.page.keyboard.press(key as Parameters<typeof h.page.keyboard.press>[0]);
  if (shift) await h.page.keyboard.up('Shift');
  return h.settled();
}

/** Channels 0–1 of a computed colour: rgb()/rgba(), or color(srgb …) as color-mix() computes. */
function colourChannels(colour: string): number[] {
  const rgb = /^rgba?\(([\d.]+), ([\d.]+), ([\d.]+)/.exec(colour);
  if (rgb) return [Number(rgb[1]) / 255, Number(rgb[2]) / 255, Number(rgb[3]) / 255];
  const srgb = /^color\(srgb ([\d.]+) ([\d.]+) ([\d.]+)/.exec(colour);
  if (srgb) return [Number(srgb[1]), Number(srgb[2]), Number(srgb[3])];
  throw new Error(`unparsed colour ${colour}`);
}

/** WCAG 2 contrast ratio of two colours. */
function contrastRatio(a: string, b: string): number {
  const luminance = (colour: string) => {
    const [r, g, bl] = colourChannels(colour).map(c => (c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [high, low] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (high + 0.05) / (low + 0.05);
}

describe('preview webview', { timeout: 180_000 }, () => {
  const project = makeProject('basic');
  let h: PreviewHarness;

  before(async () => {
    h = await openPreview(project.entry);
    const report = await h.frameReport(1);
    assert.deepEqual(report.type === 'frameStatus' && report.status, 'loaded', JSON.stringify(report));
  });
  after(async () => {
    await h?.close();
    project.remove();
  });

  test('the webview state names the composition before any interaction (the serializer restores from it)', async () => {
    const state = await h.state();
    assert.equal(state?.uri, pathToFileURL(project.entry).toString());
    assert.equal(state?.time, 0);
  });

  test('the timeline draws one row per track and a bar per clip at its resolved start and duration', async () => {
    const layout = await h.page.evaluate(() => {
      const content = document.querySelector<HTMLElement>('.timeline-content')!;
      const origin = content.getBoundingClientRect().left;
      return {
        width: content.getBoundingClientRect().width,
        rows: [...document.querySelectorAll<HTMLElement>('.track-row')].map(row => row.dataset.track),
        bars: [...document.querySelectorAll<HTMLElement>('.clip-bar')].map(bar => ({
          id: bar.dataset.clipId!,
          row: bar.closest<HTMLElement>('.track-row')!.dataset.track,
          label: bar.textContent,
          left: bar.getBoundingClientRect().left - origin,
          width: bar.getBoundingClientRect().width,
        })),
      };
    });
    assert.deepEqual(layout.rows, ['0', '1', '2', '3']);
    // Tracks are named by their clips, not by their number (which stays in the tooltip).
    const labels = await h.page.$$eval('.track-label:not(.ruler-spacer)', els => els.map(e => [e.textContent, (e as HTMLElement).title]));
    assert.deepEqual(labels, [['bg', 'Track 0: bg'], ['box', 'Track 1: box'], ['label', 'Track 2: label'], ['ring', 'Track 3: ring']]);
    const pps = layout.width / 3;
    // label starts at "box" (the end of box: 0.5 + 2 = 2.5 s), as compile resolved it.
    const expected = { bg: [0, 3, '0'], box: [0.5, 2, '1'], label: [2.5, 0.5, '2'], ring: [0, 3, '3'] } as const;
    assert.equal(layout.bars.length, 4);
    for (const bar of layout.bars) {
      const [start, duration, row] = expected[bar.id as keyof typeof expected];
      assert.equal(bar.row, row, `${bar.id} row`);
      assert.equal(bar.label, bar.id);
      assert.ok(Math.abs(bar.left - start * pps) < 1, `${bar.id} left ${bar.left} ≈ ${start * pps}`);
      assert.ok(Math.abs(bar.width - duration * pps) < 1, `${bar.id} width ${bar.width} ≈ ${duration * pps}`);
    }
  });

  test('transport: frame steps, ±1 s, Home/End, and the readouts', async () => {
    await h.page.click('.stage'); // focus the webview document, as a user click would
    assert.equal(await press(h, 'Home'), 0);
    assert.equal(await press(h, 'ArrowRight'), 1 / FPS);
    assert.equal(await press(h, 'ArrowRight'), 2 / FPS);
    assert.equal(await press(h, 'ArrowLeft'), 1 / FPS);
    assert.ok(Math.abs(await press(h, 'ArrowRight', true) - (1 + 1 / FPS)) < 1e-9);
    const end = await press(h, 'End');
    assert.equal(end, (3 * FPS - 1) / FPS, 'End is the last rendered frame');
    const readouts = await h.page.evaluate(() => ({
      frame: document.querySelector('[data-readout=frame]')!.textContent,
      duration: document.querySelector('[data-readout=duration]')!.textContent,
    }));
    assert.equal(readouts.frame, 'frame 89 / 90');
    assert.equal(readouts.duration, 'of 0:03.000');
    const frame = await h.frame();
    assert.equal(await boxX(frame), 400, 'the iframe shows the end state');
    assert.equal(await press(h, 'Home'), 0);
    assert.equal(await boxX(await h.frame()), 0);
  });

  test('play at 0:00 plays even when the animation frame began before the key press (its timestamp is earlier)', async () => {
    await press(h, 'Home');
    // A browser stamps an animation frame with when the frame began, which can precede the key press.
    await h.page.evaluate(() => {
      const real = window.requestAnimationFrame;
      (window as { __realRaf?: typeof real }).__realRaf = real;
      window.requestAnimationFrame = callback => real.call(window, timestamp => callback(timestamp - 50));
    });
    try {
      await h.page.keyboard.press('Space');
      await h.page.waitForFunction(() => Number(document.body.dataset.time) > 0.2 && document.body.dataset.playing === 'true', { timeout: WAIT_MS });
      await h.page.keyboard.press('k');
    } finally {
      await h.page.evaluate(() => { window.requestAnimationFrame = (window as { __realRaf?: typeof window.requestAnimationFrame }).__realRaf!; });
    }
  });

  test('play advances time in real time and pause stops it', async () => {
    await press(h, 'Home');
    await h.page.keyboard.press('Space');
    await h.page.waitForFunction(() => Number(document.body.dataset.time) > 0.4, { timeout: WAIT_MS }).catch(async error => {
      const why = await h.page.evaluate(() => ({ ...document.body.dataset, focus: document.activeElement?.outerHTML.slice(0, 80) }));
      throw new Error(`${String(error)}: ${JSON.stringify(why)}`);
    });
    await h.page.keyboard.press('k');
    const paused = await h.settled();
    assert.equal(await h.page.evaluate(() => document.body.dataset.playing), 'false');
    assert.ok(paused > 0.4 && paused < 3, `paused at ${paused}`);
    const x = await boxX(await h.frame());
    assert.ok(Math.abs(x - expectedBoxX(paused)) < 0.5, `box at ${x}, expected ${expectedBoxX(paused)} for t=${paused}`);
  });

  test('dragging the playhead scrubs, and the iframe shows the seeked state', async () => {
    const rect = await h.page.evaluate(() => {
      const r = document.querySelector('.ruler')!.getBoundingClientRect();
      return { left: r.left, width: r.width, y: r.top + r.height / 2 };
    });
    const xAt = (t: number) => rect.left + (t / 3) * rect.width;
    await h.page.mouse.move(xAt(0.2), rect.y);
    await h.page.mouse.down();
    for (let i = 1; i <= 10; i++) await h.page.mouse.move(xAt(0.2 + (i / 10) * 1.3), rect.y);
    await h.page.mouse.up();
    const t = await h.settled();
    assert.ok(Math.abs(t - 1.5) < 0.02, `scrubbed to ${t}`);
    assert.equal(t, Math.round(t * FPS) / FPS, `a scrub lands on a frame (${t} s = frame ${t * FPS})`);
    // A press between frames (1.512 s: frame 45.36) lands on the nearest one.
    await h.page.mouse.click(xAt(1.512), rect.y);
    assert.equal(await h.settled(), 45 / FPS);
    const x = await boxX(await h.frame());
    assert.ok(Math.abs(x - expectedBoxX(t)) < 0.5, `box at ${x}, expected ${expectedBoxX(t)}`);
    assert.ok(Math.abs((await h.state())!.time - t) < 1e-9, 'the time is saved in the webview state');
  });

  test('a save reloads the preview and keeps the current time', async () => {
    await h.send({ type: 'seek', time: 1.5 });
    assert.equal(await h.settled(), 1.5);
    const reportsBefore = (await h.sent()).filter(m => m.type === 'frameStatus').length;
    const source = fs.readFileSync(project.entry, 'utf8');
    fs.writeFileSync(project.entry, source.replace('#bg { position: absolute; inset: 0; background: #1050a0; }',
      '#bg { position: absolute; inset: 0; background: #a01050; }'));
    await h.reload();
    await h.frameReport(reportsBefore + 1);
    assert.equal(await h.settled(), 1.5, 'the playhead stayed');
    const frame = await h.frame();
    assert.equal(await frame.evaluate(() => getComputedStyle(document.getElementById('bg')!).backgroundColor), 'rgb(160, 16, 80)');
    assert.equal(await boxX(frame), expectedBoxX(1.5), 'the new page is seeked to the kept time');
    assert.equal(await h.page.$$eval('iframe.frame', frames => frames.length), 1, 'the old page is gone');
  });

  test('clicking a bar asks the extension to reveal the clip; in/out and Render Range send the range', async () => {
    await h.page.click('.clip-bar[data-clip-id="box"]');
    await h.send({ type: 'seek', time: 1 });
    await h.settled();
    await h.page.keyboard.press('i');
    await h.send({ type: 'seek', time: 2 });
    await h.settled();
    await h.page.keyboard.press('o');
    await h.page.click('button[data-action="render-range"]');
    const sent = await h.sent();
    assert.ok(sent.some(m => m.type === 'revealClip' && m.clipId === 'box'));
    assert.deepEqual(sent.filter(m => m.type === 'renderRange').at(-1), { type: 'renderRange', range: { start: 1, end: 2 } });
    assert.deepEqual((await h.state())!.range, { start: 1, end: 2 });
  });

  test('clicking the frame reveals the clip drawn under the pointer at the current time (click-to-source)', async () => {
    /** Clicks the frame at composition pixel (x, y); resolves with the clip the webview asked to reveal. */
    const clickFrameAt = async (x: number, y: number): Promise<string> => {
      const rect = await h.page.$eval('iframe.frame:not(.loading)', f => {
        const r = f.getBoundingClientRect();
        return { left: r.left, top: r.top, width: r.width, height: r.height };
      });
      const before = (await h.sent()).filter(m => m.type === 'revealClip').length;
      await h.page.mouse.click(rect.left + (x / 640) * rect.width, rect.top + (y / 360) * rect.height);
      await h.page.waitForFunction(count => (window as unknown as { __sent: { type: string }[] }).__sent
        .filter(m => m.type === 'revealClip').length > count, { timeout: WAIT_MS }, before);
      const last = (await h.sent()).filter(m => m.type === 'revealClip').at(-1);
      return last?.type === 'revealClip' ? last.clipId : '';
    };
    // (190, 180): the background at 0.2 s (the box starts at 0.5 s); at 1 s the box has moved there (x 100 → 140–240 px).
    await h.send({ type: 'seek', time: 0.2 });
    await h.settled();
    assert.equal(await clickFrameAt(190, 180), 'bg');
    await h.send({ type: 'seek', time: 1 });
    await h.settled();
    assert.equal(await clickFrameAt(190, 180), 'box');
    assert.deepEqual(await h.page.$$eval('.clip-bar.highlighted', bars => bars.map(b => (b as HTMLElement).dataset.clipId)), ['box']);
    // The label is on screen from 2.5 s only: before that its place shows the background.
    assert.equal(await clickFrameAt(40, 40), 'bg');
    await h.send({ type: 'seek', time: 2.6 });
    await h.settled();
    assert.equal(await clickFrameAt(40, 40), 'label');
  });

  test('the transport draws codicons from the bundled font, and one Fit button', async () => {
    await h.page.evaluate(() => document.fonts.ready);
    const transport = await h.page.evaluate(() => ({
      icons: [...document.querySelectorAll<HTMLElement>('.transport button .codicon')].map(i => i.className.replace('codicon ', '')),
      texts: [...document.querySelectorAll<HTMLElement>('.transport button')].map(b => b.textContent?.trim() ?? '').filter(text => text !== ''),
      font: [...document.fonts].filter(face => face.family.replace(/"/g, '') === 'codicon').map(face => face.status),
      glyphWidth: document.querySelector('.transport button[data-action="toggle-play"] .codicon')!.getBoundingClientRect().width,
    }));
    assert.deepEqual(transport.icons, ['codicon-debug-reverse-continue', 'codicon-chevron-left', 'codicon-play', 'codicon-chevron-right',
      'codicon-debug-continue', 'codicon-sync', 'codicon-close', 'codicon-zoom-out', 'codicon-zoom-in', 'codicon-screen-full']);
    // Words only: no Unicode glyph stands in for an icon; "Fit" is the timeline's, once.
    assert.deepEqual(transport.texts, ['In', 'Out', 'Render Range', 'Fit']);
    assert.deepEqual(transport.font, ['loaded']);
    assert.equal(transport.glyphWidth, 16);
  });

  test('the ruler labels the end inside the timeline (not clipped at its edge)', async () => {
    const end = await h.page.evaluate(() => {
      const tick = document.querySelector<HTMLElement>('.ruler .tick.end')!;
      const scroller = document.querySelector<HTMLElement>('.timeline-scroll')!.getBoundingClientRect();
      const r = tick.getBoundingClientRect();
      return { text: tick.textContent, left: r.left, right: r.right, scrollerLeft: scroller.left, scrollerRight: scroller.right };
    });
    assert.equal(end.text, '0:03');
    assert.ok(end.right <= end.scrollerRight + 0.5 && end.left >= end.scrollerLeft, `end label ${end.left}–${end.right} inside ${end.scrollerLeft}–${end.scrollerRight}`);
  });

  test('a sub-composition bar is readable in light and dark themes (contrast ≥ 4.5)', async () => {
    // VS Code's Light+ and Dark+ values of the variables the bar reads.
    const themes = {
      light: { '--vscode-editor-foreground': '#000000', '--vscode-editor-background': '#ffffff', '--vscode-charts-purple': '#652d90', '--vscode-badge-foreground': '#333333', '--vscode-badge-background': '#c4c4c4' },
      dark: { '--vscode-editor-foreground': '#d4d4d4', '--vscode-editor-background': '#1e1e1e', '--vscode-charts-purple': '#b180d7', '--vscode-badge-foreground': '#ffffff', '--vscode-badge-background': '#4d4d4d' },
    };
    for (const [name, variables] of Object.entries(themes)) {
      const colours = await h.page.evaluate(vars => {
        for (const [variable, value] of Object.entries(vars)) document.documentElement.style.setProperty(variable, value);
        const bar = document.createElement('div');
        bar.className = 'clip-bar kind-composition';
        bar.textContent = 'scene';
        document.querySelector('.track-row')!.append(bar);
        const style = getComputedStyle(bar);
        const result = { text: style.color, background: style.backgroundColor };
        bar.remove();
        for (const variable of Object.keys(vars)) document.documentElement.style.removeProperty(variable);
        return result;
      }, variables);
      const ratio = contrastRatio(colours.text, colours.background);
      assert.ok(ratio >= 4.5, `${name} theme: ${colours.text} on ${colours.background} has contrast ${ratio.toFixed(2)}`);
    }
  });

  test('a highlighted clip is marked, and seeks when asked', async () => {
    await h.send({ type: 'highlightClip', clipId: 'label', seek: true });
    assert.equal(await h.settled(), 2.5);
    assert.deepEqual(await h.page.$$eval('.clip-bar.highlighted', bars => bars.map(b => (b as HTMLElement).dataset.clipId)), ['label']);
  });
});

describe('preview behind a path-prefixed proxy', { timeout: 120_000 }, () => {
  test('the composition loads and seeks through code-server\'s /proxy/<port>/ URL', async () => {
    const project = makeProject('basic');
    const h = await openPreview(project.entry, { behindPrefixProxy: true });
    try {
      const report = await h.frameReport(1);
      assert.deepEqual(report, { ...report, type: 'frameStatus', status: 'loaded', duration: 3 });
      assert.match(await h.page.$eval('iframe.frame', f => (f as HTMLIFrameElement).src), /\/proxy\/\d+\/index\.html$/);
      await h.send({ type: 'seek', time: 1.5 });
      assert.equal(await h.settled(), 1.5);
      assert.equal(await boxX(await h.frame()), expectedBoxX(1.5));
    } finally {
      await h.close();
      project.remove();
    }
  });
});

describe('preview problems', { timeout: 120_000 }, () => {
  test('a file that is not a composition says so, not that its duration is 0', async () => {
    const project = makeProject('not-composition');
    const h = await openPreview(project.entry);
    try {
      const report = await h.frameReport(1);
      assert.equal(report.type === 'frameStatus' && report.status, 'loaded');
      const message = await h.page.$eval('.frame-message', el => ({ hidden: (el as HTMLElement).hidden, text: el.textContent }));
      assert.equal(message.hidden, false);
      assert.equal(message.text, NOT_A_COMPOSITION_MESSAGE);
      const problems = await h.page.$$eval('.problems .problem', els => els.map(el => el.textContent));
      assert.deepEqual(problems, [NOT_A_COMPOSITION_MESSAGE]);
    } finally {
      await h.close();
      project.remove();
    }
  });

  test('a composition with nothing to play shows a readable message, not a blank frame', async () => {
    const project = makeProject('zero');
    const h = await openPreview(project.entry);
    try {
      const report = await h.frameReport(1);
      assert.equal(report.type === 'frameStatus' && report.status, 'loaded');
      assert.equal(report.type === 'frameStatus' && report.status === 'loaded' && report.duration, 0);
      const message = await h.page.$eval('.frame-message', el => ({ hidden: (el as HTMLElement).hidden, text: el.textContent }));
      assert.equal(message.hidden, false);
      assert.match(message.text ?? '', /duration is 0/);
    } finally {
      await h.close();
      project.remove();
    }
  });
});
