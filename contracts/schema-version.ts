/**
 * The version of the order events' shape. Kept apart from the event schemas so the workflow can use it
 * without bundling a validation library into every workflow's module graph.
 */
export const SCHEMA_VERSION = 1;
