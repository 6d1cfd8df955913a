import type { EventsimAuth, EventsimLevel, EventsimPage } from './eventsimPages';

/**
 * The session walk: for each (auth, level) and page, the probability of each next page
 * (with the auth and level that page is shown in). Whatever probability is left over
 * ends the session. Modelled on Eventsim's examples/example-config.json (the file
 * streamify runs), with these changes, all to make two weeks of a few hundred users
 * show every behaviour:
 *  - NextSong -> NextSong is 0.85 for free and 0.9 for paid users (0.5 and 0.925 there);
 *  - Login fails 7% of the time (0.1% there): 5% back to Home still logged out, 2% to Error;
 *  - Settings -> Cancel is 0.03 (0.005 there), so some users churn;
 *  - Upgrade -> Submit Upgrade 0.15 (0.3), Downgrade -> Submit Downgrade 0.15 (0.01), so
 *    the paid share drifts less;
 *  - redirects (307 pages) always lead somewhere: their probabilities sum to 1;
 *  - auth changes ON the Submit Registration / Cancellation Confirmation page itself;
 *    the level, as in Eventsim, changes on the page AFTER Submit Upgrade / Submit
 *    Downgrade, so status_change records carry the OLD level (see createMusicSimulator).
 */
export type Dest = readonly [page: EventsimPage, p: number, auth?: EventsimAuth, level?: EventsimLevel];
export type PageTable = Partial<Record<EventsimPage, readonly Dest[]>>;

const guest: PageTable = {
  About: [['About', 0.05], ['Help', 0.05], ['Home', 0.3], ['Register', 0.1], ['Error', 0.001]],
  Help: [['About', 0.0025], ['Help', 0.1], ['Home', 0.2], ['Register', 0.03], ['Error', 0.001]],
  Home: [['About', 0.1], ['Help', 0.05], ['Home', 0.1], ['Register', 0.3], ['Error', 0.001]],
  Register: [
    ['About', 0.01],
    ['Help', 0.02],
    ['Home', 0.1],
    ['Register', 0.05],
    ['Submit Registration', 0.7, 'Logged In', 'free'],
    ['Error', 0.001],
  ],
  Error: [['About', 0.01], ['Help', 0.05], ['Home', 0.5], ['Error', 0.1]],
};

const loggedInFree: PageTable = {
  About: [['About', 0.05], ['Help', 0.01], ['Home', 0.2], ['Settings', 0.01], ['NextSong', 0.3], ['Logout', 0.01], ['Error', 0.001]],
  Help: [
    ['About', 0.002],
    ['Help', 0.1],
    ['Home', 0.2],
    ['Settings', 0.05],
    ['Upgrade', 0.01],
    ['NextSong', 0.32],
    ['Logout', 0.01],
    ['Error', 0.001],
  ],
  Home: [
    ['About', 0.002],
    ['Help', 0.002],
    ['Home', 0.01],
    ['Settings', 0.02],
    ['Upgrade', 0.01],
    ['NextSong', 0.6],
    ['Logout', 0.01],
    ['Error', 0.001],
  ],
  Settings: [
    ['About', 0.002],
    ['Help', 0.05],
    ['Home', 0.1],
    ['Settings', 0.1],
    ['Upgrade', 0.01],
    ['NextSong', 0.3],
    ['Cancel', 0.03],
    ['Logout', 0.01],
    ['Save Settings', 0.2],
    ['Error', 0.001],
  ],
  'Save Settings': [['Home', 0.85], ['Settings', 0.149], ['Error', 0.001]],
  Upgrade: [
    ['About', 0.002],
    ['Help', 0.006],
    ['Home', 0.1],
    ['Upgrade', 0.07],
    ['NextSong', 0.325],
    ['Logout', 0.01],
    ['Submit Upgrade', 0.15],
    ['Error', 0.001],
  ],
  NextSong: [
    ['About', 0.002],
    ['Help', 0.005],
    ['Home', 0.02],
    ['Settings', 0.006],
    ['Upgrade', 0.005],
    ['NextSong', 0.85],
    ['Logout', 0.01],
    ['Error', 0.001],
  ],
  Cancel: [['Cancellation Confirmation', 1, 'Cancelled']],
  Logout: [['Home', 1, 'Logged Out']],
  'Submit Registration': [['Home', 1]],
  // The level changes on the page after the submit, as in Eventsim.
  'Submit Upgrade': [['Home', 1, 'Logged In', 'paid']],
  Error: [['About', 0.001], ['Help', 0.002], ['Home', 0.1], ['NextSong', 0.3], ['Logout', 0.01], ['Error', 0.01]],
};

const loggedInPaid: PageTable = {
  About: [['About', 0.05], ['Help', 0.01], ['Home', 0.2], ['Settings', 0.01], ['NextSong', 0.4], ['Logout', 0.01], ['Error', 0.001]],
  Downgrade: [
    ['About', 0.002],
    ['Downgrade', 0.07],
    ['Help', 0.006],
    ['Home', 0.1],
    ['NextSong', 0.6],
    ['Logout', 0.01],
    ['Submit Downgrade', 0.15],
    ['Error', 0.001],
  ],
  Help: [
    ['About', 0.002],
    ['Downgrade', 0.01],
    ['Help', 0.05],
    ['Home', 0.1],
    ['Settings', 0.02],
    ['NextSong', 0.75],
    ['Logout', 0.01],
    ['Error', 0.001],
  ],
  Home: [
    ['About', 0.002],
    ['Downgrade', 0.01],
    ['Help', 0.002],
    ['Home', 0.01],
    ['Settings', 0.02],
    ['NextSong', 0.85],
    ['Logout', 0.01],
    ['Error', 0.001],
  ],
  Settings: [
    ['About', 0.002],
    ['Downgrade', 0.01],
    ['Help', 0.05],
    ['Home', 0.05],
    ['Settings', 0.05],
    ['NextSong', 0.55],
    ['Cancel', 0.03],
    ['Logout', 0.01],
    ['Save Settings', 0.2],
    ['Error', 0.001],
  ],
  'Save Settings': [['Home', 0.85], ['Settings', 0.149], ['Error', 0.001]],
  NextSong: [
    ['About', 0.002],
    ['Downgrade', 0.008],
    ['Help', 0.005],
    ['Home', 0.02],
    ['Settings', 0.006],
    ['NextSong', 0.9],
    ['Logout', 0.01],
    ['Error', 0.001],
  ],
  Cancel: [['Cancellation Confirmation', 1, 'Cancelled']],
  Logout: [['Home', 1, 'Logged Out']],
  'Submit Downgrade': [['Home', 1, 'Logged In', 'free']],
  Error: [['About', 0.001], ['Help', 0.01], ['Home', 0.1], ['NextSong', 0.2], ['Logout', 0.01], ['Error', 0.001]],
};

const loggedOut: PageTable = {
  About: [['About', 0.05], ['Help', 0.025], ['Home', 0.3], ['Login', 0.4], ['Error', 0.001]],
  Help: [['About', 0.0025], ['Help', 0.1], ['Home', 0.3], ['Login', 0.5], ['Error', 0.001]],
  Home: [['About', 0.1], ['Help', 0.05], ['Home', 0.1], ['Login', 0.5], ['Error', 0.001]],
  Login: [['Home', 0.93, 'Logged In'], ['Home', 0.05], ['Error', 0.02]],
  Error: [['About', 0.01], ['Help', 0.05], ['Home', 0.5], ['Login', 0.1], ['Error', 0.01]],
};

/** Keyed by `${auth}|${level}`. Cancelled users have no pages after Cancellation Confirmation. */
export const eventsimTransitions: Readonly<Record<string, PageTable>> = {
  'Guest|free': guest,
  'Guest|paid': guest,
  'Logged In|free': loggedInFree,
  'Logged In|paid': loggedInPaid,
  'Logged Out|free': loggedOut,
  'Logged Out|paid': loggedOut,
  'Cancelled|free': {},
  'Cancelled|paid': {},
};

/** First page of a session by (auth, level), as Eventsim's "new-session" weights. */
export const eventsimNewSessionWeights: Readonly<Record<string, ReadonlyArray<readonly [EventsimPage, number]>>> = {
  'Guest|free': [['About', 20], ['Help', 10], ['Home', 100], ['Register', 30], ['Error', 5]],
  'Guest|paid': [['About', 20], ['Help', 10], ['Home', 100], ['Register', 30], ['Error', 5]],
  'Logged In|free': [['About', 5], ['Help', 10], ['Home', 1000], ['NextSong', 1500], ['Error', 1]],
  'Logged In|paid': [['About', 5], ['Help', 5], ['Home', 1000], ['NextSong', 1750], ['Error', 1]],
  'Logged Out|free': [['About', 10], ['Help', 10], ['Home', 1000], ['Login', 500], ['Error', 1]],
  'Logged Out|paid': [['About', 10], ['Help', 10], ['Home', 1000], ['Login', 500], ['Error', 1]],
};
