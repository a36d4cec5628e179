import { Controller, Get, Res } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { Public } from '@gatehouse/core';
import { JwksDocumentProvider, type JwksDocument } from '@gatehouse/tokens';

/** `GET /.well-known/jwks.json`: the public keys resource servers verify access tokens with. */
@Controller('.well-known')
export class JwksController {
  constructor(
    private readonly jwks: JwksDocumentProvider,
    private readonly adapterHost: HttpAdapterHost,
  ) {}

  @Public()
  @Get('jwks.json')
  document(@Res({ passthrough: true }) response: unknown): JwksDocument {
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'Cache-Control', this.jwks.cacheControl);
    adapter.setHeader(response, 'Content-Type', 'application/jwk-set+json');
    return this.jwks.document();
  }
}
