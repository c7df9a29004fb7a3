package sandbox

// LoadWithPgx exposes the loader used when psql is not installed.
var LoadWithPgx = loadWithPgx

// FromTemplate reports whether the cluster's data directory was copied
// from the cached initdb template, and the template's directory.
func FromTemplate(c *Cluster) (bool, string) { return c.fromTemplate, c.template }
