import { describe, expect, it } from 'vitest';
import { verifySlackRequest } from '../../../src/slack/verify';

// Slack's own published example (api.slack.com, "Verifying requests from Slack").
const secret = '8f742231b10e8888abcd99yyyzzz85a5';
const timestamp = '1531420618';
const body =
  'token=xyzz0WbapA4vBCDEFasx0q6G&team_id=T1DC2JH3J&team_domain=testteamnow&channel_id=G8PSS9T3V&channel_name=foobar&user_id=U2CERLKJA&user_name=roadrunner&command=%2Fwebhook-collect&text=&response_url=https%3A%2F%2Fhooks.slack.com%2Fcommands%2FT1DC2JH3J%2F397700885554%2F96rGlfmibIGlgcZRskXaIFfN&trigger_id=398738663015.47445629121.803a0bc887a14d10d2c447fce8b6703c';
const signature = 'v0=a2114d57b48eac39b9ad189dd8316235a7b4a8d21a10bd27519666489c69b503';
const at = Number(timestamp) + 10;

describe('Slack request signing', () => {
  it("accepts Slack's published example", () => {
    expect(verifySlackRequest({ signingSecret: secret, timestamp, signature, rawBody: body, nowSeconds: at })).toEqual({ ok: true });
  });

  it('refuses a body changed by one byte', () => {
    const changed = body.replace('roadrunner', 'roadrunnes');
    expect(verifySlackRequest({ signingSecret: secret, timestamp, signature, rawBody: changed, nowSeconds: at }).ok).toBe(false);
  });

  it('refuses a timestamp six minutes old', () => {
    const r = verifySlackRequest({ signingSecret: secret, timestamp, signature, rawBody: body, nowSeconds: Number(timestamp) + 6 * 60 });
    expect(r).toEqual({ ok: false, reason: 'request too old' });
  });

  it('refuses missing headers, a wrong secret and a malformed signature', () => {
    expect(verifySlackRequest({ signingSecret: secret, timestamp: null, signature, rawBody: body, nowSeconds: at }).ok).toBe(false);
    expect(verifySlackRequest({ signingSecret: 'other', timestamp, signature, rawBody: body, nowSeconds: at }).ok).toBe(false);
    expect(verifySlackRequest({ signingSecret: secret, timestamp, signature: 'v0=zz', rawBody: body, nowSeconds: at }).ok).toBe(false);
    expect(verifySlackRequest({ signingSecret: secret, timestamp: '12ab', signature, rawBody: body, nowSeconds: at }).ok).toBe(false);
  });
});
