export interface IndexSpec {
  /** Alias the indexer writes to and the dashboard's index pattern reads. */
  readonly alias: string;
  /** Concrete index created behind the alias on first start. */
  readonly initialIndex: string;
  readonly templateName: string;
  /** Body for PUT _index_template/<templateName>. */
  readonly template: Readonly<Record<string, unknown>>;
  readonly timeField: string;
}
