package candidate

import "strings"

// QuoteIdent returns name as PostgreSQL's quote_ident would write it:
// unchanged when it is a plain lower-case identifier that is not a
// reserved word, else in double quotes with embedded quotes doubled. DDL
// stays readable (orders_user_id_idx, not "orders_user_id_idx") and still
// means exactly the object named.
func QuoteIdent(name string) string {
	if plainIdent(name) && !keywords[name] {
		return name
	}
	return `"` + strings.ReplaceAll(name, `"`, `""`) + `"`
}

// plainIdent reports whether name can be written without quotes as far as
// its characters go: [a-z_] then [a-z0-9_$]. Upper-case letters would be
// folded by the parser, so they need quotes.
func plainIdent(name string) bool {
	if name == "" {
		return false
	}
	for i, r := range name {
		switch {
		case r >= 'a' && r <= 'z', r == '_':
		case (r >= '0' && r <= '9') || r == '$':
			if i == 0 {
				return false
			}
		default:
			return false
		}
	}
	return true
}

// keywords are PostgreSQL's keywords that are not "unreserved" (reserved,
// column-name and type/function-name keywords, as pg_get_keywords reports
// them), from PostgreSQL 15 to 17: used as an identifier they need quotes.
// A test compares this list with the running server's pg_get_keywords().
var keywords = func() map[string]bool {
	m := map[string]bool{}
	for _, w := range strings.Fields(`
all analyse analyze and any array as asc asymmetric authorization between
bigint binary bit boolean both case cast char character check coalesce
collate collation column concurrently constraint create cross
current_catalog current_date current_role current_schema current_time
current_timestamp current_user dec decimal default deferrable desc
distinct do else end except exists extract false fetch float for foreign
freeze from full grant greatest group grouping having ilike in initially
inner inout int integer intersect interval into is isnull join json
json_array json_arrayagg json_exists json_object json_objectagg json_query
json_scalar json_serialize json_table json_value lateral leading least
left like limit localtime localtimestamp merge_action national natural
nchar none normalize not notnull null nullif numeric offset on only or
order out outer overlaps overlay placing position precision primary real
references returning right row select session_user setof similar smallint
some substring symmetric system_user table tablesample then time
timestamp to trailing treat trim true union unique user using values
varchar variadic verbose when where window with xmlattributes xmlconcat
xmlelement xmlexists xmlforest xmlnamespaces xmlparse xmlpi xmlroot
xmlserialize xmltable`) {
		m[w] = true
	}
	return m
}()
