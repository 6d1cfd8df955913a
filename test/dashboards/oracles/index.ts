/*
 * Test oracles for the saved objects in dashboards/: checks of each file against the
 * index template of the chain it shows, and the `_search` body Dashboards would send for
 * a visualization, so tests can run a dashboard's queries without a Dashboards server.
 * Every check returns a list of problems (empty when all is well), each naming the
 * object and what to fix.
 */
export { checkAgentClasses } from './checkAgentClasses';
export { checkReadability } from './checkReadability';
export { checkResponse } from './checkResponse';
export { loadSavedObjects } from './loadSavedObjects';
export { indexFields, mappingFields, type FieldCatalog, type FieldInfo } from './mappingFields';
export { kqlFields, parseKuery, type KqlNode } from './parseKuery';
export { parseVisState, queryingVisualizations, type VisAgg, type VisState } from './parseVisState';
export { aggsFromVisState, toSearchBody, type SearchBodyOptions } from './toSearchBody';
export { kqlToDsl, translateQuery, type QueryInput } from './translateQuery';
export { checkReferences, dashboardCoverage, validateSavedObjects, type IndexTarget } from './validateSavedObjects';
