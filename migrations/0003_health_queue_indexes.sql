DROP INDEX "webhook_events_status_idx";--> statement-breakpoint
CREATE INDEX "webhook_events_dead_idx" ON "webhook_events" USING btree ("received_at") WHERE status = 'dead';