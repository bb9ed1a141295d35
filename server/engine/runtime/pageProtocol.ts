// A page that speaks the engine protocol itself: it assigns `window.__hf = { duration, seek(t), media?,
// transitions? }` (the reference's HfProtocol: any page exposing it can be rendered). The runtime keeps its
// own object under `window.__hfRuntime`, which is all the engine calls; `window.__hf` is an accessor that
// hands the page its own object back once it set one, and records where (the setter's caller in the stack).
// The runtime then forwards each seek to the page's `seek` and reads its `duration`, and every shape the
// page can give is turned into a typed problem here, in the page, so no page value ever reaches the engine
// as a JavaScript error: `seek` missing or not a function, throwing, rejecting or never settling; `duration`
// missing, not a number, NaN, infinite, not positive, or a getter that throws.
import { HF_PROTOCOL_SEEK_TIMEOUT_MS } from '../limits';
import type { HfProtocolProblem, HfProtocolReport } from './manifest';
import { realTimersOf } from './virtualTime';

interface PageProtocolState {
  /** The page's object, once it replaced the runtime's. */
  value: unknown;
  provided: boolean;
  /** Error().stack at the page's assignment (the page's script is the setter's caller). */
  setStack: string | undefined;
}

/** What a seek of the page's protocol ended as. */
type SeekOutcome =
  | { ok: true }
  | { ok: false; problem: HfProtocolProblem };

function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'nothing';
  if (typeof value === 'string') return `the string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'function') return 'a function';
  if (Array.isArray(value)) return 'an array';
  return `a ${typeof value}`;
}

/** A thrown or rejected value as the author wrote it: an Error's own message, or what the value is. */
function describeFailure(reason: unknown): string {
  if (reason instanceof Error || (typeof reason === 'object' && reason !== null && typeof (reason as Error).message === 'string')) {
    const message = String((reason as Error).message).split('\n')[0].slice(0, 200);
    return message ? `"${message}"` : 'an Error without a message';
  }
  if (reason === undefined) return 'no reason';
  return describeValue(reason);
}

function isThenable(value: unknown): value is PromiseLike<unknown> {
  if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return false;
  try {
    return typeof (value as PromiseLike<unknown>).then === 'function';
  } catch {
    return false;
  }
}

export class PageProtocol {
  private readonly state: PageProtocolState = { value: undefined, provided: false, setStack: undefined };
  private firstProblems: HfProtocolProblem[] | undefined;

  constructor(private readonly win: Window & typeof globalThis, private readonly runtimeView: object) {
    const state = this.state;
    try {
      Object.defineProperty(win, '__hf', {
        configurable: true,
        enumerable: true,
        get: () => (state.provided ? state.value : runtimeView),
        set: value => {
          // Writing the runtime's own object back (a page that "extends" it in place) is not a protocol of its own.
          if (value === runtimeView) return;
          state.value = value;
          state.provided = true;
          state.setStack = new Error().stack;
        },
      });
    } catch {
      // A window whose __hf cannot be defined keeps working through window.__hfRuntime.
    }
  }

  /** The page's protocol object, if it set one (by assignment, or by redefining the property). */
  private current(): { provided: boolean; value: unknown } {
    let value: unknown;
    try {
      value = this.win.__hf;
    } catch {
      return { provided: this.state.provided, value: this.state.value };
    }
    if (value === this.runtimeView) return { provided: false, value: undefined };
    return { provided: true, value };
  }

  get provided(): boolean {
    return this.current().provided;
  }

  /** The page's duration in seconds, or a problem saying why there is none. */
  readDuration(): { duration: number } | { problem: HfProtocolProblem } {
    const { value } = this.current();
    if (typeof value !== 'object' && typeof value !== 'function') return { problem: this.notAnObject(value) };
    if (value === null) return { problem: this.notAnObject(value) };
    let duration: unknown;
    try {
      duration = 'duration' in value ? (value as { duration: unknown }).duration : undefined;
      if (duration === undefined) {
        return { problem: { code: 'hf-protocol-missing-duration', message: 'window.__hf has no duration: set window.__hf.duration to the length of the composition in seconds (a number > 0).' } };
      }
    } catch (error) {
      return { problem: { code: 'hf-protocol-duration-threw', message: `Reading window.__hf.duration failed with ${describeFailure(error)}: make it a plain number of seconds, or a getter that always returns one.` } };
    }
    if (typeof duration !== 'number') {
      const hint = typeof duration === 'string' && Number.isFinite(Number(duration)) && duration.trim() !== '' ? ` (write the number ${Number(duration)}, not a string)` : '';
      return { problem: { code: 'hf-protocol-invalid-duration', message: `window.__hf.duration is ${describeValue(duration)}, not a number of seconds${hint}.`, data: { duration: describeValue(duration) } } };
    }
    if (!Number.isFinite(duration) || duration <= 0) {
      const why = Number.isNaN(duration) ? 'NaN' : !Number.isFinite(duration) ? 'infinite' : duration === 0 ? '0' : 'negative';
      return { problem: { code: 'hf-protocol-invalid-duration', message: `window.__hf.duration is ${describeValue(duration)} (${why}): it must be a finite number of seconds greater than 0.`, data: { duration: describeValue(duration) } } };
    }
    return { duration };
  }

  /** Calls the page's seek(t) and waits for it (bounded); never throws. */
  async seek(t: number): Promise<SeekOutcome> {
    const { value } = this.current();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return { ok: false, problem: this.notAnObject(value) };
    let seek: unknown;
    try {
      seek = (value as { seek?: unknown }).seek;
    } catch (error) {
      return { ok: false, problem: { code: 'hf-protocol-invalid-seek', message: `Reading window.__hf.seek failed with ${describeFailure(error)}: it must be a function seek(t).` } };
    }
    if (seek === undefined) {
      return { ok: false, problem: { code: 'hf-protocol-missing-seek', message: 'window.__hf has no seek: add seek(t), which shows the frame at t seconds (it may return a promise).' } };
    }
    if (typeof seek !== 'function') {
      return { ok: false, problem: { code: 'hf-protocol-invalid-seek', message: `window.__hf.seek is ${describeValue(seek)}, not a function: it must be seek(t), which shows the frame at t seconds.` } };
    }
    const shown = Number(t.toFixed(6));
    let returned: unknown;
    try {
      returned = seek.call(value, t);
    } catch (error) {
      return { ok: false, problem: { code: 'hf-protocol-seek-threw', message: `window.__hf.seek(${shown}) threw ${describeFailure(error)}.`, data: { time: t } } };
    }
    if (!isThenable(returned)) return { ok: true };
    const timeoutMs = HF_PROTOCOL_SEEK_TIMEOUT_MS;
    const { realSetTimeout, realClearTimeout } = realTimersOf(this.win);
    return new Promise<SeekOutcome>(resolve => {
      const timer = realSetTimeout(() => resolve({ ok: false, problem: {
        code: 'hf-protocol-seek-timeout',
        message: `window.__hf.seek(${shown}) returned a promise that did not settle within ${(timeoutMs / 1000).toFixed(1)} s: resolve it once the frame is drawn.`,
        data: { time: t, timeoutMs },
      } }), timeoutMs);
      const settle = (outcome: SeekOutcome) => {
        realClearTimeout(timer);
        resolve(outcome);
      };
      try {
        returned.then(() => settle({ ok: true }), (reason: unknown) => settle({ ok: false, problem: {
          code: 'hf-protocol-seek-rejected', message: `window.__hf.seek(${shown}) returned a promise that rejected with ${describeFailure(reason)}.`, data: { time: t },
        } }));
      } catch (error) {
        settle({ ok: false, problem: { code: 'hf-protocol-seek-threw', message: `window.__hf.seek(${shown}) returned a thenable whose then() threw ${describeFailure(error)}.`, data: { time: t } } });
      }
    });
  }

  /** The optional fields: arrays of objects when present. */
  private fieldProblems(): HfProtocolProblem[] {
    const { value } = this.current();
    if ((typeof value !== 'object' && typeof value !== 'function') || value === null) return [];
    const problems: HfProtocolProblem[] = [];
    for (const field of ['media', 'transitions'] as const) {
      let fieldValue: unknown;
      try {
        fieldValue = (value as Record<string, unknown>)[field];
      } catch (error) {
        problems.push({ code: 'hf-protocol-invalid-field', severity: 'warning', message: `Reading window.__hf.${field} failed with ${describeFailure(error)}; it is ignored.` });
        continue;
      }
      if (fieldValue === undefined) continue;
      if (!Array.isArray(fieldValue) || fieldValue.some(item => typeof item !== 'object' || item === null)) {
        problems.push({ code: 'hf-protocol-invalid-field', severity: 'warning', message: `window.__hf.${field} is ${describeValue(fieldValue)}, not an array of objects; it is ignored.` });
      }
    }
    return problems;
  }

  private notAnObject(value: unknown): HfProtocolProblem {
    return { code: 'hf-protocol-invalid', message: `window.__hf was set to ${describeValue(value)}: a page that drives itself sets window.__hf = { duration, seek(t) }.` };
  }

  /** Records the problems of the first seek (the one `ready` makes), which the probe reports. */
  noteFirstSeek(problems: HfProtocolProblem[]): void {
    this.firstProblems ??= problems;
  }

  report(): HfProtocolReport {
    if (!this.provided) return { provided: false, problems: [] };
    const problems: HfProtocolProblem[] = [];
    const duration = this.readDuration();
    if ('problem' in duration) problems.push(duration.problem);
    problems.push(...(this.firstProblems ?? []), ...this.fieldProblems());
    // One problem per code: a missing seek is one finding however many seeks tried it.
    const unique = problems.filter((problem, index) => problems.findIndex(p => p.code === problem.code) === index);
    return {
      provided: true,
      setStack: this.state.setStack,
      duration: 'duration' in duration ? duration.duration : undefined,
      problems: unique,
    };
  }
}
