import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Public } from '@gatehouse/core';
import { LoginRateLimit } from '../rate-limits/login-rate-limit.decorator.js';
import { AccountsService } from './accounts.service.js';
import { CredentialsDto } from './register.dto.js';

@Controller('auth')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** `POST /auth/register` `{email, password}` → 201 `{id}`. */
  @Public()
  @LoginRateLimit()
  @Post('register')
  @HttpCode(201)
  register(@Body() body: CredentialsDto): Promise<{ id: string }> {
    return this.accounts.register(body.email, body.password);
  }
}
