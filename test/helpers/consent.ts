import { expect } from 'vitest'

import type { ApiResponse } from './client.js'

import { call } from './client.js'

const unescape = (text: string): string => text.replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))

/** The action and hidden fields of the first form of a mock provider's page. */
export const formOf = (html: string): { action: string; fields: URLSearchParams } => ({
  action: unescape(/<form method="post" action="([^"]+)">/.exec(html)![1]!),
  fields: new URLSearchParams(
    [...html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)].map(([, name, value]) => [unescape(name!), unescape(value!)]),
  ),
})

/** What a consent page's button sends: its form's hidden fields plus the button's name and value; the provider's answer. */
export const submitConsent = async (pageUrl: string, choice: Record<string, string>): Promise<ApiResponse> => {
  const page = await call(pageUrl, 'GET')
  expect(page.status, page.text).toBe(200)
  const { action, fields } = formOf(page.text)
  for (const [name, value] of Object.entries(choice)) {
    fields.append(name, value)
  }
  return call(new URL(action, pageUrl).toString(), 'POST', {
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    rawBody: fields.toString(),
  })
}

/** A consent answered with a redirect to the callback: where the provider sends the user back. */
export const consent = async (pageUrl: string, choice: Record<string, string>): Promise<URL> => {
  const answer = await submitConsent(pageUrl, choice)
  expect(answer.status, answer.text).toBe(302)
  return new URL(answer.headers.get('location')!)
}
