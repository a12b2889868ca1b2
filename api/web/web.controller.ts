import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { Controller, Get, Inject, Param, Req, Res, type OnModuleInit } from '@nestjs/common';
import type { TemporalUiSettings } from '../api-deps';
import { apiError } from '../api-error';
import { workflowLink } from '../order-view';
import { TEMPORAL_UI_SETTINGS } from '../tokens';
import { webAssets, type WebAsset, type WebAssetName, type WebAssets } from './web-assets';

/** Stands for the order id in the workflow link template the operator board fills in for listed orders. */
const ORDER_ID_SLOT = '{orderId}';

/** The pages only talk to this API; nothing is framed, inlined or loaded from elsewhere. */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

const ASSETS: Readonly<Record<string, WebAssetName>> = { 'customer.js': 'customer.js', 'operator.js': 'operator.js', 'styles.css': 'styles.css' };

/**
 * The customer page at `/` and the operator board at `/operator`, with their bundled scripts and stylesheet
 * under `/assets/`. Every answer is revalidated (`no-cache` with an ETag), so a restarted API is seen at once.
 */
@Controller()
export class WebController implements OnModuleInit {
  private assets: WebAssets | undefined;

  constructor(@Inject(TEMPORAL_UI_SETTINGS) private readonly ui: TemporalUiSettings) {}

  /** Bundles the browser code while the API starts, so a broken bundle stops the start rather than a page. */
  async onModuleInit(): Promise<void> {
    this.assets = await webAssets();
  }

  @Get()
  customerPage(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    send(request, response, this.built('customer.html'), { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
  }

  @Get('operator')
  operatorBoard(@Req() request: IncomingMessage, @Res() response: ServerResponse): void {
    const page = this.built('operator.html');
    const body = page.body.replace('{{workflowUrlTemplate}}', escapeAttribute(this.workflowUrlTemplate()));
    send(request, response, { ...page, body }, { 'Content-Security-Policy': CONTENT_SECURITY_POLICY });
  }

  @Get('assets/:name')
  asset(@Req() request: IncomingMessage, @Res() response: ServerResponse, @Param('name') name: string): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (asset === undefined) throw apiError(404, `No asset ${name}`);
    send(request, response, this.built(asset));
  }

  private built(name: WebAssetName): WebAsset {
    if (!this.assets) throw apiError(503, 'The web pages are still being built; please retry shortly');
    return this.assets[name];
  }

  /** Order lists carry no links; the board builds each workflow link from this, made the way order views make theirs. */
  private workflowUrlTemplate(): string {
    return workflowLink(ORDER_ID_SLOT, this.ui) ?? '';
  }
}

/** Sends the asset, or 304 when the browser's copy (by ETag) is still the one we have. */
function send(request: IncomingMessage, response: ServerResponse, asset: WebAsset, headers: Record<string, string> = {}): void {
  const body = Buffer.from(asset.body, 'utf8');
  const etag = `"${createHash('sha1').update(body).digest('base64url')}"`;
  response.setHeader('Content-Type', asset.contentType);
  response.setHeader('Cache-Control', 'no-cache');
  response.setHeader('ETag', etag);
  response.setHeader('X-Content-Type-Options', 'nosniff');
  for (const [name, value] of Object.entries(headers)) response.setHeader(name, value);
  const known = request.headers['if-none-match'];
  if (known !== undefined && known.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag)) {
    response.statusCode = 304;
    response.end();
    return;
  }
  response.statusCode = 200;
  response.setHeader('Content-Length', body.length);
  response.end(request.method === 'HEAD' ? undefined : body);
}

function escapeAttribute(text: string): string {
  return text.replaceAll('&', '&amp;').replaceAll('"', '&quot;').replaceAll('<', '&lt;').replaceAll('>', '&gt;');
}
