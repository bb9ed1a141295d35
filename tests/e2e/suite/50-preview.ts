// The preview in real VS Code: the command opens one panel per composition, the composition appears (the
// iframe inside the webview loaded through the file server and reported its frame), the webview's own UI
// rendered in the workbench, and a save reloads it.
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { clickInFrame, frameTexts } from '../host/bridge';
import type { HostTest } from '../host/types';
import { closeAllEditors, fixtureUri, openFixture, replaceAndSave, waitFor } from '../host/util';
import type { PreviewPanelStatus } from '../../../extension/preview/panel';

/** A webview, its iframe and a file server on a loaded 2-core machine: be generous. */
const PREVIEW_TIMEOUT_MS = 45_000;
/** How long a focus change caused by the reveal may take to show in the tab model. */
const FOCUS_SETTLE_MS = 500;

async function previews(): Promise<PreviewPanelStatus[]> {
  return (await vscode.commands.executeCommand<PreviewPanelStatus[]>('hyperframesLive.preview.inspect')) ?? [];
}

async function loadedPreview(what: string, accept: (status: PreviewPanelStatus) => boolean = () => true): Promise<PreviewPanelStatus> {
  return waitFor(what, async () => (await previews()).find(s => s.frame?.status === 'loaded' && accept(s)), PREVIEW_TIMEOUT_MS);
}

export const tests: HostTest[] = [
  {
    name: 'Open Preview to the Side shows the composition in a panel',
    timeoutMs: 90_000,
    run: async () => {
      await openFixture('index.html');
      await vscode.commands.executeCommand('hyperframesLive.openPreviewToSide');
      const status = await loadedPreview('the preview iframe to load and report its frame').catch(async error => {
        // Name the frames the workbench holds: a blocked or misaddressed iframe shows up here.
        const frames = await frameTexts('html').catch(() => []);
        throw new Error(`${String(error)}; panels: ${JSON.stringify(await previews())}; frames: ${frames.map(f => `${f.url} «${f.texts.join(' ').slice(0, 200)}»`).join(' | ')}`);
      });
      const frame = status.frame;
      assert.ok(frame?.status === 'loaded');
      assert.equal(frame.duration, 2, 'the runtime in the iframe reports the composition\'s duration');
      assert.equal(status.visible, true);
    },
  },
  {
    name: 'one panel per composition: opening it again reveals the same panel',
    run: async () => {
      // In the first column explicitly: the active group may be the preview's, and opening the code there
      // would cover the preview (as a person clicking into the panel and opening a file would).
      const document = await vscode.workspace.openTextDocument(fixtureUri('index.html'));
      await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
      await vscode.commands.executeCommand('hyperframesLive.openPreview');
      assert.equal((await previews()).length, 1);
    },
  },
  {
    name: 'the webview draws its transport and timeline in the workbench',
    needs: 'workbench-page',
    run: async () => {
      const readouts = await waitFor('the preview\'s frame readout', async () => {
        const found = (await frameTexts('[data-readout="frame"]')).flatMap(f => f.texts);
        return found.length > 0 ? found : undefined;
      }, PREVIEW_TIMEOUT_MS);
      assert.match(readouts[0], /^frame \d+ \/ 60$/);
      const bars = (await frameTexts('.clip-bar')).flatMap(f => f.texts);
      assert.deepEqual([...bars].sort(), ['intro', 'outro']);
    },
  },
  {
    name: 'clicking a clip in the frame reveals its element in the code and keeps the keyboard in the preview',
    needs: 'workbench-page',
    timeoutMs: 90_000,
    run: async () => {
      const document = await vscode.workspace.openTextDocument(fixtureUri('index.html'));
      const editor = await vscode.window.showTextDocument(document, { viewColumn: vscode.ViewColumn.One, preview: false });
      editor.selection = new vscode.Selection(0, 0, 0, 0);
      await vscode.commands.executeCommand('hyperframesLive.openPreviewToSide');
      await loadedPreview('the visible preview', s => s.visible);
      // To the last frame (1.967 s) with the transport's own button: #outro is drawn at 200–280 × 140–220 of 640 × 360.
      await clickInFrame('button[data-action="to-end"]');
      await waitFor('the preview at its last frame', async () =>
        ((await frameTexts('[data-readout="frame"]')).flatMap(f => f.texts).includes('frame 59 / 60') ? true : undefined), PREVIEW_TIMEOUT_MS);
      // The preview has the keyboard, as after any click in it (VS Code hears of a click in a webview
      // asynchronously; an earlier test may have left the code's group active).
      await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
      await waitFor('the preview to have the keyboard', () =>
        (vscode.window.tabGroups.activeTabGroup.activeTab?.input instanceof vscode.TabInputWebview ? true : undefined), PREVIEW_TIMEOUT_MS);
      await clickInFrame('.frame-box', { x: 240 / 640, y: 180 / 360 });
      const outro = document.positionAt(document.getText().indexOf('<div id="outro"'));
      await waitFor('the code to show #outro at the cursor', () => {
        const shown = vscode.window.visibleTextEditors.find(e => e.document.uri.toString() === document.uri.toString());
        return shown?.selection.active.isEqual(outro) ? true : undefined;
      }, PREVIEW_TIMEOUT_MS);
      // A focus taken by the reveal would arrive after it: look again a moment later.
      await new Promise(resolve => setTimeout(resolve, FOCUS_SETTLE_MS));
      const active = vscode.window.tabGroups.activeTabGroup.activeTab;
      assert.ok(active?.input instanceof vscode.TabInputWebview, `the preview keeps the keyboard (active tab: ${active?.label ?? 'none'})`);
    },
  },
  {
    name: 'saving the composition reloads the preview',
    timeoutMs: 90_000,
    run: async () => {
      // The code beside the preview, as an author works: a hidden preview gets no messages until shown.
      const document = await vscode.workspace.openTextDocument(fixtureUri('index.html'));
      await vscode.window.showTextDocument(document, vscode.ViewColumn.One);
      // Bring the existing panel to the front of its own column without taking focus from the code.
      await vscode.commands.executeCommand('hyperframesLive.openPreviewToSide');
      const before = await loadedPreview('the loaded, visible preview', s => s.visible);
      const original = document.getText();
      try {
        await replaceAndSave(document, original.replace('background: #102040', 'background: #204010'));
        await loadedPreview('the preview to reload after the save',
          s => s.reloads > before.reloads && s.frameReports > before.frameReports);
        assert.ok((await previews())[0].visible, 'the preview stayed beside the code');
      } finally {
        await replaceAndSave(document, original);
      }
    },
  },
  {
    name: 'closing the panel disposes its preview',
    run: async () => {
      await closeAllEditors();
      await waitFor('no preview panels', async () => ((await previews()).length === 0 ? true : undefined));
    },
  },
];
