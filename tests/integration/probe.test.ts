// The probe stage against real Chromium: zero-duration hints, failed and refused requests on the exact
// range of the attribute that asked for them, page errors on their script line (a sub-composition's own
// file included), and durations the browser resolves.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { launchBrowser, type BrowserSession } from '../../server/engine/browser';
import { compile } from '../../server/engine/compile';
import type { EngineDiagnostic, Range } from '../../server/engine/model';
import { closeProbeResources, runProbeStage } from '../../server/engine/probe';
import type { ProbeResult } from '../../server/engine/probe/types';
import { projectFromFixture, runtimeBundle, type TempProject } from './probeSupport';
import { waitForExit } from '../support/processes';

/** A valid 1×1 PNG. */
const ONE_PIXEL_PNG = 'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==';

/** The range of the first `needle` in a file, optionally searching from the line that holds `anchor`. */
function rangeOf(file: string, needle: string, anchor?: string): Range {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const from = anchor ? lines.findIndex(line => line.includes(anchor)) : 0;
  for (let line = Math.max(0, from); line < lines.length; line++) {
    const character = lines[line].indexOf(needle);
    if (character >= 0) return { start: { line, character }, end: { line, character: character + needle.length } };
  }
  throw new Error(`"${needle}" not in ${file}`);
}

function only(diagnostics: EngineDiagnostic[], code: EngineDiagnostic['code']): EngineDiagnostic[] {
  return diagnostics.filter(d => d.code === code);
}

describe('probe stage', { timeout: 120_000 }, () => {
  let session: BrowserSession;
  const projects: TempProject[] = [];
  const opened: ProbeResult[] = [];

  before(async () => {
    session = await launchBrowser();
  });

  after(async () => {
    for (const result of opened) await closeProbeResources(result.resources);
    const pid = session.browser.process()?.pid;
    await session.close();
    assert.ok(await waitForExit(pid), 'the browser process is gone after close()');
    for (const project of projects) project.remove();
  });

  async function probe(fixture: string, prepare?: (project: TempProject) => void): Promise<{ result: ProbeResult; project: TempProject }> {
    const project = projectFromFixture(fixture);
    projects.push(project);
    prepare?.(project);
    const compileInput = { entryFile: project.file('index.html') };
    const compiled = await compile(compileInput);
    const result = await runProbeStage({ compiled, compileInput, session, runtimePath: runtimeBundle(), timeoutMs: 10_000 });
    opened.push(result);
    assert.equal(result.resources.browser, undefined, 'a given session is not returned as opened here');
    return { result, project };
  }

  it('reports zero duration with the "no timeline registered" hint, on the root tag, with the real composition id', async () => {
    const { result, project } = await probe('no-timeline');
    assert.equal(result.duration, 0);
    assert.equal(result.frameCount, 0);
    const [zero, ...others] = only(result.diagnostics, 'zero-duration');
    assert.equal(others.length, 0);
    assert.equal(zero.severity, 'error');
    assert.equal(zero.file, project.file('index.html'));
    assert.deepEqual(zero.range, result.composition.rootTagRange);
    assert.equal(zero.range.start.line, rangeOf(project.file('index.html'), '<div id="root"').start.line);
    const [first, hint] = zero.message.split('\n');
    assert.equal(first, 'Composition duration is 0 — this would produce a black video.');
    assert.equal(hint, 'GSAP is loaded but no timelines were registered on window.__timelines. Ensure your script creates a timeline and assigns it: window.__timelines["intro"] = gsap.timeline({ paused: true });');
  });

  it('reports zero duration with the "GSAP failed to load" hint and the failed CDN request on its src value', async () => {
    const { result, project } = await probe('gsap-cdn');
    const entry = project.file('index.html');
    const [zero] = only(result.diagnostics, 'zero-duration');
    assert.ok(zero, 'zero-duration reported');
    const lines = zero.message.split('\n');
    assert.equal(lines[1], 'GSAP is not loaded — CDN script may have failed to download. Bundle GSAP locally in your project instead of using a CDN <script src>.');
    assert.ok(lines.some(line => /^Browser: net::ERR_\w+ https:\/\/cdn\.jsdelivr\.net\/npm\/gsap/.test(line)), zero.message);
    assert.ok(lines.includes('Browser: Uncaught gsap is not defined'), zero.message);
    const [failed] = only(result.diagnostics, 'request-failed');
    assert.ok(failed, 'request-failed reported');
    assert.deepEqual(failed.range, rangeOf(entry, 'https://cdn.jsdelivr.net/npm/gsap@3.15.0/dist/gsap.min.js'));
    assert.equal(failed.file, entry);
    const [pageError] = only(result.diagnostics, 'page-error');
    assert.equal(pageError.range.start.line, rangeOf(entry, 'gsap.timeline').start.line);
  });

  it('puts failed requests on the exact value of the src attribute and of the CSS url() that made them', async () => {
    const { result, project } = await probe('failed-requests');
    const entry = project.file('index.html');
    const errors = only(result.diagnostics, 'http-error');
    const find = (pattern: RegExp) => errors.find(d => pattern.test(d.message));
    const image = find(/^missing\.png answered HTTP 404/);
    const script = find(/^scripts\/missing-helper\.js answered HTTP 404/);
    const backdrop = find(/^images\/missing-backdrop\.png answered HTTP 404/);
    const badge = find(/^images\/badge\.png answered HTTP 404/);
    assert.ok(image && script && backdrop && badge, JSON.stringify(errors));
    assert.deepEqual([image.file, image.range], [entry, rangeOf(entry, 'missing.png', '<img id="logo"')]);
    const icon = find(/^icons\/missing-icon\.png answered HTTP 404/);
    assert.deepEqual(icon?.range, rangeOf(entry, 'icons/missing-icon.png'));
    assert.deepEqual([script.file, script.range], [entry, rangeOf(entry, 'scripts/missing-helper.js')]);
    assert.deepEqual([backdrop.file, backdrop.range], [entry, rangeOf(entry, 'images/missing-backdrop.png')]);
    // An external stylesheet's url() resolves from the stylesheet and is reported in it.
    const theme = project.file('styles/theme.css');
    assert.deepEqual([badge.file, badge.range], [theme, rangeOf(theme, '../images/badge.png')]);
    assert.equal(errors.length, 5);
    assert.equal(result.failedRequests.length, 5);
    assert.equal(result.duration, 2);
  });

  it('maps page errors to their script line, in the entry and in a sub-composition file', async () => {
    const { result, project } = await probe('page-error');
    const errors = only(result.diagnostics, 'page-error');
    const inEntry = errors.find(d => d.file === project.file('index.html'));
    const inCard = errors.find(d => d.file === project.file('compositions/card.html'));
    assert.ok(inEntry && inCard, JSON.stringify(errors));
    assert.match(inEntry.message, /undefinedHelper is not defined/);
    assert.equal(inEntry.range.start.line, rangeOf(project.file('index.html'), 'undefinedHelper("main")').start.line);
    assert.match(inCard.message, /notAFunction is not a function/);
    assert.equal(inCard.range.start.line, rangeOf(project.file('compositions/card.html'), 'notAFunction').start.line);
    const mapped = result.pageErrors.map(e => e.location?.file).sort();
    assert.deepEqual(mapped, [project.file('compositions/card.html'), project.file('index.html')].sort());
  });

  it('follows a symlink the project contains to a folder outside it: the image loads, compile warns on the src value', async () => {
    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-shared-assets-'));
    try {
      fs.writeFileSync(path.join(outside, 'hostname'), new Uint8Array(Buffer.from(ONE_PIXEL_PNG, 'base64')));
      const { result, project } = await probe('escape', p => fs.symlinkSync(outside, p.file('etc-link')));
      assert.deepEqual(result.refusedRequests, []);
      assert.deepEqual(result.diagnostics.filter(d => d.severity === 'error').map(d => d.code), []);
      const { diagnostics } = await compile({ entryFile: project.file('index.html') });
      const [warning, ...others] = only(diagnostics, 'symlink-outside-project');
      assert.equal(others.length, 0);
      assert.equal(warning.severity, 'warning');
      assert.deepEqual(warning.range, rangeOf(project.file('index.html'), 'etc-link/hostname'));
    } finally {
      fs.rmSync(outside, { recursive: true, force: true });
    }
  });

  it('discovers the duration from the timelines and resolves the sub-composition host from its own timeline', async () => {
    const { result } = await probe('timeline-duration');
    assert.ok(result.recompiled, 'recompiled with the resolved host duration');
    const outro = result.composition.clips.find(c => c.id === 'outro');
    assert.equal(outro?.duration, 1.5);
    assert.equal(outro?.end, 3.5);
    assert.equal(result.duration, 3.5);
    assert.equal(result.frameCount, 105);
    assert.equal(result.composition.durationSource, 'browser');
    assert.equal(result.composition.duration, 3.5);
    assert.equal(only(result.diagnostics, 'zero-duration').length, 0);
    assert.ok(result.resources.page);
    assert.equal(await result.resources.page.evaluate('window.__hf.duration'), 3.5);
  });

  it('warns about a clip that outlasts the sub-composition whose length the browser resolved', async () => {
    const { result, project } = await probe('clip-overrun');
    assert.equal(result.composition.clips.find(c => c.id === 'outro')?.duration, 1.5);
    assert.equal(result.duration, 3.5, 'the cut-off clip does not lengthen the video');
    const [overrun, ...others] = only(result.diagnostics, 'clip-after-composition-end');
    assert.equal(others.length, 0);
    assert.equal(overrun.file, project.file('compositions/outro.html'));
    assert.deepEqual(overrun.range, rangeOf(project.file('compositions/outro.html'), '2.5'));
    assert.match(overrun.message, /ends at 4\.500 s but its sub-composition "outro" ends at 3\.500 s/);
  });
});
