CREATE TABLE "asset_types" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"key" text NOT NULL,
	"extends" text,
	"description" text,
	"properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"commands" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"effective_properties" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"effective_commands" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"chain" jsonb DEFAULT '[]'::jsonb NOT NULL,
	CONSTRAINT "asset_types_twin_key" UNIQUE("twin_id","key")
);
--> statement-breakpoint
CREATE TABLE "twins" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"timezone" text DEFAULT 'UTC' NOT NULL,
	"manifest" jsonb NOT NULL,
	"revision" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"loaded_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assets" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"key" text NOT NULL,
	"type" text NOT NULL,
	"parent_id" integer,
	"name" text,
	"description" text,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"reported" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"desired" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone,
	CONSTRAINT "assets_twin_key" UNIQUE("twin_id","key")
);
--> statement-breakpoint
CREATE TABLE "relations" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"from_id" integer NOT NULL,
	"type" text NOT NULL,
	"to_id" integer NOT NULL,
	"attributes" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "relations_edge" UNIQUE("from_id","type","to_id")
);
--> statement-breakpoint
CREATE TABLE "readings" (
	"twin_id" text NOT NULL,
	"asset_id" integer NOT NULL,
	"property" text NOT NULL,
	"ts" timestamp with time zone NOT NULL,
	"value" double precision NOT NULL,
	CONSTRAINT "readings_key" UNIQUE("twin_id","asset_id","property","ts")
) PARTITION BY RANGE ("ts");
--> statement-breakpoint
CREATE TABLE "rollups_1m" (
	"twin_id" text NOT NULL,
	"asset_id" integer NOT NULL,
	"property" text NOT NULL,
	"minute" timestamp with time zone NOT NULL,
	"min" double precision NOT NULL,
	"max" double precision NOT NULL,
	"sum" double precision NOT NULL,
	"count" integer NOT NULL,
	"last" double precision NOT NULL,
	"last_ts" timestamp with time zone NOT NULL,
	CONSTRAINT "rollups_1m_key" UNIQUE("twin_id","asset_id","property","minute")
);
--> statement-breakpoint
CREATE TABLE "alarms" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"asset_id" integer NOT NULL,
	"property" text NOT NULL,
	"level" text NOT NULL,
	"raised_at" timestamp with time zone NOT NULL,
	"cleared_at" timestamp with time zone,
	"message" text NOT NULL,
	"value" double precision NOT NULL,
	"threshold" double precision
);
--> statement-breakpoint
CREATE TABLE "production_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"key" text NOT NULL,
	"sku" text NOT NULL,
	"quantity" integer NOT NULL,
	"completed" integer DEFAULT 0 NOT NULL,
	"due_at" timestamp with time zone NOT NULL,
	"priority" text DEFAULT 'normal' NOT NULL,
	"status" text DEFAULT 'planned' NOT NULL,
	"customer" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "production_orders_twin_key" UNIQUE("twin_id","key")
);
--> statement-breakpoint
CREATE TABLE "routings" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"sku" text NOT NULL,
	"name" text,
	"steps" jsonb NOT NULL,
	CONSTRAINT "routings_twin_sku" UNIQUE("twin_id","sku")
);
--> statement-breakpoint
CREATE TABLE "work_orders" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"key" text NOT NULL,
	"asset_id" integer NOT NULL,
	"kind" text NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"due_at" timestamp with time zone,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"duration_hours" double precision,
	"crew" text,
	"skill" text,
	"note" text,
	"source" text DEFAULT 'manifest' NOT NULL,
	"action_id" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "work_orders_twin_key" UNIQUE("twin_id","key")
);
--> statement-breakpoint
CREATE TABLE "crews" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"key" text NOT NULL,
	"name" text,
	"shift" text NOT NULL,
	"size" integer NOT NULL,
	"skills" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"overtime_hours_week" double precision DEFAULT 0 NOT NULL,
	"overtime_limit_hours_week" double precision,
	"area" text,
	CONSTRAINT "crews_twin_key" UNIQUE("twin_id","key")
);
--> statement-breakpoint
CREATE TABLE "tariffs" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"key" text NOT NULL,
	"currency" text NOT NULL,
	"energy" jsonb NOT NULL,
	"demand_charge_per_kw_month" double precision,
	"demand_window_minutes" integer DEFAULT 15 NOT NULL,
	"meter" text,
	CONSTRAINT "tariffs_twin_key" UNIQUE("twin_id","key")
);
--> statement-breakpoint
CREATE TABLE "action_events" (
	"id" serial PRIMARY KEY NOT NULL,
	"action_id" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"actor" text NOT NULL,
	"actor_role" text,
	"via" text,
	"comment" text,
	"ts" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "action_proposals" (
	"id" text PRIMARY KEY NOT NULL,
	"twin_id" text NOT NULL,
	"run_id" text,
	"thread_id" text,
	"type" text NOT NULL,
	"params" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"risk" text NOT NULL,
	"status" text DEFAULT 'pending_approval' NOT NULL,
	"proposed_by" text NOT NULL,
	"rationale" text,
	"evidence" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"result" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "audit_log" (
	"id" bigserial PRIMARY KEY NOT NULL,
	"ts" timestamp with time zone DEFAULT now() NOT NULL,
	"twin_id" text,
	"actor" text NOT NULL,
	"actor_role" text,
	"via" text,
	"event" text NOT NULL,
	"target" text,
	"details" jsonb DEFAULT '{}'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "dead_letters" (
	"id" serial PRIMARY KEY NOT NULL,
	"twin_id" text,
	"source" text NOT NULL,
	"payload" jsonb,
	"reason" text NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "commands" (
	"id" text PRIMARY KEY NOT NULL,
	"action_id" text,
	"twin_id" text NOT NULL,
	"asset_id" integer NOT NULL,
	"command" text NOT NULL,
	"args" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"status" text DEFAULT 'sent' NOT NULL,
	"detail" text,
	"sent_at" timestamp with time zone DEFAULT now() NOT NULL,
	"acked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "api_keys" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text,
	"role" text NOT NULL,
	"hash" text NOT NULL,
	"prefix" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"revoked_at" timestamp with time zone,
	"last_used_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "eval_runs" (
	"id" text PRIMARY KEY NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"finished_at" timestamp with time zone,
	"provider" text NOT NULL,
	"baseline" boolean DEFAULT false NOT NULL,
	"summary" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"results" jsonb DEFAULT '[]'::jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_events" (
	"event_id" text PRIMARY KEY NOT NULL,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "slack_threads" (
	"team_id" text NOT NULL,
	"channel_id" text NOT NULL,
	"thread_ts" text NOT NULL,
	"thread_id" text NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "slack_threads_pk" PRIMARY KEY("team_id","channel_id","thread_ts")
);
--> statement-breakpoint
CREATE TABLE "threads" (
	"id" text PRIMARY KEY NOT NULL,
	"twin_id" text,
	"title" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "asset_types" ADD CONSTRAINT "asset_types_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assets" ADD CONSTRAINT "assets_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "assets"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relations" ADD CONSTRAINT "relations_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relations" ADD CONSTRAINT "relations_from_id_assets_id_fk" FOREIGN KEY ("from_id") REFERENCES "assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "relations" ADD CONSTRAINT "relations_to_id_assets_id_fk" FOREIGN KEY ("to_id") REFERENCES "assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarms" ADD CONSTRAINT "alarms_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "alarms" ADD CONSTRAINT "alarms_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "production_orders" ADD CONSTRAINT "production_orders_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "routings" ADD CONSTRAINT "routings_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "work_orders" ADD CONSTRAINT "work_orders_asset_id_assets_id_fk" FOREIGN KEY ("asset_id") REFERENCES "assets"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "crews" ADD CONSTRAINT "crews_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "tariffs" ADD CONSTRAINT "tariffs_twin_id_twins_id_fk" FOREIGN KEY ("twin_id") REFERENCES "twins"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "action_events" ADD CONSTRAINT "action_events_action_id_action_proposals_id_fk" FOREIGN KEY ("action_id") REFERENCES "action_proposals"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "assets_parent_idx" ON "assets" USING btree ("parent_id");--> statement-breakpoint
CREATE INDEX "assets_twin_type_idx" ON "assets" USING btree ("twin_id","type");--> statement-breakpoint
CREATE INDEX "relations_in_idx" ON "relations" USING btree ("to_id","type","from_id");--> statement-breakpoint
CREATE INDEX "relations_twin_idx" ON "relations" USING btree ("twin_id");--> statement-breakpoint
CREATE INDEX "rollups_1m_minute_idx" ON "rollups_1m" USING btree ("minute");--> statement-breakpoint
CREATE UNIQUE INDEX "alarms_open_uq" ON "alarms" USING btree ("asset_id","property","level") WHERE "alarms"."cleared_at" is null;--> statement-breakpoint
CREATE INDEX "alarms_twin_raised_idx" ON "alarms" USING btree ("twin_id","raised_at");--> statement-breakpoint
CREATE INDEX "production_orders_due_idx" ON "production_orders" USING btree ("twin_id","due_at");--> statement-breakpoint
CREATE INDEX "work_orders_asset_idx" ON "work_orders" USING btree ("asset_id");--> statement-breakpoint
CREATE INDEX "action_events_action_idx" ON "action_events" USING btree ("action_id","ts");--> statement-breakpoint
CREATE INDEX "action_proposals_status_idx" ON "action_proposals" USING btree ("status","created_at");--> statement-breakpoint
CREATE INDEX "action_proposals_thread_idx" ON "action_proposals" USING btree ("thread_id");--> statement-breakpoint
CREATE INDEX "audit_log_ts_idx" ON "audit_log" USING btree ("ts");--> statement-breakpoint
CREATE INDEX "audit_log_target_idx" ON "audit_log" USING btree ("target");--> statement-breakpoint
CREATE INDEX "dead_letters_received_idx" ON "dead_letters" USING btree ("received_at");--> statement-breakpoint
CREATE INDEX "commands_action_idx" ON "commands" USING btree ("action_id");--> statement-breakpoint
CREATE INDEX "commands_status_idx" ON "commands" USING btree ("status","sent_at");--> statement-breakpoint
CREATE UNIQUE INDEX "api_keys_hash_uq" ON "api_keys" USING btree ("hash");--> statement-breakpoint
CREATE INDEX "threads_updated_idx" ON "threads" USING btree ("updated_at");