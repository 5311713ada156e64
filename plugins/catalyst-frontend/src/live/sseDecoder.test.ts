import { SseEvent, SseParser } from './SseParser';

function parse(chunks: string[], initialId = '') {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const parser = new SseParser(
    { onEvent: e => events.push(e), onComment: c => comments.push(c), onRetry: r => retries.push(r) },
    initialId,
  );
  for (const c of chunks) parser.push(c);
  return { events, comments, retries, lastEventId: parser.getLastEventId() };
}

describe('SseParser', () => {
  it('parses named events with ids and multi-line data', () => {
    const { events, lastEventId } = parse(['id: a:1\nevent: put\ndata: {"x":\ndata: 1}\n\n']);
    expect(events).toEqual([{ event: 'put', data: '{"x":\n1}', lastEventId: 'a:1' }]);
    expect(lastEventId).toBe('a:1');
  });

  it('gives the same events however the stream is split, for LF, CR and CRLF line ends', () => {
    const stream = 'event: snapshot\r\ndata: one\r\n\r\n: ping\rdata: two\rid: 7\r\rdata:three\n\n';
    const whole = parse([stream]);
    expect(whole.events).toEqual([
      { event: 'snapshot', data: 'one', lastEventId: '' },
      { event: 'message', data: 'two', lastEventId: '7' },
      { event: 'message', data: 'three', lastEventId: '7' },
    ]);
    expect(whole.comments).toEqual(['ping']);
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.slice(i, i + size));
      expect(parse(chunks).events).toEqual(whole.events);
    }
  });

  it('keeps the last id across events, ignores ids with NUL, and keeps the initial id until a new one', () => {
    const { events } = parse(['data: a\n\nid: 5\ndata: b\n\nid: x\u0000y\ndata: c\n\n'], 'resume-3');
    expect(events.map(e => e.lastEventId)).toEqual(['resume-3', '5', '5']);
  });

  it('updates the id from a block without data but dispatches nothing for it', () => {
    const { events, lastEventId } = parse(['id: 9\n\n', 'event: put\n\n']);
    expect(events).toEqual([]);
    expect(lastEventId).toBe('9');
  });

  it('reads retry only when it is a number, and ignores unknown fields', () => {
    const { retries, events } = parse(['retry: 2500\nretry: soon\nfoo: bar\ndata\n\n']);
    expect(retries).toEqual([2500]);
    expect(events).toEqual([{ event: 'message', data: '', lastEventId: '' }]);
  });

  it('discards an incomplete event when the stream ends', () => {
    const events: SseEvent[] = [];
    const parser = new SseParser({ onEvent: e => events.push(e) });
    parser.push('data: half');
    parser.end();
    parser.push('\n\ndata: next\n\n');
    expect(events).toEqual([{ event: 'message', data: 'next', lastEventId: '' }]);
  });
});
