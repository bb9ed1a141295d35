// A script that never yields: the probe gives up after its timeout with a 'probe-timeout' diagnostic on the
// line that spins, kills the hung browser, and the next probe with the same WarmBrowser succeeds.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { WarmBrowser } from '../../server/engine/browser';
import { checkComposition } from '../../server/engine/probe';
import { projectFromFixture, runtimeBundle } from './probeSupport';
import { waitForExit } from '../support/processes';

describe('probe timeout and browser recycling', { timeout: 120_000 }, () => {
  const warm = new WarmBrowser();
  const hang = projectFromFixture('hang');
  const healthy = projectFromFixture('timeline-duration');

  after(async () => {
    await warm.close();
    hang.remove();
    healthy.remove();
  });

  it('times out on the spinning line, recycles the browser, and the next probe works', async () => {
    const first = await warm.acquire();
    const firstPid = first.browser.process()?.pid;
    assert.ok(firstPid);

    const stuck = await checkComposition(hang.file('index.html'), { browser: warm, timeoutMs: 3_000, runtimePath: runtimeBundle() });
    assert.equal(stuck.timedOut, true);
    const [timeout, ...others] = stuck.diagnostics.filter(d => d.code === 'probe-timeout');
    assert.equal(others.length, 0);
    assert.equal(timeout.severity, 'error');
    assert.equal(timeout.file, hang.file('index.html'));
    assert.equal(timeout.range.start.line, 11, 'the `while (true)` line');
    assert.match(timeout.message, /did not finish loading within 3\.0 s/);
    assert.ok(await waitForExit(firstPid), 'the hung browser was killed');

    const next = await checkComposition(healthy.file('index.html'), { browser: warm, runtimePath: runtimeBundle() });
    assert.equal(next.timedOut, false);
    assert.equal(next.duration, 3.5);
    assert.deepEqual(next.diagnostics.filter(d => d.severity === 'error'), []);

    const second = await warm.acquire();
    const secondPid = second.browser.process()?.pid;
    assert.ok(secondPid && secondPid !== firstPid, 'a fresh browser');
    assert.equal((await second.browser.pages()).length, 1, 'the check closed its page (only the initial tab is left)');
    await warm.close();
    assert.ok(await waitForExit(secondPid), 'close() leaves no browser behind');
  });
});
