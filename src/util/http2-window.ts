/**
 * HTTP/2 flow-control windows, raised on a session only when a large body is coming its way. The protocol's
 * default window (64 KiB) stalls a pack every 64 KiB until a WINDOW_UPDATE comes back (a 700 KB upload took
 * 930 ms instead of 64 ms), but announcing 16 MiB on every connection costs a SETTINGS entry and a WINDOW_UPDATE
 * each way (38 bytes a connection) that a small exchange (a one-line edit by `sync once`) never needs. So each
 * side keeps the defaults and widens its receiving windows the first time a body of more than the default
 * window is announced to it (a request's or an answer's HEADERS): at most one round trip's stall, once per session.
 */
import http2 from 'node:http2'

/** Flow-control window per stream and per connection once widened. */
export const WINDOW_BYTES = 16 * 1024 * 1024

/**
 * Memory a session may hold, in MiB (node's maxSessionMemory, 10 by default): a widened window lets a whole
 * window of a body be queued for sending at once, and over the limit node refuses the peer's next HEADERS
 * (ENHANCE_YOUR_CALM), such as an early answer (413) to the body being sent.
 */
export const SESSION_MEMORY_MB = (2 * WINDOW_BYTES) / (1024 * 1024)

/** The initial window of every HTTP/2 stream and connection (RFC 9113, 6.9.2): a body this large fits without. */
const DEFAULT_WINDOW = 65_535

const {NGHTTP2_FLAG_END_STREAM} = http2.constants

const widened = new WeakSet<http2.Http2Session>()

/**
 * Widens `session`'s receiving windows if the HEADERS just received (`headers`, `flags`) announce a body larger
 * than the default window, or one of unknown length; once per session (the new initial window applies to the
 * streams already open too).
 */
export function widenForBody(session: http2.Http2Session, headers: http2.IncomingHttpHeaders, flags: number): void {
  if (widened.has(session) || session.destroyed || flags & NGHTTP2_FLAG_END_STREAM) return
  const declared = headers['content-length']
  if (declared !== undefined && Number(declared) <= DEFAULT_WINDOW) return
  widened.add(session)
  session.settings({initialWindowSize: WINDOW_BYTES})
  session.setLocalWindowSize(WINDOW_BYTES)
}
