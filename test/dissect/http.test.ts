import { describe, expect, it } from 'vitest';
import { dissectHttp, httpInfoLine, httpMessages, looksLikeHttp } from '../../src/dissect/http.js';

const B = (s: string): Buffer => Buffer.from(s, 'latin1');

describe('HTTP/1.x', () => {
  it('request line and headers', () => {
    const b = B('GET /index.html HTTP/1.1\r\nHost: example.com\r\nUser-Agent: curl/8.0\r\nAccept: */*\r\n\r\n');
    expect(looksLikeHttp(b, 0, b.length)).toBe(true);
    const h = dissectHttp(b, 0, b.length)!;
    expect(h).toMatchObject({ kind: 'request', method: 'GET', uri: '/index.html', version: 'HTTP/1.1', host: 'example.com', userAgent: 'curl/8.0', complete: true, headerLen: b.length });
    expect(httpInfoLine(h)).toBe('GET /index.html HTTP/1.1');
    expect(h.headers[0]).toMatchObject({ name: 'Host', off: 26 });
  });

  it('status line, Content-Type, Content-Length', () => {
    const b = B('HTTP/1.1 404 Not Found\r\nContent-Type: text/html; charset=utf-8\r\nContent-Length: 5\r\n\r\nhello');
    const h = dissectHttp(b, 0, b.length)!;
    expect(h).toMatchObject({ kind: 'response', status: 404, reason: 'Not Found', contentType: 'text/html; charset=utf-8', contentLength: 5 });
    expect(httpInfoLine(h)).toBe('HTTP/1.1 404 Not Found  (text/html)');
  });

  it('HTTP on any port is found by its bytes, not other text', () => {
    expect(looksLikeHttp(B('POST /x HTTP/1.0\r\n'), 0, 17)).toBe(true);
    expect(looksLikeHttp(B('GETX / HTTP/1.1'), 0, 15)).toBe(false);
    expect(looksLikeHttp(B('hello world'), 0, 11)).toBe(false);
  });

  it('a head that spans segments is incomplete, then complete on the reassembled bytes', () => {
    const full = B('GET /a HTTP/1.1\r\nHost: h.example\r\nUser-Agent: x\r\n\r\n');
    const part = dissectHttp(full, 0, 20)!;
    expect(part.complete).toBe(false);
    expect(httpInfoLine(part)).toMatch(/continues/);
    expect(dissectHttp(full, 0, full.length)!.host).toBe('h.example');
  });

  it('walks pipelined messages over bodies (length and chunked)', () => {
    const s = B(
      'HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc' +
      'HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nxyz\r\n0\r\n\r\n' +
      'HTTP/1.1 304 Not Modified\r\n\r\n',
    );
    expect(httpMessages(s).map((m) => m.status)).toEqual([200, 200, 304]);
  });

  it('overflowing Content-Length and chunk sizes are errors, not numbers', () => {
    const b = B('HTTP/1.1 200 OK\r\nContent-Length: 99999999999999999999999\r\n\r\n');
    const h = dissectHttp(b, 0, b.length)!;
    expect(h.contentLength).toBeUndefined();
    expect(h.error).toBe('bad Content-Length');
    const c = B('HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nffffffffffffffffffffffff\r\nabc');
    expect(httpMessages(c)).toHaveLength(1);
    const neg = B('HTTP/1.1 200 OK\r\nContent-Length: -5\r\n\r\n');
    expect(dissectHttp(neg, 0, neg.length)!.contentLength).toBeUndefined();
  });

  it('escape sequences in headers stay data; the info line is escaped', () => {
    const b = B('GET /\x1b]0;pwned\x07 HTTP/1.1\r\nHost: \x1b[31mred\r\n\r\n');
    const h = dissectHttp(b, 0, b.length)!;
    expect(h.host).toBe('\x1b[31mred');
    expect(httpInfoLine(h)).not.toMatch(/[\x00-\x1f\x7f]/);
  });
});

describe('bodyComplete', () => {
  it('marks a body cut off by the end of the stream', () => {
    const s = Buffer.from('HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc', 'latin1');
    expect(httpMessages(s).map((m) => m.bodyComplete)).toEqual([true, false]);
  });
});
