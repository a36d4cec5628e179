import { Module } from '@nestjs/common';
import { AccountPageController } from './account-page.controller.js';

/** The demo's account page at `/account`, built on the library endpoints and nothing else. */
@Module({ controllers: [AccountPageController] })
export class AccountPageModule {}
