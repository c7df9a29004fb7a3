package catalog

import (
	"maps"
	"slices"
)

// Clone returns a deep copy of c that applying DDL to either leaves the
// other unchanged: migrations keep the schema as it stood before a
// statement while the next one is applied. Statistics and index
// predicates, which DDL never changes in place, are shared.
func (c *Catalog) Clone() *Catalog {
	out := &Catalog{
		SearchPath: slices.Clone(c.SearchPath),
		Tables:     make(map[string]*Table, len(c.Tables)),
		Indexes:    make(map[string]*Index, len(c.Indexes)),
		Extensions: maps.Clone(c.Extensions),
		Schemas:    maps.Clone(c.Schemas),
		Types:      make(map[string]*Type, len(c.Types)),
		Errors:     slices.Clone(c.Errors),
		sequences:  maps.Clone(c.sequences),
		inherits:   c.inherits,
	}
	if out.Extensions == nil {
		out.Extensions = map[string]bool{}
	}
	if out.Schemas == nil {
		out.Schemas = map[string]bool{}
	}
	if out.sequences == nil {
		out.sequences = map[string]bool{}
	}
	for k, ty := range c.Types {
		cp := *ty
		cp.Values = slices.Clone(ty.Values)
		out.Types[k] = &cp
	}
	// Indexes are shared between the Indexes map and their table's list:
	// the copy keeps them shared.
	ixs := make(map[*Index]*Index, len(c.Indexes))
	cloneIndex := func(ix *Index) *Index {
		if cp, ok := ixs[ix]; ok {
			return cp
		}
		cp := *ix
		cp.Keys = slices.Clone(ix.Keys)
		for i := range cp.Keys {
			cp.Keys[i].Columns = slices.Clone(cp.Keys[i].Columns)
		}
		cp.Include = slices.Clone(ix.Include)
		ixs[ix] = &cp
		return &cp
	}
	for k, ix := range c.Indexes {
		out.Indexes[k] = cloneIndex(ix)
	}
	for k, t := range c.Tables {
		cp := *t
		cp.Columns = make([]*Column, len(t.Columns))
		for i, col := range t.Columns {
			cc := *col
			cp.Columns[i] = &cc
		}
		cp.PrimaryKey = cloneConstraint(t.PrimaryKey)
		cp.Uniques = cloneConstraints(t.Uniques)
		cp.Checks = cloneConstraints(t.Checks)
		cp.Excludes = cloneConstraints(t.Excludes)
		cp.ForeignKeys = make([]*ForeignKey, len(t.ForeignKeys))
		for i, fk := range t.ForeignKeys {
			fc := *fk
			fc.Columns = slices.Clone(fk.Columns)
			fc.RefColumns = slices.Clone(fk.RefColumns)
			cp.ForeignKeys[i] = &fc
		}
		if t.ForeignKeys == nil {
			cp.ForeignKeys = nil
		}
		cp.Indexes = make([]*Index, len(t.Indexes))
		for i, ix := range t.Indexes {
			cp.Indexes[i] = cloneIndex(ix)
		}
		if t.Indexes == nil {
			cp.Indexes = nil
		}
		cp.DependsOn = slices.Clone(t.DependsOn)
		cp.Inherits = slices.Clone(t.Inherits)
		out.Tables[k] = &cp
	}
	return out
}

func cloneConstraint(c *Constraint) *Constraint {
	if c == nil {
		return nil
	}
	cp := *c
	cp.Columns = slices.Clone(c.Columns)
	return &cp
}

func cloneConstraints(list []*Constraint) []*Constraint {
	if list == nil {
		return nil
	}
	out := make([]*Constraint, len(list))
	for i, c := range list {
		out[i] = cloneConstraint(c)
	}
	return out
}
