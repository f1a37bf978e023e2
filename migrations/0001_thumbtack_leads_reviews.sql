CREATE TABLE "leads" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "leads_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"customer_id" text,
	"customer_name" text,
	"customer_phone" text,
	"business_id" text,
	"business_name" text,
	"request_id" text,
	"category" text,
	"category_id" text,
	"description" text,
	"location" jsonb,
	"details" jsonb,
	"proposed_times" jsonb,
	"estimate" jsonb,
	"lead_price" text,
	"status" text,
	"charge_state" text,
	"lead_created_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "reviews" (
	"id" bigint PRIMARY KEY GENERATED ALWAYS AS IDENTITY (sequence name "reviews_id_seq" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1),
	"provider" text NOT NULL,
	"external_id" text NOT NULL,
	"business_id" text,
	"negotiation_id" text,
	"rating" double precision,
	"reviewer_name" text,
	"text" text,
	"reviewed_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX "leads_provider_external_id_uq" ON "leads" USING btree ("provider","external_id");--> statement-breakpoint
CREATE INDEX "leads_business_idx" ON "leads" USING btree ("provider","business_id");--> statement-breakpoint
CREATE UNIQUE INDEX "reviews_provider_external_id_uq" ON "reviews" USING btree ("provider","external_id");