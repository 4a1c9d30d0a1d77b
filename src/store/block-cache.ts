/** A small LRU of inflated blocks: reading a file's chunks in order hits the same block again and again. */
export class BlockCache {
  private readonly blocks = new Map<string, Buffer>()
  /** The block used last: asked again (the next chunk of the same file), it is already where the LRU puts it. */
  private newest?: string

  constructor(private readonly capacity: number) {}

  get(key: string): Buffer | undefined {
    const block = this.blocks.get(key)
    if (block && key !== this.newest) {
      this.blocks.delete(key)
      this.blocks.set(key, block)
      this.newest = key
    }
    return block
  }

  set(key: string, block: Buffer): void {
    this.blocks.set(key, block)
    this.newest = key
    if (this.blocks.size > this.capacity) this.blocks.delete(this.blocks.keys().next().value as string)
  }
}
