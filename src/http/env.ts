/**
 * The Hono environment every route shares: the service's dependencies and the caller, set by middleware.
 * Handlers read `c.var.deps` and `c.var.actor` instead of importing services (Unkey's pattern).
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Actor } from '../control/roles';
import type { HttpDeps } from './deps';
import { validationHook } from './errors';

export interface AppEnv {
  Variables: {
    deps: HttpDeps;
    /** Set by the auth middleware on every authenticated route. */
    actor: Actor;
    keyId: string;
  };
}

/** A router for one area, with the shared validation hook so bad input always gets the error shape. */
export function router(): OpenAPIHono<AppEnv> {
  return new OpenAPIHono<AppEnv>({ defaultHook: validationHook });
}
