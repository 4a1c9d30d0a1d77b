/**
 * What every `sync` command shares: `-C DIR`, `--json`, and the mapping of typed errors to a one-line
 * message on stderr (or a JSON error on stdout with --json) and a documented exit code.
 */
import {Command, Flags, type Interfaces} from '@oclif/core'
import {SyncFolder} from '#src/folder/sync-folder.js'
import {EXIT, exitCodeFor} from '#src/errors/index.js'
import {asSyncError} from './as-sync-error.js'

export type BaseFlags<T extends typeof Command> = Interfaces.InferredFlags<(typeof SyncCommand)['baseFlags'] & T['flags']>

export abstract class SyncCommand extends Command {
  static override enableJsonFlag = true
  static override baseFlags = {
    dir: Flags.string({char: 'C', summary: 'Run as if sync was started in DIR.', helpValue: 'DIR', helpGroup: 'GLOBAL'}),
  }

  /** The folder that `-C` names, or the current one. */
  protected startDir(flags: {dir?: string}): string {
    return flags.dir ?? process.cwd()
  }

  /** Opens the synced folder holding the start dir, runs `work`, and always closes it. */
  protected async withFolder<T>(flags: {dir?: string}, work: (folder: SyncFolder) => Promise<T>): Promise<T> {
    const folder = await SyncFolder.open(this.startDir(flags))
    try {
      return await work(folder)
    } finally {
      await folder.close()
    }
  }

  protected override async catch(error: Error & {exitCode?: number}): Promise<unknown> {
    const typed = asSyncError(error)
    if (typed) {
      process.exitCode = exitCodeFor(typed.code)
      if (this.jsonEnabled()) this.logJson({error: typed.toJSON()})
      else process.stderr.write(`error: ${typed.message}\n`)
      return undefined
    }
    // oclif's own errors (unknown flag, missing argument) already carry a message and exit code 2.
    if ('oclif' in error) return super.catch(error)
    process.exitCode = EXIT.failure
    if (this.jsonEnabled()) this.logJson({error: {code: 'E_UNEXPECTED', message: error.message}})
    else process.stderr.write(`error: unexpected: ${error.message} (NODE_DEBUG=sync-* shows more)\n`)
    // The same switch as the library's debug logs (src/util/logger.ts), not a second one.
    if (/\bsync-/.test(process.env.NODE_DEBUG ?? '')) process.stderr.write(`${error.stack}\n`)
    return undefined
  }
}
