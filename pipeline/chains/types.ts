import type { ChainAnalytics } from '../analytics';
import type { ChainProcessing, EventWindow } from '../core';
import type { IpMode } from '../enrich';
import type { IndexSpec } from '../opensearch';
import type { ProfileLookup } from './profiles/profileTable';

export const ChainName = { LOGIN: 'login', MUSIC: 'music', INTERACTIONS: 'interactions', PROFILES: 'profiles' } as const;
export type ChainName = (typeof ChainName)[keyof typeof ChainName];

export interface ChainTopics {
  /** Raw topics the processor consumes. */
  readonly inputs: readonly string[];
  /** Enriched records, consumed by the indexer. */
  readonly output: string;
  /** Everything either stage could not handle, with the reason in headers. */
  readonly deadLetter: string;
  /** Topic configuration of the output topic beyond the defaults, e.g. compaction. */
  readonly outputConfig?: Readonly<Record<string, string>>;
}

/**
 * One facet of a chain: what one service needs of it, in a registry of its own, so a
 * service loads only the facets it uses. Every facet names its chain.
 */
export interface Facet {
  readonly name: ChainName;
}

/** Topic creation's facet, and the part of every other facet that routes records. */
export interface TopicsFacet extends Facet {
  readonly topics: ChainTopics;
}

/** What enrichment may depend on besides the record; fixed per process, `nowMs` per batch. */
export interface ProcessingContext extends EventWindow {
  readonly ipMode: IpMode;
  readonly ipHashSecret: string | undefined;
  readonly currentAppVersion: string;
  /** The latest profile per user, when the processor joins logins with profiles. */
  readonly profiles?: ProfileLookup | undefined;
}

/** The processor's facet: the topics it reads and writes, and how a record becomes a document. */
export interface ProcessingFacet<Raw = any, Doc extends object = object> extends TopicsFacet, ChainProcessing<Raw, Doc, ProcessingContext> {
  readonly name: ChainName;
}

/** The indexer's (and admin's) facet: which output topic fills which index. */
export interface IndexFacet extends TopicsFacet {
  readonly index: IndexSpec;
}

/** An index the indexer fills from one topic, named after a chain or after what it holds (alerts). */
export interface OutputIndexFacet {
  readonly name: string;
  readonly topics: ChainTopics;
  readonly index: IndexSpec;
}

/** The analytics stage's facet: which windows, dimensions and alert rules the chain has. */
export interface AnalyticsFacet extends TopicsFacet {
  readonly analytics: ChainAnalytics;
}
