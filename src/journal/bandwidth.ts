/**
 * A bandwidth limit on chunk bodies in one direction (`--limit-up`, `--limit-down`, `limit-up`/`limit-down` in
 * the folder's config): a token bucket filled at the rate, holding one second's worth (the burst). Every client
 * of a folder shares its buckets, so the big lane's connection and the other one together keep to the rate.
 */
import type {TokenBucket} from 'limiter'
import {InvalidInputError} from '../errors/index.js'
import {bytesFromText} from '../util/size-text.js'

/** The least rate taken: below it one pack would wait for minutes. */
export const MIN_RATE = 1024

/** Bytes per second from `500k`, `2M`, `1.5m`, `800000` (k = 1024); `off` or `0` is no limit (undefined). */
export function parseRate(text: string): number | undefined {
  const value = text.trim()
  if (value === 'off' || value === '0') return undefined
  const rate = bytesFromText(value.replace(/\/s$/i, ''), 'g')
  if (!(rate >= MIN_RATE) || !Number.isSafeInteger(rate))
    throw new InvalidInputError(`a rate is bytes per second, at least 1k, like 500k or 2M (or off), not ${JSON.stringify(text)}`)
  return rate
}

export class Bandwidth {
  /** Made at the first take: limiter (5 modules) loads only when a limited folder moves bytes, not on every start. */
  private bucket?: Promise<TokenBucket>

  constructor(readonly bytesPerSecond: number) {}

  /** Resolves when `bytes` may move; a count over the burst is taken a burst at a time. */
  async take(bytes: number): Promise<void> {
    const rate = this.bytesPerSecond
    this.bucket ??= import('limiter').then(({TokenBucket}) => new TokenBucket({bucketSize: rate, tokensPerInterval: rate, interval: 'second'}))
    const bucket = await this.bucket
    for (let left = bytes; left > 0; left -= rate) await bucket.removeTokens(Math.min(left, rate))
  }
}

/** The limits of one folder: each direction's bucket, when it has one. */
export interface BandwidthLimits {
  up?: Bandwidth
  down?: Bandwidth
}

export function bandwidthLimits(rates: {up?: number; down?: number}): BandwidthLimits {
  return {...(rates.up ? {up: new Bandwidth(rates.up)} : {}), ...(rates.down ? {down: new Bandwidth(rates.down)} : {})}
}
