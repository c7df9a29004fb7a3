package sqlparse

import (
	"reflect"
	"strings"
	"unicode"

	"github.com/pgadvisor/pgadvisor/analyzer/query"
	pg_query "github.com/pganalyze/pg_query_go/v6"
)

// utilityKind returns the kind and command tag of a statement that is
// not SELECT/INSERT/UPDATE/DELETE/MERGE.
func utilityKind(n *pg_query.Node) (query.Kind, string) {
	switch v := n.Node.(type) {
	case *pg_query.Node_ExplainStmt:
		return query.KindUtility, "EXPLAIN"
	case *pg_query.Node_CreateTableAsStmt:
		switch {
		case v.CreateTableAsStmt.IsSelectInto:
			return query.KindDDL, "SELECT INTO"
		case v.CreateTableAsStmt.Objtype == pg_query.ObjectType_OBJECT_MATVIEW:
			return query.KindDDL, "CREATE MATERIALIZED VIEW"
		}
		return query.KindDDL, "CREATE TABLE AS"
	case *pg_query.Node_DeclareCursorStmt:
		return query.KindUtility, "DECLARE CURSOR"
	case *pg_query.Node_PrepareStmt:
		return query.KindUtility, "PREPARE"
	case *pg_query.Node_ExecuteStmt:
		return query.KindUtility, "EXECUTE"
	case *pg_query.Node_DeallocateStmt:
		if v.DeallocateStmt.Isall {
			return query.KindUtility, "DEALLOCATE ALL"
		}
		return query.KindUtility, "DEALLOCATE"
	case *pg_query.Node_CopyStmt:
		return query.KindUtility, "COPY"
	case *pg_query.Node_VariableSetStmt:
		switch v.VariableSetStmt.Kind {
		case pg_query.VariableSetKind_VAR_RESET, pg_query.VariableSetKind_VAR_RESET_ALL:
			return query.KindUtility, "RESET"
		}
		return query.KindUtility, "SET"
	case *pg_query.Node_VariableShowStmt:
		return query.KindUtility, "SHOW"
	case *pg_query.Node_TransactionStmt:
		switch v.TransactionStmt.Kind {
		case pg_query.TransactionStmtKind_TRANS_STMT_BEGIN:
			return query.KindUtility, "BEGIN"
		case pg_query.TransactionStmtKind_TRANS_STMT_START:
			return query.KindUtility, "START TRANSACTION"
		case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT:
			return query.KindUtility, "COMMIT"
		case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK, pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_TO:
			return query.KindUtility, "ROLLBACK"
		case pg_query.TransactionStmtKind_TRANS_STMT_SAVEPOINT:
			return query.KindUtility, "SAVEPOINT"
		case pg_query.TransactionStmtKind_TRANS_STMT_RELEASE:
			return query.KindUtility, "RELEASE"
		case pg_query.TransactionStmtKind_TRANS_STMT_PREPARE:
			return query.KindUtility, "PREPARE TRANSACTION"
		case pg_query.TransactionStmtKind_TRANS_STMT_COMMIT_PREPARED:
			return query.KindUtility, "COMMIT PREPARED"
		case pg_query.TransactionStmtKind_TRANS_STMT_ROLLBACK_PREPARED:
			return query.KindUtility, "ROLLBACK PREPARED"
		}
		return query.KindUtility, "TRANSACTION"
	case *pg_query.Node_VacuumStmt:
		if v.VacuumStmt.IsVacuumcmd {
			return query.KindUtility, "VACUUM"
		}
		return query.KindUtility, "ANALYZE"
	case *pg_query.Node_TruncateStmt:
		return query.KindUtility, "TRUNCATE TABLE"
	case *pg_query.Node_LockStmt:
		return query.KindUtility, "LOCK TABLE"
	case *pg_query.Node_CallStmt:
		return query.KindUtility, "CALL"
	case *pg_query.Node_DoStmt:
		return query.KindUtility, "DO"
	case *pg_query.Node_FetchStmt:
		if v.FetchStmt.Ismove {
			return query.KindUtility, "MOVE"
		}
		return query.KindUtility, "FETCH"
	case *pg_query.Node_ClosePortalStmt:
		return query.KindUtility, "CLOSE CURSOR"
	case *pg_query.Node_DiscardStmt:
		return query.KindUtility, "DISCARD"
	case *pg_query.Node_CheckPointStmt:
		return query.KindUtility, "CHECKPOINT"
	case *pg_query.Node_ConstraintsSetStmt:
		return query.KindUtility, "SET CONSTRAINTS"
	case *pg_query.Node_CreateStmt:
		return query.KindDDL, "CREATE TABLE"
	case *pg_query.Node_IndexStmt:
		return query.KindDDL, "CREATE INDEX"
	case *pg_query.Node_ViewStmt:
		return query.KindDDL, "CREATE VIEW"
	case *pg_query.Node_CreateSeqStmt:
		return query.KindDDL, "CREATE SEQUENCE"
	case *pg_query.Node_AlterSeqStmt:
		return query.KindDDL, "ALTER SEQUENCE"
	case *pg_query.Node_AlterTableStmt:
		return query.KindDDL, "ALTER " + objectTypeName(v.AlterTableStmt.Objtype)
	case *pg_query.Node_DropStmt:
		return query.KindDDL, "DROP " + objectTypeName(v.DropStmt.RemoveType)
	case *pg_query.Node_RenameStmt:
		return query.KindDDL, "ALTER " + objectTypeName(v.RenameStmt.RenameType)
	case *pg_query.Node_AlterObjectSchemaStmt:
		return query.KindDDL, "ALTER " + objectTypeName(v.AlterObjectSchemaStmt.ObjectType)
	case *pg_query.Node_AlterOwnerStmt:
		return query.KindDDL, "ALTER " + objectTypeName(v.AlterOwnerStmt.ObjectType)
	case *pg_query.Node_CommentStmt:
		return query.KindDDL, "COMMENT"
	case *pg_query.Node_GrantStmt:
		if v.GrantStmt.IsGrant {
			return query.KindDDL, "GRANT"
		}
		return query.KindDDL, "REVOKE"
	case *pg_query.Node_GrantRoleStmt:
		if v.GrantRoleStmt.IsGrant {
			return query.KindDDL, "GRANT ROLE"
		}
		return query.KindDDL, "REVOKE ROLE"
	case *pg_query.Node_CreateFunctionStmt:
		if v.CreateFunctionStmt.IsProcedure {
			return query.KindDDL, "CREATE PROCEDURE"
		}
		return query.KindDDL, "CREATE FUNCTION"
	case *pg_query.Node_CreateTrigStmt:
		return query.KindDDL, "CREATE TRIGGER"
	case *pg_query.Node_CreateEnumStmt, *pg_query.Node_CompositeTypeStmt, *pg_query.Node_CreateRangeStmt:
		return query.KindDDL, "CREATE TYPE"
	case *pg_query.Node_AlterEnumStmt:
		return query.KindDDL, "ALTER TYPE"
	case *pg_query.Node_CreateDomainStmt:
		return query.KindDDL, "CREATE DOMAIN"
	case *pg_query.Node_DefineStmt:
		return query.KindDDL, "CREATE " + objectTypeName(v.DefineStmt.Kind)
	case *pg_query.Node_CreateSchemaStmt:
		return query.KindDDL, "CREATE SCHEMA"
	case *pg_query.Node_CreateExtensionStmt:
		return query.KindDDL, "CREATE EXTENSION"
	case *pg_query.Node_CreateRoleStmt:
		return query.KindDDL, "CREATE ROLE"
	case *pg_query.Node_AlterRoleStmt:
		return query.KindDDL, "ALTER ROLE"
	case *pg_query.Node_DropRoleStmt:
		return query.KindDDL, "DROP ROLE"
	case *pg_query.Node_CreatedbStmt:
		return query.KindDDL, "CREATE DATABASE"
	case *pg_query.Node_DropdbStmt:
		return query.KindDDL, "DROP DATABASE"
	case *pg_query.Node_RuleStmt:
		return query.KindDDL, "CREATE RULE"
	case *pg_query.Node_CreatePolicyStmt:
		return query.KindDDL, "CREATE POLICY"
	case *pg_query.Node_RefreshMatViewStmt:
		return query.KindUtility, "REFRESH MATERIALIZED VIEW"
	case *pg_query.Node_ReindexStmt:
		return query.KindUtility, "REINDEX"
	case *pg_query.Node_ClusterStmt:
		return query.KindUtility, "CLUSTER"
	case *pg_query.Node_ListenStmt:
		return query.KindUtility, "LISTEN"
	case *pg_query.Node_UnlistenStmt:
		return query.KindUtility, "UNLISTEN"
	case *pg_query.Node_NotifyStmt:
		return query.KindUtility, "NOTIFY"
	case *pg_query.Node_LoadStmt:
		return query.KindUtility, "LOAD"
	}
	return genericTag(n)
}

// tagNames overrides genericTag where the type name abbreviates.
var tagNames = map[string]string{
	"CreateEventTrig": "CREATE EVENT TRIGGER", "AlterEventTrig": "ALTER EVENT TRIGGER",
	"CreateFdw": "CREATE FOREIGN DATA WRAPPER", "AlterFdw": "ALTER FOREIGN DATA WRAPPER",
	"CreateForeignServer": "CREATE SERVER", "AlterForeignServer": "ALTER SERVER",
	"CreateStats": "CREATE STATISTICS", "AlterStats": "ALTER STATISTICS",
	"CreateOpClass": "CREATE OPERATOR CLASS", "CreateOpFamily": "CREATE OPERATOR FAMILY",
	"AlterOpFamily": "ALTER OPERATOR FAMILY", "CreatePLang": "CREATE LANGUAGE",
	"CreateTableSpace": "CREATE TABLESPACE", "DropTableSpace": "DROP TABLESPACE",
	"AlterTableSpaceOptions": "ALTER TABLESPACE", "AlterTableMoveAll": "ALTER TABLE",
	"CreateAm": "CREATE ACCESS METHOD", "SecLabel": "SECURITY LABEL",
	"AlterTSConfiguration": "ALTER TEXT SEARCH CONFIGURATION", "AlterTSDictionary": "ALTER TEXT SEARCH DICTIONARY",
	"AlterSystem": "ALTER SYSTEM", "AlterDatabaseSet": "ALTER DATABASE", "AlterRoleSet": "ALTER ROLE",
	"CreateConversion": "CREATE CONVERSION", "DropOwned": "DROP OWNED", "ReassignOwned": "REASSIGN OWNED",
	"DropUserMapping": "DROP USER MAPPING", "CreateUserMapping": "CREATE USER MAPPING",
	"AlterUserMapping": "ALTER USER MAPPING",
}

// genericTag derives a tag from the parse node's type name
// (CreateEventTrigStmt gives "CREATE EVENT TRIG"): statements that create,
// alter or drop objects are DDL, the rest utility.
func genericTag(n *pg_query.Node) (query.Kind, string) {
	if n == nil || n.Node == nil {
		return query.KindUtility, "UNKNOWN"
	}
	t := reflect.TypeOf(n.Node).Elem()
	name := strings.TrimPrefix(t.Name(), "Node_")
	name = strings.TrimSuffix(name, "Stmt")
	if tag, ok := tagNames[name]; ok {
		if strings.HasPrefix(tag, "CREATE") || strings.HasPrefix(tag, "ALTER") || strings.HasPrefix(tag, "DROP") ||
			strings.HasPrefix(tag, "SECURITY") || strings.HasPrefix(tag, "REASSIGN") {
			return query.KindDDL, tag
		}
		return query.KindUtility, tag
	}
	var words []string
	start := 0
	for i, r := range name {
		if i > 0 && unicode.IsUpper(r) {
			words = append(words, name[start:i])
			start = i
		}
	}
	words = append(words, name[start:])
	tag := strings.ToUpper(strings.Join(words, " "))
	switch words[0] {
	case "Create", "Alter", "Drop", "Comment", "Grant", "Rename", "Define", "Security", "Import", "Reassign":
		return query.KindDDL, tag
	}
	return query.KindUtility, tag
}

// objectTypeName names an object type as command tags do ("TABLE",
// "MATERIALIZED VIEW", "FOREIGN TABLE").
func objectTypeName(t pg_query.ObjectType) string {
	switch t {
	case pg_query.ObjectType_OBJECT_MATVIEW:
		return "MATERIALIZED VIEW"
	case pg_query.ObjectType_OBJECT_TABCONSTRAINT:
		return "TABLE"
	case pg_query.ObjectType_OBJECT_FDW:
		return "FOREIGN DATA WRAPPER"
	case pg_query.ObjectType_OBJECT_FOREIGN_SERVER:
		return "SERVER"
	case pg_query.ObjectType_OBJECT_STATISTIC_EXT:
		return "STATISTICS"
	case pg_query.ObjectType_OBJECT_TSCONFIGURATION:
		return "TEXT SEARCH CONFIGURATION"
	case pg_query.ObjectType_OBJECT_TSDICTIONARY:
		return "TEXT SEARCH DICTIONARY"
	case pg_query.ObjectType_OBJECT_TSPARSER:
		return "TEXT SEARCH PARSER"
	case pg_query.ObjectType_OBJECT_TSTEMPLATE:
		return "TEXT SEARCH TEMPLATE"
	case pg_query.ObjectType_OBJECT_LARGEOBJECT:
		return "LARGE OBJECT"
	case pg_query.ObjectType_OBJECT_OPCLASS:
		return "OPERATOR CLASS"
	case pg_query.ObjectType_OBJECT_OPFAMILY:
		return "OPERATOR FAMILY"
	}
	s := strings.TrimPrefix(t.String(), "OBJECT_")
	return strings.ReplaceAll(s, "_", " ")
}
