// passport's strategies ship without type declarations. src/social/strategies.ts describes the part
// of them this plugin drives; each provider file casts its strategy to that description.
declare module 'passport-facebook'
declare module 'passport-github2'
declare module 'passport-google-oauth20'
declare module 'passport-twitter'
