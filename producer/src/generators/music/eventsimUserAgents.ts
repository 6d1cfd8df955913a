/**
 * Browser user agents, weighted by share, as Eventsim emits them.
 *
 * Eventsim reads its agents from `data/user agents.txt` (the 2014 "most common user
 * agents" list) and copies the field verbatim, surrounding double quotes included, so
 * every real Eventsim `userAgent` value is wrapped in literal `"` characters (visible
 * as `"\"Mozilla/5.0 ...\""` in its JSON). We reproduce that quirk on purpose: the
 * pipeline must cope with the real thing. The strings themselves are real 2014-era
 * desktop and mobile agents of the kind that list holds.
 */
const AGENTS: ReadonlyArray<readonly [agent: string, weight: number]> = [
  ['Mozilla/5.0 (Windows NT 6.1; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36', 20],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36', 12],
  ['Mozilla/5.0 (Macintosh; Intel Mac OS X 10_9_4) AppleWebKit/537.77.4 (KHTML, like Gecko) Version/7.0.5 Safari/537.77.4', 10],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64; rv:31.0) Gecko/20100101 Firefox/31.0', 9],
  ['Mozilla/5.0 (Windows NT 6.1; WOW64; Trident/7.0; rv:11.0) like Gecko', 7],
  ['Mozilla/5.0 (Windows NT 6.3; WOW64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36', 6],
  ['Mozilla/5.0 (Windows NT 6.1) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.143 Safari/537.36', 6],
  ['Mozilla/5.0 (iPhone; CPU iPhone OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53', 8],
  ['Mozilla/5.0 (iPad; CPU OS 7_1_2 like Mac OS X) AppleWebKit/537.51.2 (KHTML, like Gecko) Version/7.0 Mobile/11D257 Safari/9537.53', 5],
  ['Mozilla/5.0 (Linux; Android 4.4.2; Nexus 5 Build/KOT49H) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/36.0.1985.131 Mobile Safari/537.36', 4],
  ['Mozilla/5.0 (X11; Ubuntu; Linux x86_64; rv:31.0) Gecko/20100101 Firefox/31.0', 3],
];

/** The emitted `userAgent` values (quotes included, see above). */
export const eventsimUserAgents: readonly string[] = AGENTS.map(([agent]) => `"${agent}"`);

/** Running total of the weights of `eventsimUserAgents`, for weighted picks. */
export const eventsimUserAgentCumulative: Float64Array = (() => {
  const out = new Float64Array(AGENTS.length);
  let total = 0;
  AGENTS.forEach(([, weight], i) => {
    total += weight;
    out[i] = total;
  });
  return out;
})();
