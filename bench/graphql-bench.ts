import type { DynamicModule } from '@nestjs/common';
import { ApolloDriver, type ApolloDriverConfig } from '@nestjs/apollo';
import { Field, GraphQLModule, ObjectType, Query, Resolver } from '@nestjs/graphql';
import { MercuriusDriver, type MercuriusDriverConfig } from '@nestjs/mercurius';
import { randomUUID } from 'node:crypto';
import { CurrentPrincipal, Public, type Principal } from '@gatehouse/core';

/** Where the bench server answers GraphQL, and the two operations its rows send. */
export const GRAPHQL_PATH = '/graphql';
export const GRAPHQL_ME = '{ me { kind subject scopes } }';
export const GRAPHQL_SHAPED = '{ shapedMe { kind subject scopes } }';

@ObjectType()
class Viewer {
  @Field() kind!: string;
  @Field() subject!: string;
  @Field(() => [String]) scopes!: readonly string[];
}

/** What `me` answers for a bench user, with the same field lengths. */
const SHAPE: Viewer = { kind: 'user', subject: randomUUID(), scopes: ['orders:read', 'orders:write', 'api-keys:manage'] };

/**
 * `me` behind the global guard, and `shapedMe`, the same query made public: the GraphQL rows'
 * counterparts of `GET /me` and the shaped public route. Mounted by the bench server only.
 */
@Resolver()
export class BenchViewerResolver {
  @Query(() => Viewer)
  me(@CurrentPrincipal() principal: Principal): Viewer {
    return principal;
  }

  @Public()
  @Query(() => Viewer)
  shapedMe(@CurrentPrincipal() principal: Principal | undefined): Viewer {
    return principal ?? SHAPE;
  }
}

/** The GraphQL server each adapter's users would pick: Apollo on Express, Mercurius on Fastify. */
export function benchGraphqlModule(adapter: string): DynamicModule {
  return adapter === 'fastify'
    ? GraphQLModule.forRoot<MercuriusDriverConfig>({ driver: MercuriusDriver, autoSchemaFile: true, path: GRAPHQL_PATH })
    : GraphQLModule.forRoot<ApolloDriverConfig>({ driver: ApolloDriver, autoSchemaFile: true, path: GRAPHQL_PATH });
}
