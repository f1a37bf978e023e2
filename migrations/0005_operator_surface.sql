CREATE TABLE "activity_counts" (
	"bucket" timestamp with time zone NOT NULL,
	"provider" text NOT NULL,
	"metric" text NOT NULL,
	"count" bigint NOT NULL,
	CONSTRAINT "activity_counts_bucket_provider_metric_pk" PRIMARY KEY("bucket","provider","metric")
);
--> statement-breakpoint
CREATE TABLE "admin_sessions" (
	"token_hash" text PRIMARY KEY NOT NULL,
	"csrf_token" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE INDEX "admin_sessions_expires_idx" ON "admin_sessions" USING btree ("expires_at");--> statement-breakpoint
CREATE INDEX "webhook_events_received_idx" ON "webhook_events" USING btree ("received_at","id");--> statement-breakpoint
CREATE INDEX "webhook_events_type_received_idx" ON "webhook_events" USING btree ("event_type","received_at");--> statement-breakpoint
CREATE INDEX "webhook_events_unfinished_received_idx" ON "webhook_events" USING btree ("received_at") WHERE status in ('pending', 'processing', 'failed');