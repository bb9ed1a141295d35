// Restricted mode: rendering runs the composition's scripts, so the render command refuses with a message that
// says why (and queues nothing).
import assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { RenderResult } from '../../../server/engine/render/types';
import type { RenderInspection } from '../../../extension/render';
import { texts } from '../host/bridge';
import type { HostTest } from '../host/types';
import { extensionApi, fixtureUri, waitFor } from '../host/util';

export const tests: HostTest[] = [
  {
    name: 'Render Composition refuses in an untrusted workspace and says why',
    needs: 'workbench-page',
    run: async () => {
      await extensionApi();
      const result = await vscode.commands.executeCommand<RenderResult | undefined>('hyperframesLive.render',
        { uri: fixtureUri('index.html'), noPrompt: true });
      assert.equal(result, undefined, 'nothing was rendered');
      const inspection = await vscode.commands.executeCommand<RenderInspection>('hyperframesLive.render.inspect');
      assert.deepEqual(inspection.jobs, [], 'nothing was queued');
      await waitFor('the refusal toast', async () => (await texts('.notifications-toasts .notification-toast'))
        .find(t => t.includes('renders only in a trusted workspace')), 20_000);
    },
  },
];
