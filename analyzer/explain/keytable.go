package explain

// keyTable finds a fixed set of strings (PostgreSQL's keys and tags) from
// bytes of the input faster than a map: its hash reads four bytes and
// the length rather than the whole key, and a lookup allocates nothing.
// Readers look up every key of every node.
type keyTable[V any] struct {
	keys [keyTableSize]string
	vals [keyTableSize]V
}

// keyTableSize is a power of two well above the number of keys, so that
// probe sequences stay short.
const keyTableSize = 2048

func keyHash(b []byte) uint32 {
	n := len(b)
	if n == 0 {
		return 0
	}
	h := uint32(n)*0x9E3779B1 ^ uint32(b[0])<<7 ^ uint32(b[n-1])<<13 ^ uint32(b[n/2])*0x85EBCA6B ^ uint32(b[n/3])<<3
	return (h ^ h>>15) & (keyTableSize - 1)
}

// newKeyTable builds a table of the given keys and values.
func newKeyTable[V any](m map[string]V) *keyTable[V] {
	if len(m) > keyTableSize/2 {
		panic("keyTable: too many keys")
	}
	t := &keyTable[V]{}
	for k, v := range m {
		h := keyHash([]byte(k))
		for t.keys[h] != "" {
			h = (h + 1) & (keyTableSize - 1)
		}
		t.keys[h], t.vals[h] = k, v
	}
	return t
}

// get returns the value of key b.
func (t *keyTable[V]) get(b []byte) (V, bool) {
	h := keyHash(b)
	for {
		k := t.keys[h]
		if k == "" {
			var zero V
			return zero, false
		}
		if k == string(b) {
			return t.vals[h], true
		}
		h = (h + 1) & (keyTableSize - 1)
	}
}
