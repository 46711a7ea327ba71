import type { SocialProvider } from '../social/types.js'

import { facebookProvider } from './facebook.js'
import { githubProvider } from './github.js'
import { googleProvider } from './google.js'
import { twitterProvider } from './twitter.js'

/** Every social provider, in dj-rest-auth's documentation order; each has its `<id>…` settings. */
export const socialProviders: SocialProvider[] = [facebookProvider, googleProvider, githubProvider, twitterProvider]
