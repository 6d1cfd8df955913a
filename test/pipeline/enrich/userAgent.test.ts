import { parseUserAgent } from '../../../pipeline/enrich';

const IPHONE = 'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1';
const CHROME_WINDOWS = 'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0.0.0 Safari/537.36';

describe('parseUserAgent', () => {
  it('recognises an iPhone as an Apple mobile device running iOS and Mobile Safari', () => {
    expect(parseUserAgent(IPHONE)).toEqual({
      original: IPHONE,
      device_type: 'mobile',
      device_vendor: 'Apple',
      device_model: 'iPhone',
      os: 'iOS',
      os_version: '17.5',
      browser: 'Mobile Safari',
      browser_version: '17.5',
    });
  });

  it('calls a Chrome browser on Windows a desktop and leaves vendor and model out', () => {
    const info = parseUserAgent(CHROME_WINDOWS);
    expect(info).toMatchObject({ original: CHROME_WINDOWS, device_type: 'desktop', browser: 'Chrome', browser_version: '126.0.0.0', os: 'Windows', os_version: '10' });
    expect(info).not.toHaveProperty('device_vendor');
    expect(info).not.toHaveProperty('device_model');
  });

  it('answers the same string the same way when it comes from the cache', () => {
    expect(parseUserAgent(IPHONE)).toEqual(parseUserAgent(IPHONE));
  });

  it('keeps an unrecognisable string as original with a desktop default', () => {
    expect(parseUserAgent('curl-ish/0')).toMatchObject({ original: 'curl-ish/0', device_type: 'desktop' });
  });
});
