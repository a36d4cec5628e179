import { Controller, Get, Header, type OnModuleInit } from '@nestjs/common';
import { readFile } from 'node:fs/promises';
import { Public } from '@gatehouse/core';

/**
 * A page of our own and nothing else: scripts and styles only from this origin, no inline code,
 * no framing, forms post only here.
 */
export const ACCOUNT_PAGE_CSP =
  "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; frame-ancestors 'none'; base-uri 'none'; object-src 'none'";

const PUBLIC_DIR = new URL('./public/', import.meta.url);

/** `GET /account`: the demo's account page (static HTML, one script, one stylesheet). */
@Public()
@Controller('account')
export class AccountPageController implements OnModuleInit {
  private files: Record<'html' | 'js' | 'css', string> = { html: '', js: '', css: '' };

  async onModuleInit(): Promise<void> {
    const [html, js, css] = await Promise.all(['account.html', 'account.js', 'account.css'].map((name) => readFile(new URL(name, PUBLIC_DIR), 'utf8')));
    this.files = { html: html!, js: js!, css: css! };
  }

  @Get()
  @Header('Content-Type', 'text/html; charset=utf-8')
  @Header('Content-Security-Policy', ACCOUNT_PAGE_CSP)
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Referrer-Policy', 'no-referrer')
  @Header('Cache-Control', 'no-cache')
  page(): string {
    return this.files.html;
  }

  @Get('account.js')
  @Header('Content-Type', 'text/javascript; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  script(): string {
    return this.files.js;
  }

  @Get('account.css')
  @Header('Content-Type', 'text/css; charset=utf-8')
  @Header('X-Content-Type-Options', 'nosniff')
  @Header('Cache-Control', 'no-cache')
  stylesheet(): string {
    return this.files.css;
  }
}
