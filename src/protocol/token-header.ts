/**
 * The token as an HTTP/2 header that HPACK may index (docs/security.md, "The token on the wire"). nghttp2 never
 * indexes `authorization` (RFC 7541 7.1.3's advice for short secrets), so the bearer token's ~45 bytes went in
 * full with every request of a connection. A server that reads the token from `sync-token` says so in its
 * SETTINGS (the setting below = 1); once a client has seen that, it names the token there: HPACK sends it once
 * per connection, then as a one-byte reference. An HTTP/2 intermediary answers the SETTINGS exchange itself and
 * does not pass the server's on, so a client behind one never sees the setting and keeps `authorization`.
 */

/** The request header that carries the token itself (no `Bearer `), over HTTP/2 only. */
export const TOKEN_HEADER = 'sync-token'

/** The SETTINGS identifier by which a server says it reads TOKEN_HEADER (from the range RFC 9113 leaves to experiments). */
export const TOKEN_HEADER_SETTING = 0xf51c

/** SETTINGS with node's `customSettings` (node >= 20.12; @types/node 20 does not list it). */
interface SettingsWithCustom {
  customSettings?: Record<number, number>
}

/** The server's SETTINGS that announce it reads TOKEN_HEADER. */
export const TOKEN_HEADER_SETTINGS: SettingsWithCustom = {customSettings: {[TOKEN_HEADER_SETTING]: 1}}

/** Whether a peer's SETTINGS (node's `remoteSettings`, given `remoteCustomSettings`) announce TOKEN_HEADER. */
export function announcesTokenHeader(settings: object): boolean {
  return (settings as SettingsWithCustom).customSettings?.[TOKEN_HEADER_SETTING] === 1
}
