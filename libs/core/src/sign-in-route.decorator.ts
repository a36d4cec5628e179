import { SetMetadata } from '@nestjs/common';

/** Metadata key marking a route that signs a user in with a password. */
export const SIGN_IN_ROUTE_KEY = 'gatehouse:sign-in-route';

/** Marks a password sign-in route, so an app's own rate limiter can find every one of them. */
export const SignInRoute = (): MethodDecorator => SetMetadata(SIGN_IN_ROUTE_KEY, true);
