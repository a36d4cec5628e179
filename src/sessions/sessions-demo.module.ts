import { Module } from '@nestjs/common';
import { SessionEndpointsModule, SessionsModule } from '@gatehouse/sessions';
import { DEMO_CONFIG, type DemoConfig } from '../config/demo.config.js';

/**
 * Cookie sessions in the demo: `SessionsModule` with the demo's public origin (when configured)
 * as the only origin allowed to send cookie-authenticated unsafe requests, and the library's
 * session endpoints under `/auth` (login, logout, CSRF token, devices, password change).
 */
@Module({
  imports: [
    SessionsModule.forRootAsync({
      inject: [DEMO_CONFIG],
      useFactory: (config: DemoConfig) => ({ allowedOrigins: config.publicOrigin ? [config.publicOrigin] : [] }),
    }),
    SessionEndpointsModule.forRoot(),
  ],
})
export class SessionsDemoModule {}
