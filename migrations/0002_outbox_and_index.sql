CREATE TABLE `outbox` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`target` text NOT NULL,
	`payload` text NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`next_attempt_at` integer DEFAULT 0 NOT NULL
);
--> statement-breakpoint
CREATE TABLE `workflow_summaries` (
	`workflow_id` text PRIMARY KEY NOT NULL,
	`workflow_name` text NOT NULL,
	`workflow_version` integer NOT NULL,
	`status` text NOT NULL,
	`correlation_id` text,
	`parent_workflow_id` text,
	`create_time` integer NOT NULL,
	`update_time` integer NOT NULL,
	`end_time` integer,
	`rev` integer NOT NULL,
	`summary` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflow_summaries_name_status` ON `workflow_summaries` (`workflow_name`,`status`,`create_time`);--> statement-breakpoint
CREATE INDEX `workflow_summaries_correlation` ON `workflow_summaries` (`workflow_name`,`correlation_id`);