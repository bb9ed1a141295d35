// The render queue: jobs wait their turn (one at a time unless hyperframesLive.render.maxConcurrent says
// more), each runs in its own render worker process (startRenderWorker), so neither the extension host's nor
// the language server's event loop ever does render work. A job can be cancelled while queued (it never
// starts) or running (the worker stops, closes its browsers and ffmpeg, removes partial output; its process
// group is killed if it does not exit in time). Nothing here imports `vscode`: the UI listens to changes.
import { startRenderWorker, type RenderWorkerHandle } from '../../server/engine/render/workerClient';
import type { OutputFormat, RenderOptions, RenderQuality, RenderResult } from '../../server/engine/render/types';
import type { EngineDiagnostic } from '../../server/engine/model';
import { RenderCancelledError, StageError, type StageName } from '../../server/engine/errors';
import type { RenderProgress } from '../../server/engine/render/events';
import type { FarmTarget } from '../../server/engine/render/workerProtocol';

export type RenderJobStatus = 'queued' | 'running' | 'done' | 'failed' | 'cancelled';

/** RenderOptions with everything the UI decided filled in. */
export type ResolvedRenderOptions = RenderOptions & { outputPath: string; format: OutputFormat; quality: RenderQuality };

export interface RenderJobRequest {
  /** Shown in the notification, status bar and queue ("hello"). */
  name: string;
  /** The composition's URI as a string (for the queue's list and the tests). */
  uri: string;
  options: ResolvedRenderOptions;
  /** Submit to this render farm (hyperframesLive.render.farm) instead of rendering here. */
  farm?: FarmTarget;
}

export interface RenderFailure {
  /** undefined when the worker failed outside any stage (it could not start, it crashed). */
  stage: StageName | undefined;
  code: string | undefined;
  message: string;
  /** What the engine found that stopped it (a blocked render's errors), with files and ranges. */
  diagnostics: EngineDiagnostic[];
}

export type RenderOutcome =
  | { status: 'done'; result: RenderResult }
  | { status: 'cancelled' }
  | { status: 'failed'; failure: RenderFailure };

export type WorkerLogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface RenderQueueEnvironment {
  /** dist/render-worker.js of this extension. */
  workerPath: string;
  /** Read at every turn, so a settings change applies to the next start. */
  maxConcurrent: () => number;
  log: (job: RenderJob, level: WorkerLogLevel, message: string) => void;
}

/**
 * Finished jobs the queue remembers: the session's renders in the Renders view and "Show Render Queue" (a
 * session that renders more drops the oldest; Remove drops one sooner).
 */
export const RECENT_JOBS_KEPT = 50;

type Listener = () => void;

/** A set of listeners with a disposable subscription. */
class Listeners {
  private readonly set = new Set<Listener>();

  add(listener: Listener): { dispose(): void } {
    this.set.add(listener);
    return { dispose: () => this.set.delete(listener) };
  }

  fire(): void {
    for (const listener of [...this.set]) listener();
  }

  clear(): void {
    this.set.clear();
  }
}

export class RenderJob {
  status: RenderJobStatus = 'queued';
  /** The worker's process id while it runs (it leads its own process group). */
  pid: number | undefined;
  /** The latest event, and every event in order (the tests read them). */
  progress: RenderProgress | undefined;
  readonly progressEvents: RenderProgress[] = [];
  readonly queuedAt = Date.now();
  startedAt: number | undefined;
  /** When the outcome was known: the worker has exited by then (its done promise settles on exit). */
  endedAt: number | undefined;
  /** When the stage of `progress` began (the notification shows how long a stage without frames takes). */
  stageStartedAt: number | undefined;
  outcome: RenderOutcome | undefined;
  readonly finished: Promise<RenderOutcome>;
  private settle!: (outcome: RenderOutcome) => void;
  private handle: RenderWorkerHandle | undefined;
  private readonly listeners = new Listeners();

  constructor(readonly id: number, readonly request: RenderJobRequest) {
    this.finished = new Promise(resolve => { this.settle = resolve; });
  }

  get active(): boolean {
    return this.status === 'queued' || this.status === 'running';
  }

  onDidChange(listener: Listener): { dispose(): void } {
    return this.listeners.add(listener);
  }

  /** Called by the queue when it is this job's turn. */
  start(environment: RenderQueueEnvironment): void {
    if (this.status !== 'queued') return;
    this.status = 'running';
    this.startedAt = Date.now();
    try {
      this.handle = startRenderWorker(this.request.options, {
        workerPath: environment.workerPath,
        farm: this.request.farm,
        onProgress: progress => this.onProgress(progress),
        onLog: (level, message) => environment.log(this, level, message),
      });
    } catch (error) {
      this.finish({ status: 'failed', failure: toFailure(error) });
      return;
    }
    this.pid = this.handle.pid;
    this.listeners.fire();
    this.handle.done.then(
      result => this.finish({ status: 'done', result }),
      error => this.finish(error instanceof RenderCancelledError ? { status: 'cancelled' } : { status: 'failed', failure: toFailure(error) }),
    );
  }

  cancel(): void {
    if (this.status === 'queued') this.finish({ status: 'cancelled' });
    else if (this.status === 'running') this.handle?.cancel();
  }

  private onProgress(progress: RenderProgress): void {
    if (progress.stage !== this.progress?.stage) this.stageStartedAt = Date.now();
    this.progress = progress;
    this.progressEvents.push(progress);
    this.listeners.fire();
  }

  private finish(outcome: RenderOutcome): void {
    if (this.outcome) return;
    this.outcome = outcome;
    this.status = outcome.status;
    this.endedAt = Date.now();
    this.settle(outcome);
    this.listeners.fire();
  }
}

function toFailure(error: unknown): RenderFailure {
  if (error instanceof StageError) return { stage: error.stage, code: error.code, message: error.message, diagnostics: error.diagnostics };
  return { stage: undefined, code: undefined, message: error instanceof Error ? error.message : String(error), diagnostics: [] };
}

export class RenderQueue {
  private readonly jobs: RenderJob[] = [];
  private readonly recent: RenderJob[] = [];
  private readonly listeners = new Listeners();
  private nextId = 1;
  private disposed = false;
  private pumping = false;

  constructor(private readonly environment: RenderQueueEnvironment) {}

  /** Running and queued jobs, in queue order. */
  get activeJobs(): readonly RenderJob[] {
    return this.jobs;
  }

  /** Finished jobs, newest first. */
  get recentJobs(): readonly RenderJob[] {
    return this.recent;
  }

  find(id: number): RenderJob | undefined {
    return this.jobs.find(job => job.id === id) ?? this.recent.find(job => job.id === id);
  }

  /** Jobs listed before this one (running or queued): what it waits for. */
  ahead(job: RenderJob): number {
    return Math.max(0, this.jobs.indexOf(job));
  }

  enqueue(request: RenderJobRequest): RenderJob {
    const job = new RenderJob(this.nextId++, request);
    this.jobs.push(job);
    job.onDidChange(() => this.onJobChanged(job));
    this.pump();
    this.listeners.fire();
    return job;
  }

  /** Forgets a finished job (the Renders view's Remove); running or queued jobs are cancelled instead. */
  remove(id: number): boolean {
    const index = this.recent.findIndex(job => job.id === id);
    if (index < 0) return false;
    this.recent.splice(index, 1);
    this.listeners.fire();
    return true;
  }

  cancel(id: number): boolean {
    const job = this.jobs.find(candidate => candidate.id === id);
    job?.cancel();
    return job !== undefined;
  }

  onDidChange(listener: Listener): { dispose(): void } {
    return this.listeners.add(listener);
  }

  /** Cancels everything (the extension is deactivating): queued jobs never start, running workers stop. */
  dispose(): void {
    this.disposed = true;
    for (const job of [...this.jobs].reverse()) job.cancel();
    this.listeners.clear();
  }

  private onJobChanged(job: RenderJob): void {
    if (!job.active && this.jobs.includes(job)) {
      this.jobs.splice(this.jobs.indexOf(job), 1);
      this.recent.unshift(job);
      this.recent.splice(RECENT_JOBS_KEPT);
      this.pump();
    }
    this.listeners.fire();
  }

  /** Starts queued jobs while fewer than maxConcurrent run. Re-entrant calls (a job that fails to start
   * finishes at once, which pumps again) are folded into the running loop. */
  private pump(): void {
    if (this.disposed || this.pumping) return;
    this.pumping = true;
    try {
      for (;;) {
        const limit = Math.max(1, this.environment.maxConcurrent());
        const running = this.jobs.filter(job => job.status === 'running').length;
        const next = this.jobs.find(job => job.status === 'queued');
        if (!next || running >= limit) break;
        next.start(this.environment);
      }
    } finally {
      this.pumping = false;
    }
  }
}
