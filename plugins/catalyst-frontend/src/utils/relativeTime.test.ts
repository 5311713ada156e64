import { displayActor, relativeTime } from './relativeTime';

const now = Date.parse('2026-11-23T12:00:00Z');

describe('relativeTime', () => {
  it.each([
    ['2026-11-23T11:59:30Z', 'just now'],
    ['2026-11-23T11:59:00Z', '1 minute ago'],
    ['2026-11-23T11:15:00Z', '45 minutes ago'],
    ['2026-11-23T10:00:00Z', '2 hours ago'],
    ['2026-11-22T12:00:00Z', '1 day ago'],
    ['2026-10-01T12:00:00Z', '2026-10-01'],
    ['not a time', 'not a time'],
  ])('%s is %s', (iso, expected) => expect(relativeTime(iso, now)).toBe(expected));
});

describe('displayActor', () => {
  it.each([
    ['user:default/layla', 'layla'],
    ['user:acme/ahmed', 'ahmed'],
    ['Catalyst seed', 'Catalyst seed'],
    [null, undefined],
  ])('%s → %s', (actor, expected) => expect(displayActor(actor)).toBe(expected));
});
