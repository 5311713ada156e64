import { createSseDecoder, SseEvent } from './sseDecoder';

const bytes = (text: string) => new TextEncoder().encode(text);

function decode(chunks: Array<string | Uint8Array>) {
  const events: SseEvent[] = [];
  const comments: string[] = [];
  const retries: number[] = [];
  const decoder = createSseDecoder({
    onEvent: e => events.push(e),
    onComment: c => comments.push(c),
    onRetry: r => retries.push(r),
  });
  for (const c of chunks) decoder.push(typeof c === 'string' ? bytes(c) : c);
  return { events, comments, retries, decoder };
}

describe('createSseDecoder', () => {
  it('parses named events with ids and multi-line data', () => {
    const { events } = decode(['id: a:1\nevent: put\ndata: {"x":\ndata: 1}\n\n']);
    expect(events).toEqual([{ event: 'put', data: '{"x":\n1}', id: 'a:1' }]);
  });

  it('gives the same events however the stream is split, for LF, CR and CRLF line ends', () => {
    const stream = 'event: snapshot\r\ndata: one\r\n\r\n: ping\rdata: two\rid: 7\r\rdata:three\n\n';
    const whole = decode([stream]);
    expect(whole.events).toEqual([
      { event: 'snapshot', data: 'one' },
      { event: 'message', data: 'two', id: '7' },
      { event: 'message', data: 'three' },
    ]);
    expect(whole.comments).toEqual(['ping']);
    for (let size = 1; size <= 7; size++) {
      const chunks: string[] = [];
      for (let i = 0; i < stream.length; i += size) chunks.push(stream.slice(i, i + size));
      expect(decode(chunks).events).toEqual(whole.events);
    }
  });

  it('decodes UTF-8 characters split between chunks', () => {
    const encoded = bytes('data: {"reason":"Pod müde ✓"}\n\n');
    const at = encoded.indexOf(0xc3) + 1; // inside the two bytes of ü
    const { events } = decode([encoded.slice(0, at), encoded.slice(at)]);
    expect(events).toEqual([{ event: 'message', data: '{"reason":"Pod müde ✓"}' }]);
  });

  it('ignores ids with NUL', () => {
    const { events } = decode(['id: 5\ndata: b\n\nid: x\u0000y\ndata: c\n\n']);
    expect(events).toEqual([
      { event: 'message', data: 'b', id: '5' },
      { event: 'message', data: 'c' },
    ]);
  });

  it('dispatches nothing for a block without data', () => {
    const { events } = decode(['id: 9\n\n', 'event: put\n\n']);
    expect(events).toEqual([]);
  });

  it('reads retry only when it is a number, and ignores unknown fields', () => {
    const { retries, events } = decode(['retry: 2500\nretry: soon\nfoo: bar\ndata\n\n']);
    expect(retries).toEqual([2500]);
    expect(events).toEqual([{ event: 'message', data: '' }]);
  });

  it('discards an incomplete event when the stream ends', () => {
    const { events, decoder } = decode(['data: half']);
    decoder.end();
    decoder.push(bytes('\n\ndata: next\n\n'));
    expect(events).toEqual([{ event: 'message', data: 'next' }]);
  });
});
