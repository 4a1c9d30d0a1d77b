/** `--limit-up` and `--limit-down`, shared by `sync once` and `sync daemon`. */
import {Flags} from '@oclif/core'

export const rateFlags = {
  'limit-up': Flags.string({
    summary: "Most bytes per second of chunks to send, like 500k or 2M (k = 1024), or off; default: the folder's limit-up (sync config set).",
  }),
  'limit-down': Flags.string({
    summary: "Most bytes per second of chunks to receive, like 500k or 2M, or off; default: the folder's limit-down.",
  }),
}

export const ratesOf = (flags: {'limit-up'?: string; 'limit-down'?: string}) => ({up: flags['limit-up'], down: flags['limit-down']})
