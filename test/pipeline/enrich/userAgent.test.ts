import { parseUserAgent } from '../../../pipeline/enrich';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const CHROME_MAC = 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const CHROME_LINUX = 'Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';
const GOOGLEBOT = 'Mozilla/5.0 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const GOOGLEBOT_SMARTPHONE =
  'Mozilla/5.0 (Linux; Android 6.0.1; Nexus 5X Build/MMB29P) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.6478.126 Mobile Safari/537.36 (compatible; Googlebot/2.1; +http://www.google.com/bot.html)';
const BINGBOT = 'Mozilla/5.0 (compatible; bingbot/2.0; +http://www.bing.com/bingbot.htm)';

describe('parseUserAgent', () => {
  it("takes an iPhone's device type from the parser: an Apple mobile running iOS and Mobile Safari, used by a person", () => {
    expect(parseUserAgent(IPHONE)).toEqual({
      original: IPHONE,
      agent_class: 'person',
      device_type: 'mobile',
      device_type_source: 'parser',
      device_vendor: 'Apple',
      device_model: 'iPhone',
      os: 'iOS',
      os_version: '17.5',
      browser: 'Mobile Safari',
      browser_version: '17.5',
    });
  });

  it.each([
    [CHROME_WINDOWS, 'Windows'],
    [CHROME_MAC, 'Mac OS'],
    [CHROME_LINUX, 'Linux'],
  ])('derives desktop for Chrome on a desktop OS and says it was derived (%#: %s)', (ua, os) => {
    expect(parseUserAgent(ua)).toMatchObject({ original: ua, agent_class: 'person', device_type: 'desktop', device_type_source: 'derived', browser: 'Chrome', browser_version: '126.0.0.0', os });
  });

  it('leaves vendor and model out where the string names none', () => {
    for (const ua of [CHROME_WINDOWS, CHROME_LINUX]) {
      expect(parseUserAgent(ua)).not.toHaveProperty('device_vendor');
      expect(parseUserAgent(ua)).not.toHaveProperty('device_model');
    }
  });

  it.each([
    ['Googlebot', GOOGLEBOT],
    ['bingbot', BINGBOT],
  ])('recognises %s as a bot with no device type', (_name, ua) => {
    expect(parseUserAgent(ua)).toEqual({ original: ua, agent_class: 'bot' });
  });

  it("calls Googlebot's smartphone crawler a bot, keeping the parser's own device type", () => {
    expect(parseUserAgent(GOOGLEBOT_SMARTPHONE)).toMatchObject({ agent_class: 'bot', device_type: 'mobile', device_type_source: 'parser', os: 'Android' });
  });

  it.each(['curl/8.5.0', 'python-requests/2.31.0', 'Go-http-client/1.1', 'okhttp/4.12.0', 'Wget/1.21.4', 'Java/17.0.2', 'Apache-HttpClient/4.5.14 (Java/17.0.2)'])(
    'recognises %s as a tool with no device type',
    (ua) => {
      expect(parseUserAgent(ua)).toEqual({ original: ua, agent_class: 'tool' });
    },
  );

  it.each(['%%garbage%%', 'curl-ish/0', 'Mozilla/5.0'])('keeps the unrecognisable %j as original only: class unknown, no device type', (ua) => {
    expect(parseUserAgent(ua)).toEqual({ original: ua, agent_class: 'unknown' });
  });

  it('answers the same string the same way when it comes from the cache', () => {
    expect(parseUserAgent(IPHONE)).toBe(parseUserAgent(IPHONE));
  });
});
