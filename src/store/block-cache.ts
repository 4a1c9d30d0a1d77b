/** A small LRU of inflated blocks: reading a file's chunks in order hits the same block again and again. */
export class BlockCache {
  private readonly blocks = new Map<string, Buffer>()

  constructor(private readonly capacity: number) {}

  get(key: string): Buffer | undefined {
    const block = this.blocks.get(key)
    if (block) {
      this.blocks.delete(key)
      this.blocks.set(key, block)
    }
    return block
  }

  set(key: string, block: Buffer): void {
    this.blocks.set(key, block)
    if (this.blocks.size > this.capacity) this.blocks.delete(this.blocks.keys().next().value as string)
  }
}
