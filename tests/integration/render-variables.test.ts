// Composition variables, rendered by the CLI (dist/cli.js) in real Chromium and read back as pixels: the
// fixture tests/fixtures/render/variables binds a title's text (data-var-text: its box is as wide as its
// text), an image's src (data-var-src), a swatch's colour (var(--accent)), a GSAP tween built at load from
// getVariables(), and two instances of one sub-composition with their own data-variable-values (a colour by
// custom property, a width by the instance's getVariables()). Then a 3-row batch with one failing row.
// Needs `npm run build`.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, test } from 'node:test';
import { closeTo, GSAP_SOURCE, pixelAt, probeStreams, removeProject } from '../fixtures/render/helpers';

const TIMEOUT = 240_000;
const repoRoot = path.resolve(__dirname, '../..');
const CLI = path.join(repoRoot, 'dist/cli.js');
const FIXTURE = path.join(repoRoot, 'tests/fixtures/render/variables');

const BACKGROUND = [32, 32, 32];
const WHITE = [255, 255, 255];
const RED = [255, 0, 0];
const GREEN = [0, 255, 0];
const BLUE = [0, 0, 255];
const YELLOW = [255, 255, 0];
/** H.264 4:2:0 on flat areas away from edges. */
const TOLERANCE = 14;

/** Where each binding shows (frame 45 = 1.5 s: the tween has ended at `distance`). */
const PROBES = {
  titleFar: [250, 45], // inside the default title's box ("WWWWWWWW"), outside a one-letter title's
  titleNear: [30, 45],
  swatch: [60, 140],
  logo: [150, 130],
  moverAt100: [120, 220],
  moverAt400: [420, 220],
  chipANarrowPart: [60, 310],
  chipAWidePart: [140, 310], // only a wide chip covers it (chip-a: "wide": true from its host)
  chipBNarrowPart: [280, 310],
  chipBWidePart: [360, 310],
} as const;

const OVERRIDES = { title: 'W', accent: '#00ff00', logo: 'assets/blue.png', distance: 400 };

function render(args: string[]): { status: number | null; stdout: string; stderr: string } {
  return spawnSync(process.execPath, [CLI, 'render', ...args], { encoding: 'utf8' });
}

function colourAt(file: string, frame: number, probe: readonly [number, number]): [number, number, number] {
  return pixelAt(file, frame, probe[0], probe[1]);
}

function assertColour(file: string, frame: number, name: keyof typeof PROBES, expected: readonly number[]): void {
  const actual = colourAt(file, frame, PROBES[name]);
  assert.ok(closeTo(actual, expected, TOLERANCE), `${path.basename(file)} frame ${frame} ${name}: ${actual.join(',')} is not ${expected.join(',')}`);
}

describe('render: composition variables', { timeout: TIMEOUT }, () => {
  let project: string;
  before(() => {
    assert.ok(fs.existsSync(CLI), 'dist/cli.js exists (npm run build)');
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-variables-'));
    fs.cpSync(FIXTURE, project, { recursive: true });
    fs.mkdirSync(path.join(project, 'vendor'));
    fs.copyFileSync(GSAP_SOURCE, path.join(project, 'vendor/gsap.min.js'));
  });
  after(() => removeProject(project));

  test('the declared defaults: text, image, custom property, getVariables() at load, per-instance values', () => {
    const output = path.join(project, 'defaults.mp4');
    const run = render([project, '-o', output]);
    assert.equal(run.status, 0, run.stderr);
    assertColour(output, 45, 'titleFar', WHITE);
    assertColour(output, 45, 'swatch', RED);
    assertColour(output, 45, 'logo', RED);
    assertColour(output, 45, 'moverAt100', WHITE);
    assertColour(output, 45, 'moverAt400', BACKGROUND);
    // The tween was built from distance = 100: half way at 0.5 s.
    assertColour(output, 15, 'moverAt100', BACKGROUND);
    assert.ok(closeTo(pixelAt(output, 15, 70, 220), WHITE, TOLERANCE));
    // Two instances of compositions/chip.html: each its host's tone; only chip-a is wide.
    assertColour(output, 45, 'chipANarrowPart', BLUE);
    assertColour(output, 45, 'chipAWidePart', BLUE);
    assertColour(output, 45, 'chipBNarrowPart', YELLOW);
    assertColour(output, 45, 'chipBWidePart', BACKGROUND);
  });

  test('--variables: every binding follows, an undeclared key is a warning, the length stays', () => {
    const output = path.join(project, 'overrides.mp4');
    const run = render([project, '-o', output, '--variables', JSON.stringify({ ...OVERRIDES, subtitle: 'x' })]);
    assert.equal(run.status, 0, run.stderr);
    assert.match(run.stderr, /warning: variables: "subtitle" is not a declared variable/);
    assertColour(output, 45, 'titleFar', BACKGROUND);
    assertColour(output, 45, 'titleNear', WHITE);
    assertColour(output, 45, 'swatch', GREEN);
    assertColour(output, 45, 'logo', BLUE);
    assertColour(output, 45, 'moverAt100', BACKGROUND);
    assertColour(output, 45, 'moverAt400', WHITE);
    // Render values are the top-level composition's: the instances keep their hosts' values.
    assertColour(output, 45, 'chipAWidePart', BLUE);
    assertColour(output, 45, 'chipBNarrowPart', YELLOW);
    assert.equal(Number(probeStreams(output).video?.nb_read_frames), 60);
  });

  test('--variables-file, and --strict-variables rejects a mistyped value before anything is rendered', () => {
    const file = path.join(project, 'values.json');
    fs.writeFileSync(file, JSON.stringify({ distance: 'far' }));
    const output = path.join(project, 'strict.mp4');
    const run = render([project, '-o', output, '--variables-file', file, '--strict-variables', '--json']);
    assert.equal(run.status, 1, run.stderr);
    const last = JSON.parse(run.stdout.trim().split('\n').pop()!) as { event: string; code: string; message: string };
    assert.equal(last.event, 'error');
    assert.equal(last.code, 'invalid-variables');
    assert.match(last.message, /"distance" must be a number, got string/);
    assert.equal(fs.existsSync(output), false);
    const both = render([project, '--variables', '{}', '--variables-file', file]);
    assert.equal(both.status, 2);
    assert.match(both.stderr, /--variables and --variables-file/);
  });

  test('--batch: 3 rows, one rejected under --strict-variables: two outputs, one error in the --json document, exit 1', () => {
    const rows = path.join(project, 'rows.json');
    fs.writeFileSync(rows, JSON.stringify({ rows: [
      { variables: { title: 'W' }, output: path.join(project, 'batch/narrow.mp4') },
      { variables: { distance: 'far' }, output: path.join(project, 'batch/bad.mp4') },
      // The reference's row shape (the values themselves), written by --output's template.
      { accent: '#0000ff' },
    ] }));
    const run = render([project, '--batch', rows, '--strict-variables', '--json', '-o', path.join(project, 'batch/row-{index}.mp4')]);
    assert.equal(run.status, 1, run.stderr);
    const lines = run.stdout.trim().split('\n');
    assert.equal(lines.length, 1, 'one document on stdout');
    const doc = JSON.parse(lines[0]) as { event: string; total: number; rendered: number; failed: number; rows: Array<{ index: number; status: string; output: string; error?: { code: string; message: string } }> };
    assert.equal(doc.event, 'batch');
    assert.deepEqual([doc.total, doc.rendered, doc.failed], [3, 2, 1]);
    assert.deepEqual(doc.rows.map(row => `${row.index} ${row.status} ${path.basename(row.output)}`), ['0 rendered narrow.mp4', '1 failed bad.mp4', '2 rendered row-2.mp4']);
    assert.equal(doc.rows[1].error?.code, 'invalid-variables');
    assert.match(doc.rows[1].error?.message ?? '', /"distance" must be a number/);
    assert.equal(fs.existsSync(path.join(project, 'batch/bad.mp4')), false);
    assertColour(doc.rows[0].output, 45, 'titleFar', BACKGROUND);
    assertColour(doc.rows[0].output, 45, 'titleNear', WHITE);
    assertColour(doc.rows[0].output, 45, 'swatch', RED);
    assertColour(doc.rows[2].output, 45, 'swatch', BLUE);
    assertColour(doc.rows[2].output, 45, 'titleFar', WHITE);
  });

  test('--batch-fail-fast: the rows after a failing one are not rendered', () => {
    const rows = path.join(project, 'rows-fast.json');
    fs.writeFileSync(rows, JSON.stringify([
      { variables: { distance: 'far' } },
      { variables: { title: 'W' } },
    ]));
    const run = render([project, '--batch', rows, '--strict-variables', '--batch-fail-fast', '--json', '-o', path.join(project, 'fast/out.mp4')]);
    assert.equal(run.status, 1, run.stderr);
    const doc = JSON.parse(run.stdout.trim()) as { rows: Array<{ status: string; output: string }> };
    assert.deepEqual(doc.rows.map(row => `${row.status} ${path.basename(row.output)}`), ['failed out-0.mp4', 'skipped out-1.mp4']);
    assert.equal(fs.existsSync(path.join(project, 'fast/out-1.mp4')), false);
  });
});
