import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { Public } from '@gatehouse/core';
import { AccountsService } from './accounts.service.js';
import { CredentialsDto } from './register.dto.js';

@Controller('auth')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  /** `POST /auth/register` `{email, password}` → 201 `{id}`. */
  @Public()
  @Post('register')
  @HttpCode(201)
  register(@Body() body: CredentialsDto): Promise<{ id: string }> {
    return this.accounts.register(body.email, body.password);
  }
}
