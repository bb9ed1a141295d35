// The render sequencer with fake stages (no browser, no ffmpeg): whichever stage fails or is cancelled,
// every resource an earlier stage opened is closed, nothing is left at the output path, and the error names
// the stage. The real compile runs (it is pure); browsers, probe, capture, encoder and audio are fakes.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CaptureBrowser } from '../../server/engine/capture';
import { RenderCancelledError, StageError } from '../../server/engine/errors';
import type { FileServerHandle } from '../../server/engine/fileServer';
import type { ProbeResult } from '../../server/engine/probe/types';
import { ENGINE_RENDER_STAGES, renderJob, type RenderStages } from '../../server/engine/render/renderJob';

const ENTRY = `<!doctype html><html><body>
<div id="root" data-composition-id="main" data-width="64" data-height="36" data-fps="10" data-duration="1" data-no-timeline>
  <div id="a" class="clip" data-start="0" data-duration="1"></div>
</div></body></html>`;

/** What the fakes opened and whether each was closed. */
class Ledger {
  readonly opened: string[] = [];
  readonly closed: string[] = [];
  resource(name: string): { close(): Promise<void> } {
    this.opened.push(name);
    return { close: async () => { this.closed.push(name); } };
  }
  get leaked(): string[] {
    return this.opened.filter(name => !this.closed.includes(name));
  }
}

type Failing = 'probe' | 'load' | 'capture' | 'encode' | 'audio' | 'cancel-in-capture' | 'none';

function fakeStages(ledger: Ledger, failing: Failing, abort?: AbortController): RenderStages {
  const fail = (stage: string) => { throw new Error(`${stage} broke`); };
  return {
    ...ENGINE_RENDER_STAGES,
    launchCaptureBrowsers: async input => Array.from({ length: input.workers }, (_, i) => ({
      ...ledger.resource(`browser ${i}`), mode: 'screenshot', browser: { connected: true },
    }) as unknown as CaptureBrowser),
    startFileServer: async () => ({ ...ledger.resource('file server'), origin: 'http://127.0.0.1:1', entryUrl: 'http://127.0.0.1:1/index.html', refusedRequests: [], setEntryHtml() {}, addRoute() {} }) as FileServerHandle,
    probe: async input => {
      if (failing === 'probe') fail('probe');
      // The render's own file server, lent: the capture pages load from it while the probe runs.
      assert.equal(input.fileServer?.entryUrl, 'http://127.0.0.1:1/index.html');
      const page = ledger.resource('probe page');
      return {
        composition: input.compiled.composition, diagnostics: [], duration: 1, frameCount: 10, console: [], failedRequests: [], refusedRequests: [],
        pageErrors: [], timedOut: false, recompiled: undefined, compileMs: 0, probeMs: 0,
        resources: { page: { ...page, isClosed: () => false } as unknown as ProbeResult['resources']['page'], fileServer: undefined, browser: undefined },
      };
    },
    loadCaptureBrowsers: async () => { if (failing === 'load') fail('load'); },
    extractVideoFrames: async () => ({ ...ledger.resource('video frames'), clips: [], ready: async file => file, hdrTransfers: [] }),
    startVideoEncoder: () => ({
      ...ledger.resource('encoder'),
      write: async () => undefined,
      finish: async () => { if (failing === 'encode') fail('encode'); },
    }),
    capture: async input => {
      if (failing === 'capture') fail('capture');
      if (failing === 'cancel-in-capture') {
        abort!.abort();
        throw new RenderCancelledError('capture');
      }
      return { frames: input.frameCount, mode: 'screenshot', workers: input.browsers.length, reusedFrames: 0 };
    },
    audio: async () => {
      if (failing === 'audio') fail('audio');
      return { file: undefined, clips: 0 };
    },
  };
}

describe('render sequencer: every resource is closed whatever fails', () => {
  let dir: string;
  before(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-sequencer-'));
    fs.writeFileSync(path.join(dir, 'index.html'), ENTRY);
  });
  after(() => fs.rmSync(dir, { recursive: true, force: true }));

  for (const [failing, stage] of [['probe', 'probe'], ['load', 'capture'], ['capture', 'capture'], ['encode', 'encode'], ['audio', 'audio']] as const) {
    it(`a ${failing} failure is a StageError('${stage}'), and everything opened before it is closed`, async () => {
      const ledger = new Ledger();
      const output = path.join(dir, `${failing}.mp4`);
      await assert.rejects(renderJob({ entryFile: path.join(dir, 'index.html'), outputPath: output, workers: 2 }, {}, fakeStages(ledger, failing)),
        (error: unknown) => error instanceof StageError && error.stage === stage && /broke/.test(error.message));
      assert.ok(ledger.opened.includes('browser 0') && ledger.opened.includes('browser 1'), 'both capture browsers were started');
      assert.ok(ledger.opened.includes('file server'), 'the file server was started');
      assert.deepEqual(ledger.leaked, []);
      assert.deepEqual(fs.readdirSync(dir).filter(name => name.startsWith(failing)), [], 'no output or staging file');
    });
  }

  it('a cancel during capture is a RenderCancelledError, with everything closed', async () => {
    const ledger = new Ledger();
    const abort = new AbortController();
    const output = path.join(dir, 'cancelled.mp4');
    await assert.rejects(renderJob({ entryFile: path.join(dir, 'index.html'), outputPath: output }, { signal: abort.signal }, fakeStages(ledger, 'cancel-in-capture', abort)),
      (error: unknown) => error instanceof RenderCancelledError);
    assert.deepEqual(ledger.leaked, []);
    assert.equal(fs.existsSync(output), false);
  });

  it('timings name what they measure: tool lookup, encoder life and publishing apart from the stages', async () => {
    const ledger = new Ledger();
    const output = path.join(dir, 'done.mp4');
    const stages = fakeStages(ledger, 'none');
    // The fake encoder writes nothing: the sequencer publishes whatever the encoder left at the staging path.
    const result = await renderJob({ entryFile: path.join(dir, 'index.html'), outputPath: output }, {}, {
      ...stages,
      startVideoEncoder: input => {
        const sink = stages.startVideoEncoder(input);
        return { ...sink, finish: async () => { fs.writeFileSync(input.outputFile, 'video'); } };
      },
    }).catch(error => { throw error; });
    assert.equal(result.frames, 10);
    for (const key of ['toolsMs', 'compileMs', 'probeMs', 'captureMs', 'encodeMs', 'encoderMs', 'publishMs', 'totalMs'] as const) {
      assert.equal(typeof result.timings[key], 'number', key);
    }
    assert.deepEqual(ledger.leaked, []);
    assert.equal(fs.readFileSync(output, 'utf8'), 'video');
  });
});
