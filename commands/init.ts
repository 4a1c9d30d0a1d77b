import {Args, Flags} from '@oclif/core'
import {SyncCommand} from '../src/cli/base-command.js'
import {initFolder} from '../src/folder/init-folder.js'

export default class Init extends SyncCommand {
  static override summary = 'Make a folder a synced folder (creates DIR/.sync).'
  static override description = `Creates the local chunk store and settings in DIR/.sync (DIR defaults to the current folder; it is
created if it does not exist). Server settings can be given now or later.`

  static override examples = [
    {description: 'Start using the current folder:', command: '<%= config.bin %> init'},
    {description: 'A new folder, named as a device:', command: '<%= config.bin %> init ~/Recipes --device laptop'},
  ]

  static override args = {
    dir: Args.string({description: 'Folder to set up (default: the current folder).', ignoreStdin: true}),
  }

  static override flags = {
    device: Flags.string({summary: 'Name of this device, shown in history and conflict copies (default: the host name).'}),
  }

  async run(): Promise<{root: string; device: string}> {
    const {args, flags} = await this.parse(Init)
    const {root, config} = await initFolder(args.dir ?? this.startDir(flags), {device: flags.device})
    this.log(`initialized sync folder in ${root}`)
    return {root, device: config.device}
  }
}
