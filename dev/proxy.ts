import type { NextRequest } from 'next/server'

import { NextResponse } from 'next/server'

/**
 * Sign in with Apple answers its consent page with a form POST to the callback URL
 * (`response_mode=form_post`), and the demo's callback is a page, which renders on GET only. The POST
 * becomes a 303 to the same page with the posted fields (code, state, and on the first login the
 * user's name) in the URL's fragment, which browsers never send to a server or its logs; the page
 * then goes on as for any provider.
 */
export async function proxy(request: NextRequest): Promise<NextResponse> {
  if (request.method !== 'POST') {
    return NextResponse.next()
  }
  const fields = new URLSearchParams()
  try {
    for (const [name, value] of await request.formData()) {
      if (typeof value === 'string') {
        fields.append(name, value)
      }
    }
  } catch {
    return new NextResponse('A form POST was expected.', { status: 400 })
  }
  const page = request.nextUrl.clone()
  page.search = ''
  page.hash = fields.toString()
  return NextResponse.redirect(page, 303)
}

export const config = { matcher: '/demo/social/callback/:provider*' }
