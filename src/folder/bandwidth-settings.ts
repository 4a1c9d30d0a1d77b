/** A folder's bandwidth limits: the command's `--limit-up`/`--limit-down` when given, else its config's. */
import {bandwidthLimits, parseRate, type BandwidthLimits} from '../journal/bandwidth.js'
import type {FolderConfig} from './config.js'

export interface RateFlags {
  up?: string
  down?: string
}

export function folderBandwidth(config: FolderConfig, flags: RateFlags = {}): BandwidthLimits {
  const rate = (flag: string | undefined, configured: number | undefined) => (flag === undefined ? configured : parseRate(flag))
  return bandwidthLimits({up: rate(flags.up, config.bandwidth?.up), down: rate(flags.down, config.bandwidth?.down)})
}
