CREATE TABLE "sources" (
	"name" text PRIMARY KEY NOT NULL,
	"verification" jsonb NOT NULL,
	"secrets" text NOT NULL,
	"event_type_path" text,
	"dedupe_header" text,
	"schema" jsonb,
	"enabled" boolean DEFAULT true NOT NULL,
	"description" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
