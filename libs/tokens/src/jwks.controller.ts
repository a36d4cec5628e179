import { Controller, Get, Req, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Public, readHeader, type GatehouseRequest } from '@gatehouse/core';
import { JwksDocumentProvider } from './jwks-document.provider.js';

/** Whether an `If-None-Match` list names `etag` (weak comparison, RFC 9110 §13.1.2). */
function matches(ifNoneMatch: string | undefined, etag: string): boolean {
  if (ifNoneMatch === undefined) return false;
  if (ifNoneMatch.trim() === '*') return true;
  return ifNoneMatch.split(',').some((candidate) => candidate.trim().replace(/^W\//, '') === etag);
}

/**
 * The public signing keys (`application/jwk-set+json`) with `Cache-Control` and a strong `ETag`:
 * a resource server revalidating with `If-None-Match` gets 304 until a key is added or retired.
 */
@Public()
@Controller()
export class JwksController {
  constructor(
    private readonly jwks: JwksDocumentProvider,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Get()
  document(@Req() request: GatehouseRequest, @Res() response: unknown): void {
    const adapter = this.adapterHost.httpAdapter;
    const { body, etag } = this.jwks.serialized();
    adapter.setHeader(response, 'Cache-Control', this.jwks.cacheControl);
    adapter.setHeader(response, 'ETag', etag);
    if (matches(readHeader(request, 'if-none-match'), etag)) {
      adapter.reply(response, '', 304);
      return;
    }
    adapter.setHeader(response, 'Content-Type', 'application/jwk-set+json');
    adapter.reply(response, body, 200);
  }
}
