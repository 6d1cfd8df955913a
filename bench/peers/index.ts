export { Design, peersComparison, type DesignRun, type DesignSummary, type PeersComparison } from './peersComparison';
