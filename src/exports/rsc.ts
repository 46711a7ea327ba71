// Server components of the admin screens are added here as they land.
export {}
