import type { AdminViewServerProps, CollectionSlug } from 'payload'
import type React from 'react'

import { RenderServerComponent } from '@payloadcms/ui/elements/RenderServerComponent'
import { PayloadLogo } from '@payloadcms/ui/shared'
import { redirect } from 'next/navigation.js'
import { getLoginOptions, getSafeRedirect } from 'payload/shared'
import { Fragment } from 'react'

import { AdminLoginForm } from './index.client.js'

/**
 * The admin's login screen in place of Payload's (`admin.components.views.login`), which has no field
 * for a second factor: Payload's own login is gated (src/mfa/payloadLoginGate.ts), so without this a
 * staff user with an authenticator app could not log into the admin at all. Everything else is as
 * Payload draws it: the logo (or the app's own), `beforeLogin` and `afterLogin`, the redirect of a
 * logged-in user, the prefilled auto-login, the forgot-password link.
 */
export const AdminLoginView = ({ initPageResult, params, searchParams }: AdminViewServerProps): React.ReactNode => {
  const { locale, permissions, req } = initPageResult
  const { i18n, payload, user } = req
  const { config } = payload
  const { admin: adminRoute } = config.routes
  const redirectTo = getSafeRedirect({ fallbackTo: adminRoute, redirectTo: searchParams?.redirect as string })
  if (user) {
    redirect(redirectTo)
  }
  const { afterLogin, beforeLogin, graphics } = config.admin.components ?? {}
  const serverProps = { i18n, locale, params, payload, permissions, searchParams, user }
  const collectionConfig = payload.collections[config.admin.user as CollectionSlug]?.config
  const autoLogin = typeof config.admin.autoLogin === 'object' && config.admin.autoLogin.prefillOnly ? config.admin.autoLogin : undefined
  const { canLoginWithEmail, canLoginWithUsername } = getLoginOptions(collectionConfig?.auth?.loginWithUsername ?? false)
  return (
    <Fragment>
      <div className="login__brand">
        {RenderServerComponent({ Component: graphics?.Logo, Fallback: PayloadLogo, importMap: payload.importMap, serverProps })}
      </div>
      {RenderServerComponent({ Component: beforeLogin, importMap: payload.importMap, serverProps })}
      {!collectionConfig?.auth?.disableLocalStrategy && (
        <AdminLoginForm
          loginType={canLoginWithEmail && canLoginWithUsername ? 'emailOrUsername' : canLoginWithUsername ? 'username' : 'email'}
          prefill={{ email: autoLogin?.email, password: autoLogin?.password, username: autoLogin?.username }}
          redirectTo={redirectTo}
        />
      )}
      {RenderServerComponent({ Component: afterLogin, importMap: payload.importMap, serverProps })}
    </Fragment>
  )
}
