// 200 randomized window.__hf shapes (seeded, so a failure reproduces) through check and render: whatever the
// page gives — values of every type, getters that throw, seeks that throw, reject, never settle or fail on a
// later frame, thenables whose then() throws — no JavaScript error text reaches a diagnostic or an error,
// and a render either succeeds with the page's frame count or fails with a typed error.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WarmBrowser } from '../../server/engine/browser';
import { checkComposition } from '../../server/engine/probe';
import { renderJob } from '../../server/engine/render/renderJob';
import { StageError } from '../../server/engine/errors';
import { JS_ERROR_TEXT, selfDrivingProject } from '../fixtures/render/adapterCompositions';
import { removeProject } from '../fixtures/render/helpers';

const SHAPES = 200;
const SEED = 0x5eed;

/** Mulberry32: a small seeded generator, so the shapes are the same on every run. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shapes(): string[] {
  const random = generator(SEED);
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)];
  const thrown = () => pick(['new Error("fuzz failure")', '"a string"', '42', 'null', 'undefined', '{ code: 7 }', 'new RangeError("fuzz range")']);
  // Short valid durations keep the renders small (the page is 320×180 at 30 fps).
  const durations = ['0.1', '0.2', '0', '-1', 'NaN', 'Infinity', '-Infinity', '"0.2"', 'null', 'undefined', '{}', '[]', 'true', '() => 1'];
  const seeks = [
    'function (t) { box.style.left = (20 + 100 * t) + "px"; }',
    'function (t) { return Promise.resolve(); }',
    'function (t) { return new Promise(r => requestAnimationFrame(() => r())); }',
    'function (t) { return new Promise(r => setTimeout(r, 0)); }',
    'async function (t) { await null; }',
    () => `function (t) { throw ${thrown()}; }`,
    () => `function (t) { return Promise.reject(${thrown()}); }`,
    () => `function (t) { if (t > 0.05) throw ${thrown()}; }`,
    () => `function (t) { return { then() { throw ${thrown()}; } }; }`,
    'function (t) { return { then: 5 }; }',
    'function (t) { return 17; }',
    '5', '"seek"', 'null', '{}', '[]',
  ];
  const neverSettles = 'function (t) { return new Promise(() => {}); }';
  const fields = ['undefined', '[]', '[{ elementId: "v", src: "a.mp4", startTime: 0, endTime: 1 }]', '5', '"media"', '[1, 2]', 'null'];
  const list: string[] = [];
  for (let i = 0; i < SHAPES; i++) {
    const kind = random();
    if (kind < 0.06) {
      list.push(pick(['42', '"hf"', 'null', 'undefined', 'true', '[]', '() => 2']));
      continue;
    }
    const members: string[] = [];
    const duration = random();
    if (duration < 0.15) members.push(`get duration() { throw ${thrown()}; }`);
    else if (duration < 0.9) members.push(`duration: ${pick(durations)}`);
    const seekRoll = random();
    // A seek that never settles costs the timeout twice (check and render): kept rare.
    const seek = seekRoll < 0.02 ? neverSettles : pick(seeks);
    if (random() < 0.1) members.push(`get seek() { throw ${thrown()}; }`);
    else if (random() < 0.9) members.push(`seek: ${typeof seek === 'function' ? seek() : seek}`);
    if (random() < 0.3) members.push(`media: ${pick(fields)}`);
    if (random() < 0.3) members.push(`transitions: ${pick(fields)}`);
    list.push(`{ ${members.join(', ')} }`);
  }
  return list;
}

describe('fuzz: 200 window.__hf shapes through check and render', { timeout: 1_800_000 }, () => {
  let browser: WarmBrowser;
  const projects: string[] = [];
  before(() => { browser = new WarmBrowser(); });
  after(async () => {
    await browser.close();
    projects.forEach(removeProject);
  });

  test('no JavaScript error text in any diagnostic or error; renders succeed or fail typed', async () => {
    let rendered = 0;
    let refused = 0;
    for (const [index, protocol] of shapes().entries()) {
      const dir = selfDrivingProject(protocol);
      projects.push(dir);
      const entry = path.join(dir, 'index.html');
      const label = `shape ${index}: ${protocol}`;
      const checked = await checkComposition(entry, { browser });
      for (const diagnostic of checked.diagnostics) {
        assert.doesNotMatch(diagnostic.message, JS_ERROR_TEXT, `${label}: check ${diagnostic.code}`);
        assert.notEqual(diagnostic.code, 'probe-failed', `${label}: ${diagnostic.message}`);
      }
      try {
        const result = await renderJob({ entryFile: entry, outputPath: path.join(dir, 'out.mp4'), workers: 1 });
        assert.equal(result.frames, checked.frameCount, label);
        rendered++;
      } catch (error) {
        assert.ok(error instanceof StageError, `${label}: ${String(error)}`);
        assert.doesNotMatch(error.message, JS_ERROR_TEXT, label);
        for (const diagnostic of error.diagnostics) assert.doesNotMatch(diagnostic.message, JS_ERROR_TEXT, label);
        assert.ok(/^(hf-protocol-|composition-errors$|zero-duration$)/.test(error.code), `${label}: code ${error.code}: ${error.message}`);
        refused++;
      }
      removeProject(dir);
    }
    // The generator makes both kinds; a run that only ever refused (or rendered) would test half the story.
    assert.ok(rendered > 10 && refused > 10, `rendered ${rendered}, refused ${refused}`);
  });
});
