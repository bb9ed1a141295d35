// "HyperFrames: Show Render Queue": a quick pick of the running and queued renders (each with a Cancel
// button; choosing one asks to cancel it) and the last finished ones (choosing one opens its output, or the
// log for a failure). The list follows the queue while it is open.
import * as vscode from 'vscode';
import type { RenderJob, RenderQueue } from './queue';
import { openOutput } from './outcome';
import { jobStatusLine } from './text';

interface JobItem extends vscode.QuickPickItem {
  job?: RenderJob;
}

const CANCEL_BUTTON: vscode.QuickInputButton = { iconPath: new vscode.ThemeIcon('close'), tooltip: 'Cancel this render' };

const STATUS_ICON: Record<RenderJob['status'], string> = {
  running: '$(sync~spin)', queued: '$(clock)', done: '$(check)', failed: '$(error)', cancelled: '$(circle-slash)',
};

function items(queue: RenderQueue): JobItem[] {
  const toItem = (job: RenderJob): JobItem => ({
    label: `${STATUS_ICON[job.status]} ${job.request.name}`,
    description: jobStatusLine(job),
    detail: `${job.request.options.format} · ${job.request.options.quality} → ${vscode.workspace.asRelativePath(job.request.options.outputPath)}`,
    buttons: job.active ? [CANCEL_BUTTON] : [],
    job,
  });
  const active = queue.activeJobs.map(toItem);
  const recent = queue.recentJobs.map(toItem);
  return [
    ...(active.length ? [{ label: 'Running and queued', kind: vscode.QuickPickItemKind.Separator }, ...active] : []),
    ...(recent.length ? [{ label: 'Finished', kind: vscode.QuickPickItemKind.Separator }, ...recent] : []),
  ];
}

async function confirmCancel(job: RenderJob): Promise<void> {
  const cancel = 'Cancel Render';
  const choice = await vscode.window.showWarningMessage(`Cancel rendering ${job.request.name}?`, { modal: true }, cancel);
  if (choice === cancel) job.cancel();
}

export function showRenderQueue(queue: RenderQueue, log: vscode.LogOutputChannel): void {
  const pick = vscode.window.createQuickPick<JobItem>();
  pick.title = 'HyperFrames Render Queue';
  const refresh = (): void => {
    pick.items = items(queue);
    pick.placeholder = queue.activeJobs.length ? 'Choose a render to cancel it' : 'No render is running or queued';
  };
  refresh();
  const subscriptions = [
    queue.onDidChange(refresh),
    pick.onDidTriggerItemButton(event => event.item.job?.cancel()),
    pick.onDidAccept(() => {
      const job = pick.selectedItems[0]?.job;
      pick.hide();
      if (!job) return;
      if (job.active) void confirmCancel(job);
      else if (job.outcome?.status === 'done') void openOutput(job.outcome.result.outputPath).then(undefined, error => log.error(String(error)));
      else if (job.outcome?.status === 'failed') log.show();
    }),
    pick.onDidHide(() => {
      subscriptions.forEach(s => s.dispose());
      pick.dispose();
    }),
  ];
  pick.show();
}
