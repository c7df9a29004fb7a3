package sandbox

// LoadWithPgx exposes the loader used when psql is not installed.
var LoadWithPgx = loadWithPgx
