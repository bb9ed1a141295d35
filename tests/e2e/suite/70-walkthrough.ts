// The walkthrough and the language status menu, end to end: the walkthrough is contributed with its four
// steps, opens in the workbench, and each step's button, pressed on the page, does what the step says (the
// example opens, the preview shows it, the render writes it; a typo gets its diagnostic), and each step is
// checked off by its completion event; the status item's link opens a menu
// with Restart Server, Show Log and Check Environment. Screenshots of the preview and of a diagnostic are
// saved to tests/.artifacts/ (README's pictures come from there).
import assert from 'node:assert/strict';
import fs from 'node:fs';
import * as vscode from 'vscode';
import type { RenderInspection } from '../../../extension/render';
import type { PreviewPanelStatus } from '../../../extension/preview/panel';
import { click, press, screenshot, texts } from '../host/bridge';
import type { HostTest } from '../host/types';
import { closeAllEditors, EXTENSION_ID, extensionApi, waitFor, waitForDiagnostic, waitForNoDiagnostic } from '../host/util';

const WALKTHROUGH = 'hyperframesLive.gettingStarted';
const QUICK_PICK_ROWS = '.quick-input-widget .quick-input-list .monaco-list-row';
const RENDER_TIMEOUT_MS = 120_000;

interface WalkthroughStep { id: string; title: string; description: string; completionEvents?: string[] }
interface Walkthrough { id: string; title: string; steps: WalkthroughStep[] }

function walkthrough(): Walkthrough {
  const manifest = vscode.extensions.getExtension(EXTENSION_ID)!.packageJSON as { contributes: { walkthroughs?: Walkthrough[] } };
  const found = manifest.contributes.walkthroughs?.find(w => w.id === WALKTHROUGH);
  assert.ok(found, `the manifest contributes the ${WALKTHROUGH} walkthrough`);
  return found;
}

/** The command of a step's button (`[title](command:id)` in its description). */
function stepCommand(step: WalkthroughStep): string {
  const match = /\(command:([\w.]+)\)/.exec(step.description);
  assert.ok(match, `step ${step.id} has a command button`);
  return match[1];
}

export const tests: HostTest[] = [
  {
    name: 'the walkthrough has its four steps, each with a command that exists and a completion event',
    run: async () => {
      await extensionApi();
      const steps = walkthrough().steps;
      assert.deepEqual(steps.map(s => s.id), ['openExample', 'seeDiagnostic', 'openPreview', 'render']);
      const registered = new Set(await vscode.commands.getCommands(true));
      for (const step of steps) {
        assert.ok(registered.has(stepCommand(step)), `${stepCommand(step)} (step ${step.id}) is registered`);
        assert.ok(step.completionEvents?.length, `step ${step.id} completes on an event`);
      }
    },
  },
  {
    name: 'the walkthrough opens in the workbench; its buttons open the example, preview and render it, a typo shows a diagnostic, and each step is checked off',
    timeoutMs: RENDER_TIMEOUT_MS * 2,
    needs: 'workbench-page',
    run: async () => {
      const steps = walkthrough().steps;
      const openWalkthrough = async (): Promise<void> => {
        // To the side: the example's editor stays in view for the preview and render buttons.
        await vscode.commands.executeCommand('workbench.action.openWalkthrough', `${EXTENSION_ID}#${WALKTHROUGH}`, true);
        await waitFor('the walkthrough page with its steps', async () => {
          const page = (await texts('.gettingStartedContainer')).join('\n');
          return steps.every(s => page.includes(s.title)) ? true : undefined;
        }, 20_000);
      };
      /** Presses a step's button on the page, as a person would (the step is expanded first). */
      const pressStepButton = async (step: WalkthroughStep): Promise<void> => {
        await openWalkthrough();
        await click('button.getting-started-step', step.title);
        const label = /\[([^\]]+)\]\(command:/.exec(step.description)?.[1];
        assert.ok(label, `step ${step.id} has a button`);
        await waitFor(`the "${label}" button`, async () => ((await texts('.gettingStartedContainer .monaco-button')).includes(label) ? true : undefined), 10_000);
        await click('.gettingStartedContainer .monaco-button', label);
      };
      const checked = async (): Promise<string> => (await texts('button.getting-started-step[aria-checked="true"]')).join('\n');
      const exampleEditor = (): vscode.TextEditor | undefined =>
        vscode.window.visibleTextEditors.find(e => /examples\/hello\/index\.html$/.test(e.document.uri.fsPath));
      await closeAllEditors();

      // 1. Open the example: a writable copy of the bundled examples/hello.
      await pressStepButton(steps[0]);
      const editor = await waitFor('the example open in an editor', () => exampleEditor(), 20_000);
      const document = editor.document;
      assert.ok(fs.existsSync(document.uri.fsPath.replace(/index\.html$/, 'vendor/gsap.min.js')), 'with its vendored GSAP');

      // 2. See a diagnostic: the typo the step suggests.
      const at = document.getText().indexOf('data-start="title - 4"');
      assert.ok(at > 0, 'the example has the reference the step names');
      const typo = new vscode.WorkspaceEdit();
      typo.replace(document.uri, new vscode.Range(document.positionAt(at + 'data-start="'.length), document.positionAt(at + 'data-start="title'.length)), 'titel');
      assert.ok(await vscode.workspace.applyEdit(typo));
      const diagnostic = await waitForDiagnostic(document.uri, 'unknown-start-reference');
      // README's picture: the editor alone, with the diagnostic's hover.
      const closeWalkthrough = async (): Promise<void> => {
        await vscode.window.tabGroups.close(vscode.window.tabGroups.all.flatMap(g => g.tabs).filter(t => t.label.startsWith('Walkthrough')));
      };
      await closeWalkthrough();
      const shown = await vscode.window.showTextDocument(document, { viewColumn: editor.viewColumn, preview: false });
      shown.selection = new vscode.Selection(diagnostic.range.start, diagnostic.range.start);
      shown.revealRange(diagnostic.range, vscode.TextEditorRevealType.InCenter);
      await vscode.commands.executeCommand('notifications.clearAll');
      await vscode.commands.executeCommand('editor.action.showHover');
      await new Promise(resolve => setTimeout(resolve, 1000));
      console.log(`[host]   screenshot ${await screenshot('readme-diagnostic')}`);
      await press('Escape'); // the hover
      await vscode.commands.executeCommand('workbench.action.files.revert');
      await waitForNoDiagnostic(document.uri, 'unknown-start-reference');

      // 3. The preview button: a preview panel of the example.
      const panels = async (): Promise<PreviewPanelStatus[]> =>
        (await vscode.commands.executeCommand<PreviewPanelStatus[]>('hyperframesLive.preview.inspect')) ?? [];
      await pressStepButton(steps[2]);
      await waitFor('a preview panel of the example', async () => (await panels()).find(p => p.uri === document.uri.toString()), 20_000);
      // It loads the example (the preview's own behaviour is tested in 50-preview); its picture is README's.
      const preview = await waitFor('the example\'s preview to load', async () =>
        (await panels()).find(s => s.uri === document.uri.toString() && s.frame?.status === 'loaded'), 60_000)
        .catch(async (error: unknown) => { throw new Error(`${String(error)}; panels: ${JSON.stringify(await panels())}`); });
      assert.equal(preview.frame?.status === 'loaded' ? preview.frame.duration : undefined, 5, 'the example is five seconds long');
      // README's picture: the source beside the preview at its last frame (End, pressed in the focused preview).
      await vscode.commands.executeCommand('workbench.action.closePanel');
      await vscode.commands.executeCommand('notifications.clearAll');
      await closeWalkthrough();
      await vscode.commands.executeCommand('workbench.action.focusSecondEditorGroup');
      await new Promise(resolve => setTimeout(resolve, 500));
      await press('End');
      await new Promise(resolve => setTimeout(resolve, 1500));
      console.log(`[host]   screenshot ${await screenshot('readme-preview')}`);

      // 4. The render button: the format quick pick, answered as a person would.
      const output = document.uri.fsPath.replace(/index\.html$/, 'renders/hello.mp4');
      fs.rmSync(output, { force: true });
      await pressStepButton(steps[3]);
      await waitFor('the format quick pick', async () => ((await texts(QUICK_PICK_ROWS)).some(r => r.includes('MP4 (H.264) · draft')) ? true : undefined), 20_000);
      await click(QUICK_PICK_ROWS, 'MP4 (H.264) · draft');
      const rendered = await waitFor('the example rendered', async () =>
        (await vscode.commands.executeCommand<RenderInspection>('hyperframesLive.render.inspect')).jobs.find(j => j.outputPath === output && j.status === 'done'), RENDER_TIMEOUT_MS);
      assert.equal(rendered.result?.frames, 150, 'the example\'s 150 frames');
      assert.ok(fs.existsSync(output));

      // Each step completed on its event (the buttons ran their commands, the context key was set).
      await openWalkthrough();
      await waitFor('every step checked off', async () => {
        const done = await checked();
        return steps.every(s => done.includes(s.title)) ? true : undefined;
      }, 20_000).catch(async (error: unknown) => { throw new Error(`${String(error)} (checked: ${JSON.stringify(await checked())})`); });

      await closeAllEditors();
    },
  },
  {
    name: 'the language status item opens a menu: Restart Server, Show Log, Check Environment',
    timeoutMs: 60_000,
    needs: 'workbench-page',
    run: async () => {
      const api = await extensionApi();
      assert.equal(api.statusLink?.command, 'hyperframesLive.serverMenu', 'the status item links to the menu');
      for (const entry of ['Restart Server', 'Show Log', 'Check Environment']) assert.ok(api.statusMenu.includes(entry), `the menu has ${entry}: ${api.statusMenu.join(', ')}`);
      const chosen = vscode.commands.executeCommand<string | undefined>('hyperframesLive.serverMenu');
      const rows = await waitFor('the menu', async () => {
        const found = await texts(QUICK_PICK_ROWS);
        return ['Restart Server', 'Show Log', 'Check Environment'].every(entry => found.some(r => r.includes(entry))) ? found : undefined;
      }, 20_000);
      for (const entry of ['Restart Server', 'Show Log', 'Check Environment']) assert.ok(rows.some(r => r.includes(entry)), `the menu shows ${entry}`);
      for (const key of 'show log') await press(key === ' ' ? 'Space' : key);
      await press('Enter');
      assert.equal(await chosen, 'hyperframesLive.showLog', 'choosing Show Log ran it');
    },
  },
];
