CREATE TABLE "clients" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "clients_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"account_id" text NOT NULL,
	"source_occurred_at" timestamp with time zone NOT NULL,
	"last_event_id" uuid,
	"last_topic" text,
	"sync_status" text NOT NULL,
	"synced_at" timestamp with time zone,
	"jobber_updated_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text,
	"first_name" text,
	"last_name" text,
	"company_name" text,
	"emails" jsonb,
	"phones" jsonb,
	"billing_address" jsonb,
	"is_lead" boolean,
	"is_archived" boolean
);
--> statement-breakpoint
CREATE TABLE "invoices" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "invoices_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"account_id" text NOT NULL,
	"source_occurred_at" timestamp with time zone NOT NULL,
	"last_event_id" uuid,
	"last_topic" text,
	"sync_status" text NOT NULL,
	"synced_at" timestamp with time zone,
	"jobber_updated_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"invoice_number" text,
	"subject" text,
	"status" text,
	"client_external_id" text,
	"job_external_ids" jsonb,
	"total" double precision,
	"amount_due" double precision,
	"amount_paid" double precision,
	"issued_date" timestamp with time zone,
	"due_date" timestamp with time zone,
	"received_date" timestamp with time zone,
	"paid_notified_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "jobber_accounts" (
	"account_id" text PRIMARY KEY NOT NULL,
	"name" text,
	"connection_state" text NOT NULL,
	"state_at" timestamp with time zone NOT NULL,
	"access_token" text,
	"refresh_token" text,
	"token_expires_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobber_oauth_states" (
	"state_hash" text PRIMARY KEY NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "jobs" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "jobs_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"account_id" text NOT NULL,
	"source_occurred_at" timestamp with time zone NOT NULL,
	"last_event_id" uuid,
	"last_topic" text,
	"sync_status" text NOT NULL,
	"synced_at" timestamp with time zone,
	"jobber_updated_at" timestamp with time zone,
	"deleted_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"job_number" integer,
	"title" text,
	"status" text,
	"client_external_id" text,
	"total" double precision,
	"start_at" timestamp with time zone,
	"end_at" timestamp with time zone,
	"completed_at" timestamp with time zone
);
--> statement-breakpoint
CREATE UNIQUE INDEX "clients_provider_external_id_uq" ON "clients" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "clients_account_sync_idx" ON "clients" USING btree ("account_id","sync_status");--> statement-breakpoint
CREATE UNIQUE INDEX "invoices_provider_external_id_uq" ON "invoices" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "invoices_account_sync_idx" ON "invoices" USING btree ("account_id","sync_status");--> statement-breakpoint
CREATE UNIQUE INDEX "jobs_provider_external_id_uq" ON "jobs" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "jobs_account_sync_idx" ON "jobs" USING btree ("account_id","sync_status");