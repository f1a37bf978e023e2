CREATE TABLE "canonical_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"webhook_event_id" uuid NOT NULL,
	"provider" text NOT NULL,
	"type" text NOT NULL,
	"record_kind" text,
	"external_id" text,
	"occurred_at" timestamp with time zone,
	"data" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "emails" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "emails_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"direction" text DEFAULT 'outbound' NOT NULL,
	"message_id" text,
	"from_address" text,
	"to_addresses" jsonb,
	"subject" text,
	"tags" jsonb,
	"status" text,
	"status_rank" integer DEFAULT 0 NOT NULL,
	"status_at" timestamp with time zone,
	"sent_at" timestamp with time zone,
	"open_count" integer DEFAULT 0 NOT NULL,
	"click_count" integer DEFAULT 0 NOT NULL,
	"first_opened_at" timestamp with time zone,
	"last_opened_at" timestamp with time zone,
	"first_clicked_at" timestamp with time zone,
	"last_clicked_at" timestamp with time zone,
	"last_clicked_link" text,
	"bounce" jsonb,
	"complained_at" timestamp with time zone,
	"failure_reason" text,
	"suppression" jsonb,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "webhook_events" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"provider" text NOT NULL,
	"event_type" text NOT NULL,
	"dedupe_key" text NOT NULL,
	"status" text DEFAULT 'pending' NOT NULL,
	"attempts" integer DEFAULT 0 NOT NULL,
	"last_error" text,
	"note" text,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"available_at" timestamp with time zone DEFAULT now() NOT NULL,
	"processed_at" timestamp with time zone,
	"headers" jsonb NOT NULL,
	"body" "bytea" NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "messages" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "messages_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"conversation_id" text,
	"direction" text,
	"from_address" text,
	"to_address" text,
	"sender_name" text,
	"body" text,
	"media" jsonb,
	"status" text,
	"status_rank" integer DEFAULT 0 NOT NULL,
	"error_code" text,
	"error_message" text,
	"num_segments" integer,
	"account_id" text,
	"sent_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "canonical_events_webhook_type_uq" ON "canonical_events" USING btree ("webhook_event_id","type","external_id");--> statement-breakpoint
CREATE INDEX "canonical_events_type_created_idx" ON "canonical_events" USING btree ("type","created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "emails_provider_external_id_uq" ON "emails" USING btree ("provider","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "webhook_events_provider_dedupe_key_uq" ON "webhook_events" USING btree ("provider","dedupe_key");--> statement-breakpoint
CREATE INDEX "webhook_events_due_idx" ON "webhook_events" USING btree ("available_at") WHERE status in ('pending', 'failed', 'processing');--> statement-breakpoint
CREATE INDEX "webhook_events_status_idx" ON "webhook_events" USING btree ("status");--> statement-breakpoint
CREATE INDEX "webhook_events_provider_received_idx" ON "webhook_events" USING btree ("provider","received_at");--> statement-breakpoint
CREATE UNIQUE INDEX "messages_provider_external_id_uq" ON "messages" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "messages_conversation_idx" ON "messages" USING btree ("provider","conversation_id");