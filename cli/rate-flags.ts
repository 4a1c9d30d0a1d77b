/** `--limit-up` and `--limit-down`, shared by `sync once` and `sync daemon`. */
import {Flags} from '@oclif/core'
import {parseRate} from '#src/journal/bandwidth.js'
import type {RateFlags} from '#src/folder/bandwidth-settings.js'

export const rateFlags = {
  'limit-up': Flags.string({
    summary: "Most bytes per second of chunks to send, like 500k or 2M (k = 1024), or off; default: the folder's limit-up (sync config set).",
  }),
  'limit-down': Flags.string({
    summary: "Most bytes per second of chunks to receive, like 500k or 2M, or off; default: the folder's limit-down.",
  }),
}

/** The flags' rates, checked now: a bad one is refused even when nothing would read it (a folder in sync, a pass handed to the daemon). */
export function ratesOf(flags: {'limit-up'?: string; 'limit-down'?: string}): RateFlags {
  const rates = {up: flags['limit-up'], down: flags['limit-down']}
  for (const rate of Object.values(rates)) if (rate !== undefined) parseRate(rate)
  return rates
}
