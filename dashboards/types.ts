/** A saved object as Dashboards exports it (one line of an ndjson file). */
export interface SavedObjectReference {
  readonly id: string;
  readonly name: string;
  readonly type: string;
}

export interface SavedObject {
  readonly id: string;
  readonly type: string;
  readonly attributes: Record<string, unknown>;
  readonly references: readonly SavedObjectReference[];
  readonly migrationVersion?: Record<string, string>;
  /** 1-based line of the object in its file, for messages. */
  readonly line?: number;
}
