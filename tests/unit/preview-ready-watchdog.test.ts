// The preview's ready watchdog (extension/preview/readyWatchdog.ts): a webview page that never says 'ready'
// is loaded again, a bounded number of times; one that answers, or a hidden panel, is left alone.
import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { ReadyWatchdog } from '../../extension/preview/readyWatchdog';

const TIMEOUT_MS = 20;
const wait = (ms: number) => new Promise(resolve => setTimeout(resolve, ms));
/** Waits for `count` events (a loaded machine delays timers; the count, not the clock, is the outcome). */
async function eventsReach(events: string[], count: number): Promise<void> {
  for (const started = Date.now(); events.length < count && Date.now() - started < 5_000;) await wait(5);
  await wait(TIMEOUT_MS * 3); // and nothing more comes
}

function watchdog(options: { visible?: () => boolean; answerOnReload?: number } = {}) {
  const events: string[] = [];
  let ready = false;
  const dog: ReadyWatchdog = new ReadyWatchdog({
    shouldWait: () => (options.visible?.() ?? true) && !ready,
    reload: attempt => {
      events.push(`reload ${attempt}`);
      if (attempt === options.answerOnReload) {
        ready = true;
        dog.ready();
      } else dog.arm(); // as the panel does: setting the HTML arms it again
    },
    giveUp: attempts => events.push(`give up after ${attempts}`),
  }, TIMEOUT_MS, 2);
  return { dog, events };
}

describe('preview ready watchdog', () => {
  test('a page that never starts is loaded again twice, then the panel gives up', async () => {
    const { dog, events } = watchdog();
    dog.arm();
    await eventsReach(events, 3);
    assert.deepEqual(events, ['reload 1', 'reload 2', 'give up after 2']);
    dog.dispose();
  });

  test('a page that starts after one reload is not loaded again', async () => {
    const { dog, events } = watchdog({ answerOnReload: 1 });
    dog.arm();
    await eventsReach(events, 1);
    assert.deepEqual(events, ['reload 1']);
    dog.dispose();
  });

  test('a page that says ready in time is left alone, and a later silence counts from zero', async () => {
    const { dog, events } = watchdog();
    dog.arm();
    dog.ready(); // before its timeout, however loaded the machine
    await wait(TIMEOUT_MS * 2);
    assert.deepEqual(events, []);
    dog.arm();
    await eventsReach(events, 3);
    assert.deepEqual(events, ['reload 1', 'reload 2', 'give up after 2']);
    dog.dispose();
  });

  test('a hidden panel is not reloaded; disposing stops the wait', async () => {
    const hidden = watchdog({ visible: () => false });
    hidden.dog.arm();
    await wait(TIMEOUT_MS * 3);
    assert.deepEqual(hidden.events, []);
    const disposed = watchdog();
    disposed.dog.arm();
    disposed.dog.dispose();
    await wait(TIMEOUT_MS * 3);
    assert.deepEqual(disposed.events, []);
  });
});
