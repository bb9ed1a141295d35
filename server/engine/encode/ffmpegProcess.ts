// One ffmpeg child process: spawned with an AbortSignal, its stderr kept (the last lines go into the
// StageError when it fails), killed on close. Every stage that runs ffmpeg goes through here.
import { spawn, type ChildProcess } from 'node:child_process';
import { FFMPEG_STDERR_TAIL_LINES } from '../limits';
import type { Closable } from '../closable';
import { RenderCancelledError, StageError, type StageName } from '../errors';
import type { Logger } from '../logger';
import { processExited, processStarted } from '../render/ownedResources';

export interface FfmpegRunOptions {
  ffmpegPath: string;
  args: string[];
  stage: StageName;
  logger: Logger;
  signal?: AbortSignal;
  /** Pipe stdin (frames are written to it); otherwise stdin is ignored. */
  stdin?: boolean;
}

export class FfmpegProcess implements Closable {
  readonly child: ChildProcess;
  /** Resolves when ffmpeg exits 0; rejects with a StageError (or RenderCancelledError) otherwise. */
  readonly exited: Promise<void>;
  private stderrTail: string[] = [];
  private partialLine = '';
  private killed = false;

  constructor(private readonly options: FfmpegRunOptions) {
    const { ffmpegPath, args, stage, logger, signal } = options;
    logger.debug(`ffmpeg ${args.join(' ')}`);
    // -nostdin stops ffmpeg reading keyboard commands from a stdin that is not a frame pipe.
    const common = ['-hide_banner', '-loglevel', 'error', ...(options.stdin ? [] : ['-nostdin'])];
    this.child = spawn(ffmpegPath, [...common, ...args], {
      stdio: [options.stdin ? 'pipe' : 'ignore', 'ignore', 'pipe'],
    });
    processStarted(this.child.pid, 'ffmpeg');
    this.child.once('exit', () => processExited(this.child.pid));
    this.child.stderr?.setEncoding('utf8');
    this.child.stderr?.on('data', (chunk: string) => this.collect(chunk));
    const onAbort = () => this.kill();
    signal?.addEventListener('abort', onAbort, { once: true });
    this.exited = new Promise<void>((resolve, reject) => {
      this.child.once('error', error => {
        signal?.removeEventListener('abort', onAbort);
        reject(new StageError(stage, `ffmpeg could not start (${ffmpegPath}): ${error.message}`, 'ffmpeg-failed', [], { cause: error }));
      });
      this.child.once('close', (code, sig) => {
        signal?.removeEventListener('abort', onAbort);
        if (this.partialLine) this.pushLine(this.partialLine);
        if (signal?.aborted) return reject(new RenderCancelledError(stage));
        if (code === 0) return resolve();
        const how = code === null ? `was killed (${sig})` : `exited with code ${code}`;
        const tail = this.stderrTail.length ? `:\n${this.stderrTail.join('\n')}` : '.';
        reject(new StageError(stage, `ffmpeg ${how} during ${stage}${tail}`, 'ffmpeg-failed'));
      });
    });
    // Callers await `exited` at the end; an early failure must not become an unhandled rejection first.
    this.exited.catch(() => undefined);
  }

  /** The last lines ffmpeg wrote to stderr. */
  get stderr(): string {
    return this.stderrTail.join('\n');
  }

  private collect(chunk: string): void {
    const lines = (this.partialLine + chunk).split('\n');
    this.partialLine = lines.pop() ?? '';
    for (const line of lines) this.pushLine(line);
  }

  private pushLine(line: string): void {
    const trimmed = line.trim();
    if (!trimmed) return;
    this.stderrTail.push(trimmed);
    if (this.stderrTail.length > FFMPEG_STDERR_TAIL_LINES) this.stderrTail.shift();
    this.options.logger.trace(`ffmpeg: ${trimmed}`);
  }

  kill(): void {
    if (this.killed || this.child.exitCode !== null || this.child.signalCode !== null) return;
    this.killed = true;
    this.child.kill('SIGKILL');
  }

  async close(): Promise<void> {
    this.kill();
    await this.exited.catch(() => undefined);
  }
}

/** Runs ffmpeg to completion. */
export async function runFfmpeg(options: FfmpegRunOptions): Promise<void> {
  const process = new FfmpegProcess(options);
  try {
    await process.exited;
  } finally {
    await process.close();
  }
}
