/** The 17 pages of Eventsim's music site and the HTTP method and status each is logged with. */
export const eventsimPages = [
  'About',
  'Cancel',
  'Cancellation Confirmation',
  'Downgrade',
  'Error',
  'Help',
  'Home',
  'Login',
  'Logout',
  'NextSong',
  'Register',
  'Save Settings',
  'Settings',
  'Submit Downgrade',
  'Submit Registration',
  'Submit Upgrade',
  'Upgrade',
] as const;

export type EventsimPage = (typeof eventsimPages)[number];
export type EventsimAuth = 'Guest' | 'Logged In' | 'Logged Out' | 'Cancelled';
export type EventsimLevel = 'free' | 'paid';

/**
 * As in Eventsim's example-config.json: form posts and sign-in/out are `PUT` answered by a
 * `307` redirect, `NextSong` is a `PUT` with `200`, `Error` is a `GET` with `404`, and every
 * other page is a `GET` with `200`.
 */
export function eventsimPageHttp(page: EventsimPage): { method: 'GET' | 'PUT'; status: 200 | 307 | 404 } {
  switch (page) {
    case 'Cancel':
    case 'Login':
    case 'Logout':
    case 'Save Settings':
    case 'Submit Downgrade':
    case 'Submit Registration':
    case 'Submit Upgrade':
      return { method: 'PUT', status: 307 };
    case 'NextSong':
      return { method: 'PUT', status: 200 };
    case 'Error':
      return { method: 'GET', status: 404 };
    default:
      return { method: 'GET', status: 200 };
  }
}
