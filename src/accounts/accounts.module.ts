import { Global, Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { GatehouseAccounts } from '@gatehouse/core';
import { Account } from './account.entity.js';
import { AccountsController } from './accounts.controller.js';
import { AccountsService } from './accounts.service.js';
import { PasswordHasher } from './password-hasher.js';

/** Accounts are global: gatehouse's endpoints reach them through the `GatehouseAccounts` port. */
@Global()
@Module({
  imports: [TypeOrmModule.forFeature([Account])],
  controllers: [AccountsController],
  providers: [AccountsService, PasswordHasher, { provide: GatehouseAccounts, useExisting: AccountsService }],
  exports: [AccountsService, GatehouseAccounts],
})
export class AccountsModule {}
