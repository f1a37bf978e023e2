ALTER TABLE "canonical_events" ADD COLUMN "body" json;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "signing" text DEFAULT 'standard-webhooks' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "filter" jsonb;--> statement-breakpoint
CREATE INDEX "canonical_events_created_idx" ON "canonical_events" USING btree ("created_at","id");