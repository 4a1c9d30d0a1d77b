/** Whether an IP address is this machine's loopback (127.0.0.0/8, ::1): traffic to it never leaves the machine. */
import {isIP} from 'node:net'

const LOOPBACK_V4 = /^127\.\d{1,3}\.\d{1,3}\.\d{1,3}$/

export function isLoopbackAddress(host: string): boolean {
  return host === '::1' || (isIP(host) === 4 && LOOPBACK_V4.test(host))
}
