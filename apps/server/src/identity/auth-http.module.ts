import { Module } from '@nestjs/common';
import { AuthController } from './auth.controller.js';
import { IdentityModule } from './identity.module.js';

/** The /auth/* routes, served by the api role. */
@Module({ imports: [IdentityModule], controllers: [AuthController] })
export class AuthHttpModule {}
