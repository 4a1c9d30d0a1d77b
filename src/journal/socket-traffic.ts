/** Bytes a transport's sockets sent and received, the closed ones' and the open ones' so far. */
import type {Socket} from 'node:net'

export class SocketTraffic {
  private readonly open = new Set<Socket>()
  private readonly closed = {sent: 0, received: 0}

  /** Counts `socket` from now on (again is harmless). */
  track(socket: Socket): void {
    if (this.open.has(socket)) return
    this.open.add(socket)
    socket.once('close', () => {
      this.open.delete(socket)
      this.closed.sent += socket.bytesWritten
      this.closed.received += socket.bytesRead
    })
  }

  total(): {sent: number; received: number} {
    let {sent, received} = this.closed
    for (const socket of this.open) {
      sent += socket.bytesWritten
      received += socket.bytesRead
    }
    return {sent, received}
  }
}
