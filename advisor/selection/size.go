package selection

import (
	"math"
	"slices"
	"strings"

	"github.com/pgadvisor/pgadvisor/advisor/candidate"
	"github.com/pgadvisor/pgadvisor/analyzer/catalog"
	"github.com/pgadvisor/pgadvisor/analyzer/query"
)

// B-tree layout constants of PostgreSQL (8 kB pages, 64-bit).
const (
	pageSize       = 8192
	pageOverhead   = 24 + 16 // page header and B-tree special space
	itemPointer    = 4       // line pointer per tuple
	tupleHeader    = 8       // IndexTupleData
	postingTID     = 6       // one heap TID in a posting list
	leafFill       = 0.90    // default fillfactor of leaf pages at build
	maxPostingSize = 2704    // about a third of a page: the largest posting tuple
)

// EstimateSize estimates the size in bytes of a B-tree index on t once
// built, from the table's statistics: rows covered (the partial
// predicate's selectivity), key and INCLUDE widths (pg_stats avg_width),
// and PostgreSQL 13+ deduplication, which stores each distinct key once
// followed by the heap pointers of its duplicates (not for indexes with
// INCLUDE columns or on non-deterministic types). HypoPG's estimate
// ignores deduplication and is 2 to 3 times too large on repetitive keys.
// Without statistics it returns 0. The distinct count of a multi-column
// key is the product of its columns' (capped at the row count): keys
// whose columns are correlated deduplicate more than that, and come out
// smaller than estimated.
func EstimateSize(ix *candidate.Index, t *catalog.Table) int64 {
	if t == nil || t.Stats == nil || t.Stats.RowEstimate <= 0 {
		return 0
	}
	rows := t.Stats.RowEstimate * predicateSelectivity(ix.Where, t)
	width := 0.0
	distinct := 1.0
	for _, k := range ix.Keys {
		w, nd := keyStats(k, t)
		width = align(width, alignOf(k, t)) + w
		distinct *= max(nd, 1)
	}
	for _, name := range ix.Include {
		k := catalog.IndexKey{Column: name}
		w, _ := keyStats(k, t)
		width = align(width, alignOf(k, t)) + w
	}
	if ix.Method != "btree" {
		// GIN and others: no model; a plain B-tree's size is a floor.
		distinct = rows
	}
	tuple := float64(tupleHeader) + maxalign(width)
	distinct = min(distinct, rows)
	var leafBytes float64
	if len(ix.Include) > 0 || distinct >= rows*0.9 || !dedupable(ix, t) {
		leafBytes = rows * (tuple + itemPointer)
	} else {
		// Each distinct key is one tuple holding its duplicates' TIDs,
		// split into several tuples when the list is long.
		dups := rows / distinct
		perPosting := max(1.0, math.Floor((maxPostingSize-tuple)/postingTID))
		tuples := distinct * math.Ceil(dups/perPosting)
		leafBytes = tuples*(maxalign(tuple)+itemPointer) + rows*postingTID
	}
	leafPages := math.Ceil(leafBytes / ((pageSize - pageOverhead) * leafFill))
	// Inner pages hold one downlink per page below (about 1 % more), plus
	// the metapage.
	pages := leafPages + math.Ceil(leafPages/(float64(pageSize-pageOverhead)/(tuple+itemPointer))) + 1
	return int64(max(pages, 2)) * pageSize
}

// keyStats returns a key's average width in bytes and number of distinct
// values.
func keyStats(k catalog.IndexKey, t *catalog.Table) (width, distinct float64) {
	cols := k.Columns
	if k.Column != "" {
		cols = []string{k.Column}
	}
	width, distinct = 8, t.Stats.RowEstimate
	if len(cols) > 0 {
		if c := t.Column(cols[0]); c != nil && c.Stats != nil {
			width, distinct = float64(c.Stats.AvgWidth), ndistinct(c.Stats, t)
		}
	}
	if k.Expr != "" {
		// A cast to date or a text function over the column: keep the
		// column's distinct count; dates are 4 bytes.
		if strings.Contains(k.Expr, "::date") {
			width = 4
			distinct = min(distinct, 36500)
		}
	}
	return max(width, 1), max(distinct, 1)
}

func ndistinct(s *catalog.ColumnStats, t *catalog.Table) float64 {
	if s.NDistinct < 0 {
		return -s.NDistinct * t.Stats.RowEstimate
	}
	return s.NDistinct
}

// dedupable reports whether PostgreSQL deduplicates the index's keys:
// not for numeric, jsonb, float or non-deterministic collations.
func dedupable(ix *candidate.Index, t *catalog.Table) bool {
	for _, k := range ix.Keys {
		if k.Column == "" {
			continue
		}
		if c := t.Column(k.Column); c != nil && slices.Contains([]string{"numeric", "jsonb", "real", "double precision"}, strings.SplitN(c.Type, "(", 2)[0]) {
			return false
		}
	}
	return true
}

// predicateSelectivity estimates the share of rows a partial index
// keeps.
func predicateSelectivity(where []query.Predicate, t *catalog.Table) float64 {
	sel := 1.0
	for _, p := range where {
		if p.Left.Column == nil {
			continue
		}
		c := t.Column(p.Left.Column.Column)
		if c == nil || c.Stats == nil {
			sel *= 0.5
			continue
		}
		s := c.Stats
		switch p.Op {
		case query.OpIsNull:
			sel *= s.NullFrac
		case query.OpIsNotNull:
			sel *= 1 - s.NullFrac
		case query.OpEq, query.OpIsTrue, query.OpIsFalse:
			v := p.Right.Value
			switch p.Op {
			case query.OpIsTrue:
				v = "true"
			case query.OpIsFalse:
				v = "false"
			}
			sel *= valueFreq(s, v, t)
		default:
			sel *= 0.5
		}
	}
	return min(max(sel, 1/max(t.Stats.RowEstimate, 1)), 1)
}

// valueFreq is the share of rows equal to v: its most-common frequency,
// else the rest shared evenly by the other distinct values.
func valueFreq(s *catalog.ColumnStats, v string, t *catalog.Table) float64 {
	rest := 1 - s.NullFrac
	for i, m := range s.MostCommon {
		if i < len(s.MostFreqs) {
			if m == v || (v == "true" && m == "t") || (v == "false" && m == "f") {
				return s.MostFreqs[i]
			}
			rest -= s.MostFreqs[i]
		}
	}
	others := ndistinct(s, t) - float64(len(s.MostCommon))
	if others < 1 {
		return max(rest, 0.0001)
	}
	return max(rest/others, 0.0001)
}

func maxalign(n float64) float64 { return math.Ceil(n/8) * 8 }

// align rounds off up to a multiple of a.
func align(off, a float64) float64 { return math.Ceil(off/a) * a }

// alignOf returns the alignment of a key's values in an index tuple:
// fixed-width types align to their size; variable-width values (text,
// numeric, ...) are stored with a short header, unaligned.
func alignOf(k catalog.IndexKey, t *catalog.Table) float64 {
	typ := ""
	if k.Column != "" {
		if c := t.Column(k.Column); c != nil {
			typ = strings.SplitN(c.Type, "(", 2)[0]
		}
	} else if strings.Contains(k.Expr, "::date") {
		typ = "date"
	}
	switch typ {
	case "smallint":
		return 2
	case "integer", "date", "real", "oid":
		return 4
	case "bigint", "double precision", "timestamp with time zone", "timestamp without time zone", "time without time zone", "interval", "money":
		return 8
	}
	return 1
}
