/**
 * The `sync-server` command: serve (the default), `token` (make, list or revoke tokens: cli/token.ts), `namespace`
 * (retention settings: cli/namespace.ts), `gc` (retention and garbage collection: cli/gc.ts), `fsck` (check the
 * data folder), `backup` (an online copy: cli/backup.ts), `migrate` (a PostgreSQL database's schema: cli/migrate.ts). Flags by node:util parseArgs; serving flags also from
 * SYNC_SERVER_DB, SYNC_SERVER_BLOBS, SYNC_SERVER_DATA, SYNC_SERVER_HOST, SYNC_SERVER_PORT, SYNC_SERVER_TLS_CERT, SYNC_SERVER_TLS_KEY, SYNC_SERVER_GC_EVERY, SYNC_SERVER_LATEST_CLIENT. Exit codes are the registry's (src/errors/registry.ts), as for the sync CLI: 0 ok, 1 failure (a
 * missing data folder for fsck, token list or revoke too; a token name taken), 2 bad usage, 3 the data folder is
 * being served by another sync-server, 6 fsck found damage, 16 no space left, 17 a data folder of a newer format.
 */
import {parseArgs} from 'node:util'
import semver from 'semver'
import {EXIT, exitCodeFor, isSyncError} from '#src/errors/index.js'
import {describeProtocols} from './http/client-protocol.js'
import {SERVER_VERSION} from './version.js'
import {parseDuration} from './cli/duration.js'
import {USAGE} from './cli/usage.js'
import {STORAGE_FLAGS, withDataFolder} from './cli/with-data-folder.js'

class UsageError extends Error {}

/**
 * The admin verbs, each loaded when named: a verb's modules (the HTTP app, backup, migrations) are not imported by
 * the others, so `sync-server token` starts in a fraction of a serving start.
 */
const VERBS: Record<string, (args: string[]) => Promise<number>> = {
  token: async (args) => (await import('./cli/token.js')).runToken(args),
  fsck: runFsck,
  gc: async (args) => (await import('./cli/gc.js')).runGcVerb(args),
  namespace: async (args) => (await import('./cli/namespace.js')).runNamespace(args),
  backup: async (args) => (await import('./cli/backup.js')).runBackup(args),
  migrate: async (args) => (await import('./cli/migrate.js')).runMigrate(args),
}

const DEFAULTS = {data: 'sync-data', host: '127.0.0.1', port: '7140'}

function parsePort(text: string): number {
  if (!/^\d{1,5}$/.test(text) || Number(text) > 65535) throw new UsageError(`invalid port '${text}': expected 0-65535`)
  return Number(text)
}

async function runServe(args: string[]): Promise<number> {
  const {values} = parseArgs({
    args,
    options: {
      ...STORAGE_FLAGS,
      host: {type: 'string'},
      port: {type: 'string'},
      'gc-every': {type: 'string'},
      'gc-grace': {type: 'string'},
      'tls-cert': {type: 'string'},
      'tls-key': {type: 'string'},
      'latest-client': {type: 'string'},
      help: {type: 'boolean', short: 'h'},
    },
  })
  if (values.help) return help('serve')
  const latestClient = values['latest-client'] ?? process.env.SYNC_SERVER_LATEST_CLIENT
  if (latestClient !== undefined && !semver.valid(latestClient))
    throw new UsageError(`invalid --latest-client '${latestClient}': expected a version such as 1.2.3`)
  const env = process.env
  const gcEvery = values['gc-every'] ?? env.SYNC_SERVER_GC_EVERY
  const cert = values['tls-cert'] ?? env.SYNC_SERVER_TLS_CERT
  const key = values['tls-key'] ?? env.SYNC_SERVER_TLS_KEY
  if ((cert === undefined) !== (key === undefined)) throw new UsageError('--tls-cert and --tls-key go together')
  const db = values.db ?? env.SYNC_SERVER_DB
  const {serve} = await import('./cli/serve.js')
  return serve({
    ...(cert !== undefined && key !== undefined ? {tls: {cert, key}} : {}),
    ...(db === undefined ? {} : {db, blobs: values.blobs}),
    data: values.data ?? env.SYNC_SERVER_DATA ?? DEFAULTS.data,
    host: values.host ?? env.SYNC_SERVER_HOST ?? DEFAULTS.host,
    port: parsePort(values.port ?? env.SYNC_SERVER_PORT ?? DEFAULTS.port),
    ...(gcEvery === undefined ? {} : {gcEveryMs: parseDuration('--gc-every', gcEvery)}),
    ...(values['gc-grace'] === undefined ? {} : {gcGraceMs: parseDuration('--gc-grace', values['gc-grace'])}),
    ...(latestClient === undefined ? {} : {latestClient}),
  })
}

async function runFsck(args: string[]): Promise<number> {
  const {values} = parseArgs({args, options: {...STORAGE_FLAGS, json: {type: 'boolean'}, help: {type: 'boolean', short: 'h'}}})
  if (values.help) return help('fsck')
  if ((values.data ?? values.db ?? process.env.SYNC_SERVER_DATA ?? process.env.SYNC_SERVER_DB) === undefined)
    throw new UsageError('fsck needs --data DIR or --db URL')
  const {fsckServer} = await import('./fsck.js')
  return withDataFolder('fsck', values, false, async (storage) => {
    const checks = await fsckServer(storage)
    const bad = checks.some((check) => check.damaged.length > 0 || check.incomplete.length > 0)
    if (values.json) process.stdout.write(`${JSON.stringify({namespaces: checks, ok: !bad}, null, 2)}\n`)
    else {
      for (const check of checks) {
        for (const damage of check.damaged) process.stdout.write(`${check.namespace}: damaged ${damage.id} in pack ${damage.pack}: ${damage.reason}\n`)
        for (const head of check.incomplete)
          process.stdout.write(
            head.reason
              ? `${check.namespace}: ${head.path} (JID ${head.jid}) has a broken tree: ${head.reason}\n`
              : `${check.namespace}: ${head.path} (JID ${head.jid}) lacks ${head.missing.length} chunks: ${head.missing.slice(0, 3).join(' ')}\n`,
          )
        process.stdout.write(
          `${check.namespace}: ${check.chunks} chunks in ${check.blocks} blocks in ${check.packs} packs, ${check.damaged.length} damaged; ${check.heads} files, ${check.incomplete.length} incomplete\n`,
        )
      }
    }
    return bad ? 6 : 0
  })
}

function help(verb: keyof typeof USAGE): number {
  process.stdout.write(USAGE[verb])
  return 0
}

export async function main(argv: string[]): Promise<number> {
  const [verb, ...rest] = argv
  try {
    if (verb !== undefined && Object.hasOwn(VERBS, verb)) return await VERBS[verb]!(rest)
    if (verb === 'help') return help('serve')
    if (verb === '--version' || verb === '-v') {
      process.stdout.write(`sync-server ${SERVER_VERSION} (${describeProtocols()})\n`)
      return EXIT.ok
    }
    if (verb !== undefined && !verb.startsWith('-'))
      throw new UsageError(`unknown verb '${verb}'; verbs: token, namespace, gc, fsck, backup, migrate (sync-server --help)`)
    return await runServe(argv)
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code
    if (error instanceof UsageError || code?.startsWith('ERR_PARSE_ARGS')) {
      process.stderr.write(`error: ${(error as Error).message}\n`)
      return EXIT.usage
    }
    if (isSyncError(error)) {
      process.stderr.write(`error: ${error.message}\n`)
      return exitCodeFor(error.code)
    }
    if (code === 'EADDRINUSE' || code === 'EACCES' || code === 'EADDRNOTAVAIL' || code === 'ENOTFOUND') {
      process.stderr.write(`error: cannot listen: ${(error as Error).message}\n`)
      return 1
    }
    throw error
  }
}
