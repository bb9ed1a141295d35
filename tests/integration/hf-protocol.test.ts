// Pages that speak the engine protocol themselves (`window.__hf = { duration, seek(t) }` on a
// `<body data-composition-id data-no-timeline>`): a valid page renders by its own seek; every bad shape is
// one typed diagnostic at the script that assigned window.__hf, in check and in the render (which fails with
// it), never a JavaScript error text.
import assert from 'node:assert/strict';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { WarmBrowser } from '../../server/engine/browser';
import type { DiagnosticCode } from '../../server/engine/model';
import { checkComposition } from '../../server/engine/probe';
import { renderJob } from '../../server/engine/render/renderJob';
import { StageError } from '../../server/engine/errors';
import { BLACK, BOX_RED, JS_ERROR_TEXT, PROTOCOL_SCRIPT_LINE, selfDrivingProject } from '../fixtures/render/adapterCompositions';
import { closeTo, pixelAt, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 180_000;
const TOLERANCE = 14;

/** A bad protocol shape and the code it must be reported with. */
const SHAPES: Array<{ name: string; protocol: string; code: DiagnosticCode }> = [
  { name: 'seek missing', protocol: '{ duration: 2 }', code: 'hf-protocol-missing-seek' },
  { name: 'seek not a function', protocol: '{ duration: 2, seek: 5 }', code: 'hf-protocol-invalid-seek' },
  { name: 'seek throwing', protocol: '{ duration: 2, seek() { throw new Error("seek exploded"); } }', code: 'hf-protocol-seek-threw' },
  { name: 'seek rejecting', protocol: '{ duration: 2, seek() { return Promise.reject(new Error("no frame")); } }', code: 'hf-protocol-seek-rejected' },
  { name: 'seek never settling', protocol: '{ duration: 2, seek() { return new Promise(() => {}); } }', code: 'hf-protocol-seek-timeout' },
  { name: 'duration missing', protocol: '{ seek() {} }', code: 'hf-protocol-missing-duration' },
  { name: 'duration NaN', protocol: '{ duration: NaN, seek() {} }', code: 'hf-protocol-invalid-duration' },
  { name: 'duration negative', protocol: '{ duration: -3, seek() {} }', code: 'hf-protocol-invalid-duration' },
  { name: 'duration Infinity', protocol: '{ duration: Infinity, seek() {} }', code: 'hf-protocol-invalid-duration' },
  { name: 'duration a string', protocol: '{ duration: "2", seek() {} }', code: 'hf-protocol-invalid-duration' },
  { name: 'duration getter throwing', protocol: '{ get duration() { throw new Error("no length yet"); }, seek() {} }', code: 'hf-protocol-duration-threw' },
  { name: 'not an object', protocol: '42', code: 'hf-protocol-invalid' },
];

const projects: string[] = [];
after(() => projects.forEach(removeProject));

function project(protocol?: string): string {
  const dir = selfDrivingProject(protocol);
  projects.push(dir);
  return path.join(dir, 'index.html');
}

function assertMovingBox(output: string): void {
  for (const frame of [0, 30, 59]) {
    const left = 20 + 120 * (frame / 30);
    assert.ok(closeTo(pixelAt(output, frame, Math.round(left + 3), 90), BOX_RED, TOLERANCE), `box at frame ${frame}`);
    assert.ok(closeTo(pixelAt(output, frame, Math.round(left + 43), 90), BLACK, TOLERANCE), `right of the box at frame ${frame}`);
  }
}

describe('a page that drives itself through window.__hf', { timeout: TIMEOUT }, () => {
  test('seek returning a promise: check finds 2 s and no error; the render shows the page at each t', async () => {
    const entry = project();
    const checked = await checkComposition(entry);
    assert.equal(checked.duration, 2);
    assert.deepEqual(checked.diagnostics.filter(d => d.severity === 'error'), []);
    const output = path.join(path.dirname(entry), 'out.mp4');
    const result = await renderJob({ entryFile: entry, outputPath: output });
    assert.equal(result.frames, 60);
    assertMovingBox(output);
  });

  test('a synchronous seek (returning nothing) renders the same', async () => {
    const entry = project(`{ duration: 2, seek(t) { box.style.left = (20 + 120 * Math.min(t, 2)) + 'px'; } }`);
    const output = path.join(path.dirname(entry), 'out.mp4');
    const result = await renderJob({ entryFile: entry, outputPath: output });
    assert.equal(result.frames, 60);
    assertMovingBox(output);
  });

  test('a seek that fails only on a later frame fails the render with its code and frame', async () => {
    const entry = project(`{ duration: 2, seek(t) { if (t > 1) throw new Error("past one second"); } }`);
    await assert.rejects(renderJob({ entryFile: entry, outputPath: path.join(path.dirname(entry), 'out.mp4') }), (error: unknown) => {
      assert.ok(error instanceof StageError);
      assert.equal(error.code, 'hf-protocol-seek-threw');
      assert.match(error.message, /^Frame \d+ \(t = 1\.0\d\d s\): window\.__hf\.seek\(1\.0\d+\) threw "past one second"\.$/);
      return true;
    });
  });
});

describe('bad window.__hf shapes: one typed diagnostic at the assignment, in check and render', { timeout: TIMEOUT }, () => {
  let browser: WarmBrowser;
  before(() => { browser = new WarmBrowser(); });
  after(() => browser.close());

  for (const shape of SHAPES) {
    test(shape.name, async () => {
      const entry = project(shape.protocol);
      const checked = await checkComposition(entry, { browser });
      const errors = checked.diagnostics.filter(d => d.severity === 'error');
      assert.deepEqual(errors.map(d => d.code), [shape.code], JSON.stringify(errors));
      const [diagnostic] = errors;
      assert.equal(diagnostic.file, entry);
      assert.equal(diagnostic.range.start.line, PROTOCOL_SCRIPT_LINE, 'at the window.__hf assignment');
      assert.doesNotMatch(diagnostic.message, JS_ERROR_TEXT);

      await assert.rejects(renderJob({ entryFile: entry, outputPath: path.join(path.dirname(entry), 'out.mp4') }), (error: unknown) => {
        assert.ok(error instanceof StageError, String(error));
        assert.doesNotMatch(error.message, JS_ERROR_TEXT);
        assert.ok(error.diagnostics.some(d => d.code === shape.code && d.range.start.line === PROTOCOL_SCRIPT_LINE), error.message);
        return true;
      });
    });
  }
});
