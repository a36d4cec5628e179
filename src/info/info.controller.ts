import { Controller, Get, Inject } from '@nestjs/common';
import { ApiKeyAuth, CurrentPrincipal, Public, type Principal } from '@gatehouse/core';
import { DEMO_CONFIG, type DemoConfig } from '../config/demo.config.js';
import { DEMO_VERSION } from '../version.js';

@Controller()
export class InfoController {
  constructor(@Inject(DEMO_CONFIG) private readonly config: DemoConfig) {}

  /** `GET /`: public service info (also the benchmark's unguarded baseline). */
  @Public()
  @Get()
  info(): { name: string; version: string; adapter: string } {
    return { name: 'gatehouse-demo', version: DEMO_VERSION, adapter: this.config.adapter };
  }

  /** `GET /me`: the authenticated principal, whatever credential it came from. */
  @ApiKeyAuth()
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Principal {
    return principal;
  }
}
