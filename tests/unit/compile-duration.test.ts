// The static "would render 0 seconds" warning is only given where the browser cannot find a length either:
// a page animated by anime.js, Lottie, CSS keyframes or its own window.__hf gets its length in the probe.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';

const page = (script: string) => `<!doctype html><html><body>
<div id="root" data-composition-id="main" data-width="320" data-height="180"><div id="box"></div></div>
<script>${script}</script></body></html>`;

describe('compile: root_composition_missing_duration_source only where nothing can give a length', () => {
  let dir: string;
  before(() => { dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-duration-')); });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  const codes = async (name: string, script: string) => {
    const file = path.join(dir, `${name}.html`);
    fs.writeFileSync(file, page(script));
    return (await compile({ entryFile: file, probeMedia: false })).diagnostics.map(d => d.code);
  };

  it('warns on a page with no duration, clip end, timeline or self-timed runtime', async () => {
    assert.ok((await codes('plain', 'document.title = "x";')).includes('root_composition_missing_duration_source'));
  });

  for (const [name, script] of [
    ['anime', "anime.animate('#box', { x: 100, duration: 2000 });"],
    ['lottie', "lottie.loadAnimation({ container: document.getElementById('box'), path: 'a.json' });"],
    ['hf', 'window.__hf = { duration: 2, seek() {} };'],
  ] as const) {
    it(`does not warn when ${name} gives the page its length in the browser`, async () => {
      assert.ok(!(await codes(name, script)).includes('root_composition_missing_duration_source'));
    });
  }
});
