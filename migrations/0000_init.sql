CREATE TABLE `poll_data` (
	`queue_name` text NOT NULL,
	`domain` text DEFAULT '' NOT NULL,
	`worker_id` text NOT NULL,
	`last_poll_time` integer NOT NULL,
	PRIMARY KEY(`queue_name`, `domain`)
);
--> statement-breakpoint
CREATE TABLE `queue_messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`queue_name` text NOT NULL,
	`workflow_id` text NOT NULL,
	`priority` integer DEFAULT 0 NOT NULL,
	`visible_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `queue_messages_task_id_unique` ON `queue_messages` (`task_id`);--> statement-breakpoint
CREATE INDEX `queue_messages_poll` ON `queue_messages` (`queue_name`,`priority`,`id`);--> statement-breakpoint
CREATE INDEX `queue_messages_visible` ON `queue_messages` (`visible_at`);--> statement-breakpoint
CREATE TABLE `task_defs` (
	`name` text PRIMARY KEY NOT NULL,
	`doc` text NOT NULL,
	`create_time` integer NOT NULL,
	`update_time` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `task_logs` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`log` text NOT NULL,
	`created_time` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `task_logs_task` ON `task_logs` (`task_id`,`id`);--> statement-breakpoint
CREATE TABLE `tasks` (
	`task_id` text PRIMARY KEY NOT NULL,
	`workflow_id` text NOT NULL,
	`seq` integer NOT NULL,
	`doc` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `tasks_workflow` ON `tasks` (`workflow_id`,`seq`);--> statement-breakpoint
CREATE TABLE `workflow_defs` (
	`name` text NOT NULL,
	`version` integer NOT NULL,
	`doc` text NOT NULL,
	`create_time` integer NOT NULL,
	`update_time` integer NOT NULL,
	PRIMARY KEY(`name`, `version`)
);
--> statement-breakpoint
CREATE TABLE `workflows` (
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
	`wake_at` integer,
	`doc` text NOT NULL,
	`definition` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `workflows_name_status` ON `workflows` (`workflow_name`,`status`,`create_time`);--> statement-breakpoint
CREATE INDEX `workflows_correlation` ON `workflows` (`workflow_name`,`correlation_id`);--> statement-breakpoint
CREATE INDEX `workflows_wake_at` ON `workflows` (`wake_at`);