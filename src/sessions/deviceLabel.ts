/*
 * A short, human label for a User-Agent ("Chrome on Windows", "Safari on iPhone"), for the session
 * list. Written here because ua-parser-js, the usual library, is AGPL since version 2; a session list
 * needs a browser family and a platform, not versions or device models, so a few ordered patterns
 * do (see README, "Why some things are written here").
 */

type Rule = { label: string; pattern: RegExp }

/** Order matters: Edge and Opera say Chrome, Chrome says Safari, every iOS browser says Safari. */
const browsers: Rule[] = [
  { label: 'Edge', pattern: /\bEdg(?:e|A|iOS)?\//i },
  { label: 'Opera', pattern: /\bOPR\/|\bOpera\b/i },
  { label: 'Samsung Internet', pattern: /\bSamsungBrowser\//i },
  { label: 'Firefox', pattern: /\bFirefox\/|\bFxiOS\//i },
  { label: 'Chrome', pattern: /\bChrome\/|\bCriOS\/|\bCrMo\//i },
  { label: 'Safari', pattern: /\bVersion\/[\d.]+.*\bSafari\/|\bMobile\/\w+\s*$/i },
  { label: 'Internet Explorer', pattern: /\bMSIE\s|\bTrident\//i },
]

/** Apps and tools that are not browsers, by the product token they send first. */
const clients: Rule[] = [
  { label: 'curl', pattern: /^curl\//i },
  { label: 'Wget', pattern: /^Wget\//i },
  { label: 'Postman', pattern: /^PostmanRuntime\//i },
  { label: 'Insomnia', pattern: /^insomnia\//i },
  { label: 'Python', pattern: /^python-requests\/|^python-httpx\/|^Python-urllib\/|^aiohttp\//i },
  { label: 'OkHttp', pattern: /^okhttp\//i },
  { label: 'Dart', pattern: /^Dart\//i },
  { label: 'Node.js', pattern: /^node(?:-fetch)?\b|^undici\b|^axios\//i },
  { label: 'Go', pattern: /^Go-http-client\//i },
  { label: 'Java', pattern: /^Java\/|^Apache-HttpClient\//i },
  { label: 'iOS app', pattern: /\bCFNetwork\/.*\bDarwin\//i },
]

/** Platforms; iPad before Mac (iPadOS may say Macintosh, but then it says Mobile too). */
const platforms: Rule[] = [
  { label: 'iPhone', pattern: /\biPhone\b/i },
  { label: 'iPad', pattern: /\biPad\b|\bMacintosh\b.*\bMobile\//i },
  { label: 'Android', pattern: /\bAndroid\b/i },
  { label: 'Windows', pattern: /\bWindows\b/i },
  { label: 'ChromeOS', pattern: /\bCrOS\b/i },
  { label: 'macOS', pattern: /\bMac OS X\b|\bMacintosh\b/i },
  { label: 'Linux', pattern: /\bLinux\b|\bX11\b/i },
]

const firstMatch = (rules: Rule[], userAgent: string): string | undefined => rules.find(({ pattern }) => pattern.test(userAgent))?.label

const MAX_UNKNOWN = 40

/** "Chrome on Windows", "curl", "Unknown device" for an empty header; an unknown one by its first product token. */
export const deviceLabel = (userAgent: string): string => {
  const ua = userAgent.trim()
  if (!ua) {
    return 'Unknown device'
  }
  const client = firstMatch(clients, ua)
  if (client) {
    return client
  }
  const browser = firstMatch(browsers, ua)
  const platform = firstMatch(platforms, ua)
  if (browser && platform) {
    return `${browser} on ${platform}`
  }
  if (browser || platform) {
    return (browser ?? platform)!
  }
  // An app's own token ("MyApp/2.1 (…)"): its product name is the best label there is.
  const product = ua.split(/[\s/;(]/)[0] ?? ''
  return product ? product.slice(0, MAX_UNKNOWN) : 'Unknown device'
}
