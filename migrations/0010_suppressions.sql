CREATE TABLE "suppressions" (
	"channel" text NOT NULL,
	"address" text NOT NULL,
	"suppressed" boolean NOT NULL,
	"reason" text,
	"provider" text NOT NULL,
	"since" timestamp with time zone,
	"lifted_at" timestamp with time zone,
	"state_at" timestamp with time zone NOT NULL,
	"event_id" uuid,
	"detail" text,
	"announced" boolean DEFAULT false NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "suppressions_pk" PRIMARY KEY("channel","address")
);
--> statement-breakpoint
CREATE INDEX "suppressions_suppressed_since_idx" ON "suppressions" USING btree ("since","channel","address") WHERE suppressed;--> statement-breakpoint
CREATE INDEX "suppressions_state_at_idx" ON "suppressions" USING btree ("state_at","channel","address");