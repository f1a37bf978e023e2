ALTER TABLE "canonical_events" ADD COLUMN "body" json;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "signing" text DEFAULT 'standard-webhooks' NOT NULL;--> statement-breakpoint
ALTER TABLE "subscriptions" ADD COLUMN "filter" jsonb;--> statement-breakpoint
CREATE INDEX "canonical_events_created_idx" ON "canonical_events" USING btree ("created_at","id");--> statement-breakpoint
CREATE INDEX "deliveries_canonical_event_idx" ON "deliveries" USING btree ("canonical_event_id");