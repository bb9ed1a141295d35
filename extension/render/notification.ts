// The cancellable progress notification of one render, from the moment it is queued until it ends: the
// stage, "frame N/M · X fps · ETA m:ss" during capture, the percentage as increments (withProgress adds them
// up, so only the delta is reported). It refreshes at least every second even when the worker is quiet, and
// its Cancel button cancels the job (queued or running).
import * as vscode from 'vscode';
import type { RenderJob, RenderOutcome, RenderQueue } from './queue';
import { percentOf, progressMessage, queuedMessage } from './text';

/** The notification re-renders its line this often even without a progress event (the issue: ≥ 1/s). */
const NOTIFICATION_REFRESH_MS = 1000;

/** One report made to the notification (recorded for the end-to-end tests). */
export interface NotificationReport {
  at: number;
  message: string;
  increment?: number;
}

export function showRenderNotification(job: RenderJob, queue: RenderQueue, record: (report: NotificationReport) => void): Thenable<RenderOutcome> {
  const options: vscode.ProgressOptions = {
    location: vscode.ProgressLocation.Notification,
    title: `Rendering ${job.request.name}`,
    cancellable: true,
  };
  return vscode.window.withProgress(options, (progress, token) => new Promise<RenderOutcome>(resolve => {
    let reportedPercent = 0;
    const update = (): void => {
      if (!job.active) return;
      let message: string;
      if (job.status === 'queued') message = queuedMessage(queue.ahead(job));
      else if (job.progress) message = progressMessage(job.progress, Date.now() - (job.stageStartedAt ?? Date.now()));
      else message = 'Starting the render worker…';
      const percent = percentOf(job.progress);
      const report: NotificationReport = { at: Date.now(), message };
      if (percent > reportedPercent) {
        report.increment = percent - reportedPercent;
        reportedPercent = percent;
      }
      progress.report({ message: report.message, increment: report.increment });
      record(report);
    };
    const timer = setInterval(update, NOTIFICATION_REFRESH_MS);
    const subscription = job.onDidChange(update);
    const cancellation = token.onCancellationRequested(() => job.cancel());
    update();
    void job.finished.then(outcome => {
      clearInterval(timer);
      subscription.dispose();
      cancellation.dispose();
      resolve(outcome);
    });
  }));
}
