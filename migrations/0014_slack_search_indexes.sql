CREATE INDEX "clients_name_prefix_idx" ON "clients" USING btree (lower("name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "clients_last_name_prefix_idx" ON "clients" USING btree (lower("last_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "clients_company_name_prefix_idx" ON "clients" USING btree (lower("company_name") text_pattern_ops);--> statement-breakpoint
CREATE INDEX "invoices_client_external_id_idx" ON "invoices" USING btree ("client_external_id");--> statement-breakpoint
CREATE INDEX "jobs_client_external_id_idx" ON "jobs" USING btree ("client_external_id");