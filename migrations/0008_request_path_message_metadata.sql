ALTER TABLE "webhook_events" ADD COLUMN "request_path" text;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "metadata" jsonb;