// The warm browser's life under the server: a newer save supersedes a probe in flight, a hung page times out
// and the next save is probed in a fresh browser, a missing browser is one clear diagnostic, and nothing
// outlives the server.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { DiagnosticSeverity } from 'vscode-languageserver-protocol';
import { PageConsoleNotification, ProbeStatusNotification } from '../../server/protocol/lsp';
import { LspTestClient, lastPublish, probeFinished } from '../support/lspClient';
import { descendants, isAlive } from '../support/processes';
import { fixtureCopies, messageOf, rangeOf } from './lspHarness';

const fixture = fixtureCopies();

const HANG = '  <script>while (true) {}</script>\n</body>';
const PROBE_TIMEOUT_MS = 3000;

describe('probe lifecycle', () => {
  it('publishes only the newest save when two saves come quickly (the first one hangs, and is aborted)', async () => {
    const client = await LspTestClient.start({ probeTimeoutMs: PROBE_TIMEOUT_MS });
    try {
      const file = path.join(fixture('basic'), 'index.html');
      const original = fs.readFileSync(file, 'utf8');
      const uri = client.open(file, original);
      await probeFinished(client, uri, 1);
      // v2 never finishes loading (it would time out after PROBE_TIMEOUT_MS): v3 supersedes it long before.
      const hanging = original.replace('</body>', HANG);
      const v2 = client.change(uri, hanging);
      client.save(uri, file, hanging);
      const withImage = original.replace('</div>\n  <script', '  <img id="logo" class="clip" src="missing.png" data-start="0" data-duration="1" data-track-index="2">\n  </div>\n  <script');
      const v3 = client.change(uri, withImage);
      client.save(uri, file, withImage);
      await probeFinished(client, uri, v3);
      const published = lastPublish(client, uri)!;
      assert.equal(published.version, v3);
      // v3's missing image, said once (the probe's 404 restates the static missing_local_asset).
      assert.deepEqual(published.diagnostics.filter(d => d.code === 'http-error' || d.code === 'missing_local_asset').map(d => [d.code, d.range]),
        [['missing_local_asset', rangeOf(withImage, 'missing.png')]]);
      // Wait past v2's would-be timeout: its probe was aborted, so nothing of it ever arrives.
      await new Promise(resolve => setTimeout(resolve, PROBE_TIMEOUT_MS + 1000));
      const pageConsoles = client.notificationsOf(PageConsoleNotification.type).map(n => n.version);
      assert.ok(!pageConsoles.includes(v2), `a probe result for superseded v${v2} was sent`);
      assert.ok(!client.published.some(p => p.diagnostics.some(d => d.code === 'probe-timeout')), 'the superseded hang was published');
      assert.equal(lastPublish(client, uri)!.version, v3);
    } finally {
      await client.stop();
    }
  });

  it('reports a hang as a timeout on the script, then probes the next good save in a fresh browser', async () => {
    const client = await LspTestClient.start({ probeTimeoutMs: PROBE_TIMEOUT_MS });
    try {
      const file = path.join(fixture('basic'), 'index.html');
      const original = fs.readFileSync(file, 'utf8');
      const hanging = original.replace('</body>', HANG);
      const uri = client.open(file, hanging);
      const timedOut = await client.waitForDiagnostics(uri, 'the timeout', p => p.diagnostics.some(d => d.code === 'probe-timeout'));
      assert.equal(timedOut.version, 1);
      const timeout = timedOut.diagnostics.find(d => d.code === 'probe-timeout')!;
      assert.equal(timeout.severity, DiagnosticSeverity.Error);
      assert.equal(timeout.range.start.line, rangeOf(hanging, 'while (true) {}').start.line);

      const fixed = original.replace('data-start="intro + 0.5"', 'data-start="intro + 0.25"');
      const v2 = client.change(uri, fixed);
      client.save(uri, file, fixed);
      await probeFinished(client, uri, v2);
      const published = lastPublish(client, uri)!;
      assert.equal(published.version, v2);
      assert.deepEqual(published.diagnostics, []);
    } finally {
      await client.stop();
    }
  });

  it('turns a browser that cannot start into one diagnostic on the root and a status message', async () => {
    const client = await LspTestClient.start({ chromiumPath: '/nonexistent/chromium' });
    try {
      const file = path.join(fixture('basic'), 'index.html');
      const text = fs.readFileSync(file, 'utf8');
      const uri = client.open(file, text);
      const published = await client.waitForDiagnostics(uri, 'browser-unavailable', p => p.diagnostics.length > 0);
      assert.equal(published.diagnostics.length, 1);
      const [diagnostic] = published.diagnostics;
      assert.equal(diagnostic.code, 'browser-unavailable');
      assert.equal(diagnostic.severity, DiagnosticSeverity.Error, 'the editor says what check says');
      assert.deepEqual(diagnostic.range, rangeOf(text, '<div id="stage" data-composition-id="main" data-width="640" data-height="360" data-fps="30" data-duration="3">'));
      assert.match(messageOf(diagnostic), /Chromium not found at "\/nonexistent\/chromium"/);
      assert.match(messageOf(diagnostic), /In VS Code, the hyperframesLive\.chromiumPath setting gives its path\.$/);
      const status = await client.waitFor('the status', () => client.notificationsOf(ProbeStatusNotification.type)
        .find(s => s.state === 'browser-unavailable'));
      assert.match(status.message ?? '', /nonexistent/);

      // Pointing the setting at a real browser takes effect without a restart: the re-probe clears it.
      void client.configure({ hyperframesLive: { chromiumPath: '' } });
      await probeFinished(client, uri, 1);
      assert.deepEqual(lastPublish(client, uri)!.diagnostics, []);
    } finally {
      await client.stop();
    }
  });

  it('probes nothing in an untrusted workspace, and says so', async () => {
    const client = await LspTestClient.start({ trusted: false });
    try {
      const file = path.join(fixture('zero'), 'index.html');
      const uri = client.open(file);
      const published = await client.waitForDiagnostics(uri, 'static diagnostics', p => p.version === 1);
      assert.deepEqual(published.diagnostics.map(d => d.code), ['timeline_element_missing_timing', 'missing_timeline_registry']);
      const status = await client.waitFor('untrusted status', () => client.notificationsOf(ProbeStatusNotification.type).find(s => s.state === 'untrusted'));
      assert.equal(status.state, 'untrusted');
      client.save(uri, file, fs.readFileSync(file, 'utf8'));
      await new Promise(resolve => setTimeout(resolve, 1000));
      assert.equal(descendants(client.process.pid!).length, 0, 'a browser was started in an untrusted workspace');
      assert.equal(client.notificationsOf(PageConsoleNotification.type).length, 0);
    } finally {
      await client.stop();
    }
  });

  it('leaves no browser behind after shutdown and exit', async () => {
    const client = await LspTestClient.start();
    const file = path.join(fixture('basic'), 'index.html');
    const uri = client.open(file);
    await probeFinished(client, uri, 1);
    const children = descendants(client.process.pid!);
    assert.ok(children.length > 0, 'the warm browser should be running under the server');
    assert.equal(await client.stop(), 0);
    await new Promise(resolve => setTimeout(resolve, 500));
    assert.deepEqual(children.filter(isAlive), []);
  });
});
