CREATE INDEX "webhook_events_waiting_idx" ON "webhook_events" USING btree ("available_at") WHERE status in ('pending', 'failed');--> statement-breakpoint
CREATE INDEX "webhook_events_leased_idx" ON "webhook_events" USING btree ("available_at") WHERE status = 'processing';--> statement-breakpoint
DROP INDEX "webhook_events_due_idx";
