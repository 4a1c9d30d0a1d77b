import {Args} from '@oclif/core'
import {SyncCommand} from '../../cli/base-command.js'
import {readConfig} from '#src/folder/config.js'
import {CONFIG_KEYS, configKey, configValues, type ConfigValues} from '#src/folder/config-keys.js'
import {findRoot} from '#src/folder/find-root.js'
import {folderLayout} from '#src/folder/layout.js'
import {prose} from '../../cli/prose.js'

export default class ConfigGet extends SyncCommand {
  static override summary = "Show the folder's settings: server, namespace, token (masked), device, delete guard."
  static override description = prose(`Reads .sync/config.json; changes nothing. The token is never shown whole: its first four characters, enough to
tell two apart. The delete guard's thresholds show their defaults when unset. SYNC_SERVER, SYNC_NAMESPACE and
SYNC_TOKEN, when set, override the server settings for every network command. Settings: ${CONFIG_KEYS.join(', ')}.`)

  static override examples = [
    {description: 'Every setting, one "key=value" a line:', command: '<%= config.bin %> config get'},
    {description: 'One setting, its value alone:', command: '<%= config.bin %> config get server'},
    {description: 'As JSON, for a script:', command: '<%= config.bin %> config get --json'},
  ]

  static override args = {
    key: Args.string({description: `The setting: ${CONFIG_KEYS.join(', ')}.`, ignoreStdin: true}),
  }

  async run(): Promise<ConfigValues> {
    const {args, flags} = await this.parse(ConfigGet)
    const key = args.key === undefined ? undefined : configKey(args.key)
    const values = configValues(await readConfig(folderLayout(await findRoot(this.startDir(flags))).config))
    if (key !== undefined) {
      if (values[key] !== undefined) this.log(String(values[key]))
      return {[key]: values[key]}
    }
    for (const [name, value] of Object.entries(values)) this.log(`${name}=${value}`)
    return values
  }
}
