// The status bar item of the render queue: "$(sync~spin) Rendering hello 45%" (and how many wait behind it)
// while anything runs or waits; hidden when the queue is empty. A click opens "Show Render Queue".
import * as vscode from 'vscode';
import type { RenderQueue } from './queue';
import { percentOf } from './text';

export const RENDER_STATUS_ITEM_ID = 'hyperframesLive.renderStatus';
/** Left of the language status, right of the branch/problems items. */
const STATUS_ITEM_PRIORITY = -100;

export class RenderStatusItem implements vscode.Disposable {
  private readonly item: vscode.StatusBarItem;
  private readonly subscription: { dispose(): void };
  private lastText = '';

  constructor(private readonly queue: RenderQueue, showQueueCommand: string) {
    this.item = vscode.window.createStatusBarItem(RENDER_STATUS_ITEM_ID, vscode.StatusBarAlignment.Left, STATUS_ITEM_PRIORITY);
    this.item.name = 'HyperFrames Render';
    this.item.command = showQueueCommand;
    this.subscription = queue.onDidChange(() => this.update());
    this.update();
  }

  /** What the item shows now ('' when hidden), for the tests. */
  get text(): string {
    return this.lastText;
  }

  dispose(): void {
    this.subscription.dispose();
    this.item.dispose();
  }

  private update(): void {
    const jobs = this.queue.activeJobs;
    const running = jobs.filter(job => job.status === 'running');
    const queued = jobs.length - running.length;
    if (jobs.length === 0) {
      this.lastText = '';
      this.item.hide();
      return;
    }
    const head = running[0];
    const waiting = queued > 0 ? ` (+${queued} queued)` : '';
    const more = running.length > 1 ? ` and ${running.length - 1} more` : '';
    const text = head
      ? `$(sync~spin) Rendering ${head.request.name} ${percentOf(head.progress)}%${more}${waiting}`
      : `$(clock) ${queued} render${queued === 1 ? '' : 's'} queued`;
    if (text === this.lastText) return;
    this.lastText = text;
    this.item.text = text;
    this.item.tooltip = jobs.map(job => `${job.request.name}: ${job.status === 'running' ? `${job.progress?.stage ?? 'starting'} ${percentOf(job.progress)}%` : 'queued'}`)
      .concat('', 'Click to show the render queue').join('\n');
    this.item.show();
  }
}
