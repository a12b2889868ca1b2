import path from 'node:path';
import { build } from 'esbuild';
import { describe, expect, it } from 'vitest';
import { BROWSER_DIR, browserImportsOnly, buildWebAssets } from './web-assets';

describe('web assets', () => {
  it('bundles both pages into ES modules with their content types', async () => {
    const assets = await buildWebAssets();
    expect(assets['customer.html'].contentType).toBe('text/html; charset=utf-8');
    expect(assets['customer.html'].body).toContain('<script type="module" src="/assets/customer.js">');
    expect(assets['operator.html'].body).toContain('<script type="module" src="/assets/operator.js">');
    expect(assets['customer.js'].contentType).toBe('text/javascript; charset=utf-8');
    expect(assets['styles.css'].contentType).toBe('text/css; charset=utf-8');
    for (const script of [assets['customer.js'].body, assets['operator.js'].body]) {
      expect(script).toContain('EventSource');
      expect(script).not.toMatch(/\brequire\(|from ["']node:/);
    }
  });

  it.each([
    ['a Node builtin', "import 'node:fs';"],
    ['a package', "import 'zod';"],
    ['server code', "import '../../order-view';"],
    ['an impure contract', "import '../../../contracts/order-input';"],
  ])('refuses %s in browser code', async (_what, source) => {
    const bundling = build({ stdin: { contents: source, resolveDir: BROWSER_DIR, sourcefile: path.join(BROWSER_DIR, 'probe.ts'), loader: 'ts' }, bundle: true, write: false, logLevel: 'silent', plugins: [browserImportsOnly] });
    await expect(bundling).rejects.toThrow(/browser code may import only/);
  });

  it('lets browser code import the pure contracts', async () => {
    const result = await build({
      stdin: { contents: "import { FINAL_STATUSES } from '../../../contracts/order-state'; import { MENU } from '../../../contracts/menu'; console.log(FINAL_STATUSES, MENU);", resolveDir: BROWSER_DIR, loader: 'ts' },
      bundle: true,
      write: false,
      logLevel: 'silent',
      plugins: [browserImportsOnly],
    });
    expect(result.outputFiles[0]!.text).toContain('Jasmine Green Tea');
  });
});
