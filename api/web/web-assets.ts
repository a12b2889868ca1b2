import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

/*
 * The customer page and the operator board: two HTML pages (each its own <main> in the one page layout), one
 * stylesheet and two browser modules bundled by esbuild in memory when the API starts. No build step, nothing
 * written to disk.
 */

export type WebAssetName = 'customer.html' | 'operator.html' | 'customer.js' | 'operator.js' | 'styles.css';

export interface WebAsset {
  contentType: string;
  body: string;
}

export type WebAssets = Readonly<Record<WebAssetName, WebAsset>>;

const WEB_DIR = path.dirname(fileURLToPath(import.meta.url));
/** Everything the browser gets: pages, stylesheet and the TypeScript modules bundled for it. */
export const BROWSER_DIR = path.join(WEB_DIR, 'browser');
const REPO_ROOT = path.resolve(WEB_DIR, '..', '..');

/** Browser entry points, each bundled with what it imports into one ES module. */
const ENTRY_POINTS = { 'customer.js': 'customer.ts', 'operator.js': 'operator.ts' } as const;

/** The only files outside api/web/ that browser code may import: pure definitions without Node or I/O. */
const SHARED_WITH_BROWSER = ['contracts/menu.ts', 'contracts/order-state.ts', 'contracts/customer-name.ts', 'contracts/names.ts'].map((file) => path.join(REPO_ROOT, file));

/** What each page puts into browser/page-layout.html besides its <main>: its title, its module, and the link to it marked current. */
const PAGES = {
  'customer.html': { title: 'Order bubble tea', script: 'customer.js', path: '/', headerClass: 'wrap', head: '' },
  'operator.html': {
    title: 'Operator board',
    script: 'operator.js',
    path: '/operator',
    headerClass: 'wrap wide',
    head: '\n  <meta name="workflow-url-template" content="{{workflowUrlTemplate}}">',
  },
} as const;
type PageName = keyof typeof PAGES;

const HTML = 'text/html; charset=utf-8';
const JS = 'text/javascript; charset=utf-8';
const CSS = 'text/css; charset=utf-8';

let built: Promise<WebAssets> | undefined;

/** Built once per process; every API instance of the process serves the same bundles. */
export function webAssets(): Promise<WebAssets> {
  built ??= buildWebAssets().catch((error: unknown) => {
    built = undefined;
    throw error;
  });
  return built;
}

export async function buildWebAssets(): Promise<WebAssets> {
  const [scripts, customerHtml, operatorHtml, styles] = await Promise.all([
    bundle(),
    page('customer.html'),
    page('operator.html'),
    readFile(path.join(BROWSER_DIR, 'styles.css'), 'utf8'),
  ]);
  return {
    'customer.html': { contentType: HTML, body: customerHtml },
    'operator.html': { contentType: HTML, body: operatorHtml },
    'customer.js': { contentType: JS, body: scripts.get('customer.js') ?? '' },
    'operator.js': { contentType: JS, body: scripts.get('operator.js') ?? '' },
    'styles.css': { contentType: CSS, body: styles },
  };
}

async function page(name: PageName): Promise<string> {
  const [layout, main] = await Promise.all([readFile(path.join(BROWSER_DIR, 'page-layout.html'), 'utf8'), readFile(path.join(BROWSER_DIR, name), 'utf8')]);
  const { path: href, ...fields } = PAGES[name];
  const filled = Object.entries({ ...fields, main }).reduce((html, [field, value]) => html.replace(`{{${field}}}`, () => value), layout);
  return filled.replace(`<a href="${href}">`, `<a href="${href}" aria-current="page">`);
}

async function bundle(): Promise<Map<string, string>> {
  const result = await build({
    entryPoints: Object.entries(ENTRY_POINTS).map(([out, source]) => ({ in: path.join(BROWSER_DIR, source), out: out.replace(/\.js$/, '') })),
    outdir: '/assets',
    bundle: true,
    write: false,
    format: 'esm',
    target: 'es2020',
    platform: 'browser',
    charset: 'utf8',
    legalComments: 'none',
    logLevel: 'silent',
    plugins: [browserImportsOnly],
  });
  return new Map(result.outputFiles.map((file) => [path.basename(file.path), file.text]));
}

/** Keeps server code out of the browser: a bundle may hold api/web/browser/ and the pure contracts above, nothing else. */
export const browserImportsOnly: Plugin = {
  name: 'browser-imports-only',
  setup(pluginBuild) {
    pluginBuild.onResolve({ filter: /.*/ }, (args) => {
      if (args.kind === 'entry-point') return undefined;
      const allowed = args.path.startsWith('.') && isBrowserSafe(path.resolve(args.resolveDir, withTs(args.path)));
      if (allowed) return undefined;
      return { errors: [{ text: `browser code may import only api/web/browser/ and ${SHARED_WITH_BROWSER.map((file) => path.relative(REPO_ROOT, file)).join(', ')}, not "${args.path}"` }] };
    });
  },
};

function withTs(specifier: string): string {
  return specifier.endsWith('.ts') ? specifier : `${specifier}.ts`;
}

function isBrowserSafe(file: string): boolean {
  return (file.startsWith(BROWSER_DIR + path.sep) && !file.endsWith('.spec.ts')) || SHARED_WITH_BROWSER.includes(file);
}
