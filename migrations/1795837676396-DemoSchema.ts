import { MigrationInterface, QueryRunner } from "typeorm";

export class DemoSchema1795837676396 implements MigrationInterface {
    name = 'DemoSchema1795837676396'

    public async up(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`CREATE TABLE "accounts" ("id" character varying(36) NOT NULL, "email" character varying(254) NOT NULL, "password_hash" character varying(255) NOT NULL, "scopes" character varying(1024) NOT NULL, "created_at" bigint NOT NULL, "password_changed_at" bigint NOT NULL, CONSTRAINT "UQ_ee66de6cdc53993296d1ceb8aa0" UNIQUE ("email"), CONSTRAINT "PK_5a7a02c20412299d198e097a8fe" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE TABLE "orders" ("id" character varying(36) NOT NULL, "owner_id" character varying(64) NOT NULL, "item" character varying(200) NOT NULL, "quantity" integer NOT NULL, "created_at" bigint NOT NULL, CONSTRAINT "PK_710e2d4957aa5878dfe94e4ac2f" PRIMARY KEY ("id"))`);
        await queryRunner.query(`CREATE INDEX "idx_orders_owner" ON "orders"  ("owner_id", "created_at") `);
    }

    public async down(queryRunner: QueryRunner): Promise<void> {
        await queryRunner.query(`DROP INDEX "public"."idx_orders_owner"`);
        await queryRunner.query(`DROP TABLE "orders"`);
        await queryRunner.query(`DROP TABLE "accounts"`);
    }

}
