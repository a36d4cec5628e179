import { Module } from '@nestjs/common';
import { SessionsModule } from '@gatehouse/sessions';
import { DEMO_CONFIG, type DemoConfig } from '../config/demo.config.js';
import { SessionsController } from './sessions.controller.js';
import { SignedInDevices } from './signed-in-devices.js';

/**
 * Cookie sessions in the demo: `SessionsModule` with the demo's public origin (when configured)
 * as the only origin allowed to send cookie-authenticated unsafe requests, and the `/auth`
 * session routes.
 */
@Module({
  imports: [
    SessionsModule.forRootAsync({
      inject: [DEMO_CONFIG],
      useFactory: (config: DemoConfig) => ({ allowedOrigins: config.publicOrigin ? [config.publicOrigin] : [] }),
    }),
  ],
  controllers: [SessionsController],
  providers: [SignedInDevices],
})
export class SessionsDemoModule {}
