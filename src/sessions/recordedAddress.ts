import { isIPv4, isIPv6 } from 'node:net'

export type AddressPrivacy = 'full' | 'none' | 'truncated'

/** The first three groups of an IPv6 address (a /48, a site), the rest zero. */
const truncateIpv6 = (address: string): string => {
  const [head = '', tail = ''] = address.split('::')
  const headGroups = head ? head.split(':') : []
  const tailGroups = tail ? tail.split(':') : []
  const missing = 8 - headGroups.length - tailGroups.length
  const groups = address.includes('::') ? [...headGroups, ...Array<string>(Math.max(missing, 0)).fill('0'), ...tailGroups] : headGroups
  return `${groups.slice(0, 3).map((group) => group.replace(/^0+(?=.)/, '').toLowerCase()).join(':')}::`
}

/**
 * The client address a session records, by the `sessionClientAddress` setting: the whole address,
 * the network only (IPv4 /24, IPv6 /48 — enough to tell home and abroad apart, as analytics tools
 * anonymise them), or nothing.
 */
export const recordedAddress = (address: string, privacy: AddressPrivacy): string => {
  if (privacy === 'none') {
    return ''
  }
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(address)?.[1]
  const plain = mapped ?? address
  if (privacy === 'full') {
    return isIPv4(plain) || isIPv6(plain) ? plain : ''
  }
  if (isIPv4(plain)) {
    return `${plain.split('.').slice(0, 3).join('.')}.0`
  }
  return isIPv6(plain) ? truncateIpv6(plain) : ''
}
