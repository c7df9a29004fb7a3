package pglog

import (
	"strings"
	"sync"

	"github.com/pgadvisor/pgadvisor/analyzer/sqlparse"
	"github.com/pgadvisor/pgadvisor/analyzer/workload"
)

// shape is what parsing a statement text told: its fingerprint and
// normalized form, or its parse error.
type shape struct {
	fp   string
	norm string
	err  error
	// text is the text the shape was first parsed from.
	text string
}

// Shapes caches the parse of each distinct query shape, so that
// PostgreSQL's parser runs once per shape and not once per logged
// execution. It is safe for concurrent use; one Shapes can be shared by
// several reads.
type Shapes struct {
	mu sync.RWMutex
	m  map[sqlparse.Shape]*shape
	// parses counts the texts actually parsed (for tests and benchmarks).
	parses int
}

// NewShapes returns an empty cache.
func NewShapes() *Shapes { return &Shapes{m: map[sqlparse.Shape]*shape{}} }

// localShapes is one worker's view of the cache: lookups hit a private
// map first and take the shared lock only on a miss. The key is
// sqlparse's shape key, which ignores literals: simple-protocol executions
// that differ only in their constants share one parse.
type localShapes struct {
	shared *Shapes
	m      map[sqlparse.Shape]*shape
	shaper sqlparse.Shaper
	// exact maps texts seen twice (prepared and extended-protocol
	// statements repeat their text exactly) to their shape, skipping the
	// shape key's lexer.
	exact map[string]*shape
}

// maxExact bounds the exact-text cache of a worker.
const maxExact = 1 << 14

func (s *Shapes) local() *localShapes {
	return &localShapes{shared: s, m: map[sqlparse.Shape]*shape{}, exact: map[string]*shape{}}
}

// get returns the shape of text.
func (l *localShapes) get(text string) *shape {
	if sh, ok := l.exact[text]; ok {
		return sh
	}
	key := l.shaper.Key(text)
	if sh, ok := l.m[key]; ok {
		if sh.text == text && len(l.exact) < maxExact {
			l.exact[sh.text] = sh
		}
		return sh
	}
	s := l.shared
	s.mu.RLock()
	sh, ok := s.m[key]
	s.mu.RUnlock()
	if !ok {
		sh = parseShape(text)
		s.mu.Lock()
		if old, ok := s.m[key]; ok {
			sh = old
		} else {
			s.m[key] = sh
			s.parses++
		}
		s.mu.Unlock()
	}
	l.m[key] = sh
	return sh
}

// Len returns the number of distinct shapes parsed.
func (s *Shapes) Len() int {
	s.mu.RLock()
	defer s.mu.RUnlock()
	return s.parses
}

func parseShape(text string) *shape {
	text = strings.Clone(text)
	fp, err := sqlparse.Fingerprint(text)
	if err != nil {
		return &shape{fp: workload.TextKey(text), norm: text, err: err, text: text}
	}
	norm, err := sqlparse.Normalize(text)
	if err != nil {
		norm = text
	}
	return &shape{fp: fp, norm: strings.Clone(norm), text: text}
}
