// Containment: media and sub-composition references whose path leaves the project folder — "..", %-encoded
// dots — are reported on the src value (as the reference's invalid_parent_traversal_in_asset_path), and nothing there is read or inlined.
// A symbolic link the project contains is followed (monorepos share asset folders that way), with a
// warning on the reference when it leads outside. Root-relative ("/x") references resolve from the project root.
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compile } from '../../server/engine/compile/index';
import { isLintCode } from '../../server/engine/compile/lint/codes';
import { brief, withCode } from './compileSupport';

const ENTRY_HTML = `<!doctype html>
<html>
<body>
<div id="root" data-composition-id="paths" data-width="320" data-height="240" data-duration="2">
  <img id="dots" src="../../etc/passwd" data-start="0" data-duration="1">
  <img id="encoded" src="%2e%2e/outside/secret.png" data-start="0" data-duration="1">
  <img id="linked" src="assets/link.png" data-start="0" data-duration="1">
  <img id="rooted" src="/assets/ok.png" data-start="0" data-duration="1">
  <div id="sub-link" data-composition-id="s" data-composition-src="compositions/linked.html" data-start="0" data-duration="1"></div>
  <div id="sub-dots" data-composition-id="t" data-composition-src="../outside/sub.html" data-start="0" data-duration="1"></div>
</div>
</body>
</html>
`;

describe('compile: paths stay inside the project', () => {
  let base: string;
  let project: string;

  before(() => {
    base = fs.mkdtempSync(path.join(os.tmpdir(), 'hf-compile-paths-'));
    project = path.join(base, 'project');
    const outside = path.join(base, 'outside');
    fs.mkdirSync(path.join(project, 'assets'), { recursive: true });
    fs.mkdirSync(path.join(project, 'compositions'));
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(project, 'hyperframes.json'), '{}');
    fs.writeFileSync(path.join(project, 'assets/ok.png'), 'png');
    fs.writeFileSync(path.join(outside, 'secret.png'), 'secret');
    fs.writeFileSync(path.join(outside, 'sub.html'), '<template><div data-composition-id="t"><script>window.__leaked = 1;</script></div></template>');
    fs.symlinkSync(path.join(outside, 'secret.png'), path.join(project, 'assets/link.png'));
    fs.symlinkSync(path.join(outside, 'sub.html'), path.join(project, 'compositions/linked.html'));
    fs.writeFileSync(path.join(project, 'index.html'), ENTRY_HTML);
  });

  after(() => fs.rmSync(base, { recursive: true, force: true }));

  it('reports ".." and encoded dots on the src value; follows symlinks the project contains, warning when they lead outside', async () => {
    const { diagnostics, composition } = await compile({ entryFile: path.join(project, 'index.html') });
    // A src climbing above the project is the reference's invalid_parent_traversal_in_asset_path (said once).
    assert.deepEqual(diagnostics.filter(d => !isLintCode(d.code) || d.code === 'invalid_parent_traversal_in_asset_path').map(brief), [
      'index.html 4:22-4:38 error invalid_parent_traversal_in_asset_path',
      'index.html 5:25-5:50 error invalid_parent_traversal_in_asset_path',
      'index.html 6:24-6:39 warning symlink-outside-project',
      'index.html 8:67-8:91 warning symlink-outside-project',
      'index.html 9:67-9:86 error path-outside-project',
    ]);
    const [linked, subLink] = withCode(diagnostics, 'symlink-outside-project');
    assert.match(linked.message, /symbolic link that leads outside the project folder \(to .*secret\.png\)/);
    assert.match(subLink.message, /sub\.html/);
    assert.match(composition.compiledHtml, /__leaked/, 'the linked sub-composition is inlined');
    assert.equal(composition.media.find(m => m.clipId === 'linked')!.localPath, path.join(project, 'assets/link.png'));
    assert.equal(composition.media.find(m => m.clipId === 'rooted')!.localPath, path.join(project, 'assets/ok.png'));
    assert.equal(composition.media.find(m => m.clipId === 'dots')!.localPath, undefined);
    assert.ok(composition.dependencies.every(file => file.startsWith(project + path.sep)), 'dependencies are named by their path in the project');
  });
});
