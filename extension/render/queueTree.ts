// The Renders view (Remotion's Renders panel) in the Explorer: every render of the session, running and
// queued first, then the finished ones newest first, each with its progress or outcome as the description
// and context actions by state (Open / Reveal / Re-run / Remove on a finished render, Cancel on a running or
// queued one: the manifest's view/item/context menus key on the item's contextValue).
import * as vscode from 'vscode';
import type { RenderJob, RenderJobStatus, RenderQueue } from './queue';
import { jobStatusLine } from './text';

export const RENDERS_VIEW_ID = 'hyperframesLive.renders';
/** contextValue of a job's item: `hyperframesLive.render.<status>` (package.json's `viewItem` clauses). */
export const RENDER_ITEM_CONTEXT_PREFIX = 'hyperframesLive.render.';
/** Progress arrives per captured frame; the view repaints at most this often. */
const VIEW_REFRESH_MS = 250;

const STATUS_ICON: Record<RenderJobStatus, vscode.ThemeIcon> = {
  running: new vscode.ThemeIcon('sync~spin'),
  queued: new vscode.ThemeIcon('clock'),
  done: new vscode.ThemeIcon('pass', new vscode.ThemeColor('testing.iconPassed')),
  failed: new vscode.ThemeIcon('error', new vscode.ThemeColor('testing.iconFailed')),
  cancelled: new vscode.ThemeIcon('circle-slash'),
};

/** What the view shows for one job (the tests read it through the inspect command). */
export interface RenderTreeRow {
  id: number;
  label: string;
  description: string;
  contextValue: string;
}

export class RenderQueueTree implements vscode.TreeDataProvider<RenderJob>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<RenderJob | undefined>();
  readonly onDidChangeTreeData = this.changed.event;
  private readonly subscription: { dispose(): void };
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly queue: RenderQueue, private readonly openCommand: string) {
    this.subscription = queue.onDidChange(() => this.scheduleRefresh());
  }

  /** Running and queued renders in queue order, then the finished ones, newest first. */
  getChildren(element?: RenderJob): RenderJob[] {
    return element ? [] : [...this.queue.activeJobs, ...this.queue.recentJobs];
  }

  getTreeItem(job: RenderJob): vscode.TreeItem {
    const { options } = job.request;
    const item = new vscode.TreeItem(job.request.name, vscode.TreeItemCollapsibleState.None);
    item.id = String(job.id);
    item.description = jobStatusLine(job);
    item.iconPath = STATUS_ICON[job.status];
    item.contextValue = `${RENDER_ITEM_CONTEXT_PREFIX}${job.status}`;
    item.tooltip = `#${job.id} ${options.format} · ${options.quality} → ${vscode.workspace.asRelativePath(options.outputPath)}`;
    // A finished render opens on click, as a file in the Explorer does.
    if (job.status === 'done') item.command = { title: 'Open', command: this.openCommand, arguments: [job] };
    return item;
  }

  /** The rows as the view shows them now. */
  rows(): RenderTreeRow[] {
    return this.getChildren().map(job => {
      const item = this.getTreeItem(job);
      return { id: job.id, label: job.request.name, description: String(item.description), contextValue: item.contextValue ?? '' };
    });
  }

  dispose(): void {
    clearTimeout(this.timer);
    this.subscription.dispose();
    this.changed.dispose();
  }

  private scheduleRefresh(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.changed.fire(undefined);
    }, VIEW_REFRESH_MS);
  }
}
