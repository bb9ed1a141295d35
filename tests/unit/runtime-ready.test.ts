// The one "page is ready" wait (server/engine/runtime/ready.ts), as the probe and the capture send it: its
// source text evaluated in a bare context holding only `window` and `setTimeout`, so a helper the bundler
// might add around the function (and the page would not have) fails here rather than in a render.
import assert from 'node:assert/strict';
import vm from 'node:vm';
import { describe, it } from 'node:test';
import { runtimeReadyExpression } from '../../server/engine/runtime/ready';

interface FakeWindow {
  __hfRuntime?: { seek: () => void; ready: Promise<void> };
  document: { fonts: { ready: Promise<void> } };
}

function evaluateInPage(win: FakeWindow, expression: string): Promise<boolean> {
  const context = vm.createContext({ window: win, setTimeout });
  return vm.runInContext(expression, context) as Promise<boolean>;
}

function deferred(): { promise: Promise<void>; resolve: () => void; settled: () => boolean } {
  let resolve!: () => void;
  let done = false;
  const promise = new Promise<void>(r => { resolve = () => { done = true; r(); }; });
  return { promise, resolve, settled: () => done };
}

describe('whenRuntimeReady (runtime/ready.ts)', () => {
  it('waits for the runtime object to appear, then for its ready and the fonts', async () => {
    const ready = deferred();
    const fonts = deferred();
    const win: FakeWindow = { document: { fonts: { ready: fonts.promise } } };
    let answered: boolean | undefined;
    const waiting = evaluateInPage(win, runtimeReadyExpression(2_000, 5)).then(value => { answered = value; return value; });
    await new Promise(resolve => setTimeout(resolve, 30));
    assert.equal(answered, undefined, 'no runtime yet: still waiting');
    win.__hfRuntime = { seek: () => undefined, ready: ready.promise };
    await new Promise(resolve => setTimeout(resolve, 30));
    assert.equal(answered, undefined, 'the runtime exists but its ready has not settled');
    ready.resolve();
    await new Promise(resolve => setTimeout(resolve, 10));
    assert.equal(answered, undefined, 'ready settled, the fonts have not');
    fonts.resolve();
    assert.equal(await waiting, true);
  });

  it('answers false when the runtime never appears within the timeout (polls, not the page\'s frozen clock)', async () => {
    const win: FakeWindow = { document: { fonts: { ready: Promise.resolve() } } };
    const started = Date.now();
    assert.equal(await evaluateInPage(win, runtimeReadyExpression(60, 10)), false);
    const waited = Date.now() - started;
    assert.ok(waited >= 55 && waited < 1_000, `waited ${waited} ms for a 60 ms timeout`);
  });

  it('with timeout 0 (the probe: the <head> script has run or failed) looks once', async () => {
    const absent: FakeWindow = { document: { fonts: { ready: Promise.resolve() } } };
    assert.equal(await evaluateInPage(absent, runtimeReadyExpression(0)), false);
    const present: FakeWindow = { ...absent, __hfRuntime: { seek: () => undefined, ready: Promise.resolve() } };
    assert.equal(await evaluateInPage(present, runtimeReadyExpression(0)), true);
  });
});
