package koodrive

// MessageID names a text in the message catalogs (package i18n). Every ID has
// an en-US and a zh-CN text; a test in package i18n checks that against
// MessageIDs.
type MessageID string

// Messages of responses and errors.
const (
	MsgSuccess          MessageID = "Success"
	MsgInternal         MessageID = "Internal"
	MsgBodyEmpty        MessageID = "BodyEmpty"
	MsgBodyRead         MessageID = "BodyRead"
	MsgBodyNotObject    MessageID = "BodyNotObject"
	MsgBodySyntax       MessageID = "BodySyntax"    // Line, Column
	MsgBodyTrailing     MessageID = "BodyTrailing"  // (none)
	MsgBodyTooLarge     MessageID = "BodyTooLarge"  // Limit
	MsgFieldType        MessageID = "FieldType"     // Field, Type
	MsgFieldRequired    MessageID = "FieldRequired" // Field
	MsgIntRange         MessageID = "IntRange"      // Field, Min, Max
	MsgBool             MessageID = "Bool"          // Field
	MsgIDInvalid        MessageID = "IDInvalid"     // Field
	MsgRoleInvalid      MessageID = "RoleInvalid"   // Field
	MsgUserIDInvalid    MessageID = "UserIDInvalid" // Field
	MsgUserNameInvalid  MessageID = "UserNameInvalid"
	MsgMobileInvalid    MessageID = "MobileInvalid"
	MsgEmailInvalid     MessageID = "EmailInvalid"
	MsgDeptNameInvalid  MessageID = "DeptNameInvalid"
	MsgKeyWordTooLong   MessageID = "KeyWordTooLong" // Field, Max
	MsgRowCount         MessageID = "RowCount"       // Field, Max, Count
	MsgTraceIDInvalid   MessageID = "TraceIDInvalid" // Field, Length
	MsgRouteNotFound    MessageID = "RouteNotFound"  // Method, Path
	MsgMethodNotAllowed MessageID = "MethodNotAllowed"

	MsgDeptNotFound MessageID = "DeptNotFound" // Field, ID
	MsgUserNotFound MessageID = "UserNotFound" // Field, ID
	MsgOrgNotInit   MessageID = "OrgNotInitialized"
	MsgDeptTaken    MessageID = "DeptNameTaken" // Field, Name
	MsgValueTaken   MessageID = "ValueTaken"    // Field, Value
	MsgMaxLevels    MessageID = "MaxLevels"     // Field, Max
	MsgUserLimit    MessageID = "UserLimit"     // Max

	MsgAuthMissing    MessageID = "AuthMissing"
	MsgAuthInvalid    MessageID = "AuthInvalid"
	MsgAuthScheme     MessageID = "AuthScheme"
	MsgAppAuthFailed  MessageID = "AppAuthFailed"
	MsgAppAuthNotHere MessageID = "AppAuthNotHere"
	MsgUserDisabled   MessageID = "UserDisabled"
	MsgLoginCode      MessageID = "LoginCodeInvalid"
	MsgSessionID      MessageID = "SessionIDInvalid"
	MsgAppNotFound    MessageID = "AppNotFound"    // Field, ID
	MsgAppNameInvalid MessageID = "AppNameInvalid" // Field, Max
	MsgStatusInvalid  MessageID = "StatusInvalid"  // Field, Values
	MsgGraceInvalid   MessageID = "GraceInvalid"   // Field, Max

	MsgCursorWithOffset       MessageID = "CursorWithOffset"
	MsgForbiddenSelf          MessageID = "ForbiddenSelf"
	MsgForbiddenManage        MessageID = "ForbiddenManage" // Field, Role
	MsgLastAdmin              MessageID = "LastAdmin"
	MsgDeleteActive           MessageID = "DeleteActive" // Status
	MsgMoveIntoSelf           MessageID = "MoveIntoSelf"
	MsgMoveRoot               MessageID = "MoveRoot"
	MsgMaxLevelsMove          MessageID = "MaxLevelsMove" // Max, Depth
	MsgDeleteRoot             MessageID = "DeleteRoot"
	MsgDeptNotEmpty           MessageID = "DeptNotEmpty"   // Users, Children
	MsgSpaceHoldsData         MessageID = "SpaceHoldsData" // UsedGB
	MsgFirstAllocation        MessageID = "FirstAllocation"
	MsgBelowUsed              MessageID = "BelowUsed"         // UsedGB
	MsgInsufficientSpace      MessageID = "InsufficientSpace" // Need, Left
	MsgSpaceNotFound          MessageID = "SpaceNotFound"     // Field, ID
	MsgSpaceExists            MessageID = "SpaceExists"
	MsgSpaceType              MessageID = "SpaceTypeInvalid"       // Field
	MsgCapacityBelowAllocated MessageID = "CapacityBelowAllocated" // Allocated
	MsgMaxUsersBelowCount     MessageID = "MaxUsersBelowCount"     // Count
	MsgTimeInvalid            MessageID = "TimeInvalid"            // Field

	MsgFileFormat        MessageID = "FileFormat"        // Name
	MsgFileEmpty         MessageID = "FileEmpty"         // (none)
	MsgFileColumnMissing MessageID = "FileColumnMissing" // Column
	MsgFileColumnTwice   MessageID = "FileColumnTwice"   // Column
	MsgFileLine          MessageID = "FileLine"          // Line
	MsgFileTooManyRows   MessageID = "FileTooManyRows"   // Max
	MsgYesNo             MessageID = "YesNo"             // Field
	MsgUserIDRequired    MessageID = "UserIDRequired"    // (none)
	MsgImportStarted     MessageID = "ImportStarted"     // Task
	MsgTaskEnded         MessageID = "TaskEnded"         // Status
	MsgUploadNotFound    MessageID = "UploadNotFound"    // Field, ID
	MsgTaskNotFound      MessageID = "TaskNotFound"      // Field, ID
	MsgTaskType          MessageID = "TaskType"          // Field

	MsgForbiddenRole  MessageID = "ForbiddenRole"  // the role may not do this at all
	MsgForbiddenScope MessageID = "ForbiddenScope" // Field, ID: outside the caller's subtree
	MsgForbiddenGrant MessageID = "ForbiddenGrant" // Field, Role
)

// Reasons a pre-verification row fails.
const (
	MsgRowDeptNotFound     MessageID = "RowDeptNotFound"     // Name, Base
	MsgRowDeptAmbiguous    MessageID = "RowDeptAmbiguous"    // Name, Count, Paths
	MsgRowCapacityRange    MessageID = "RowCapacityRange"    // Field, Max
	MsgRowCapacityNotZero  MessageID = "RowCapacityNotZero"  // (none)
	MsgRowCapacityZero     MessageID = "RowCapacityZero"     // (none)
	MsgRowCapacityExceeded MessageID = "RowCapacityExceeded" // Need, Left
	MsgRowUserLimit        MessageID = "RowUserLimit"        // Max
	MsgRowDuplicate        MessageID = "RowDuplicate"        // Field, Value, Row
	MsgRowExists           MessageID = "RowExists"           // Field, Value
	MsgListSeparator       MessageID = "ListSeparator"
)

// MessageIDs lists every message ID, so catalogs can be checked for gaps.
func MessageIDs() []MessageID {
	return []MessageID{
		MsgSuccess, MsgInternal, MsgBodyEmpty, MsgBodyRead, MsgBodyNotObject, MsgBodySyntax, MsgBodyTrailing, MsgBodyTooLarge,
		MsgFieldType, MsgFieldRequired, MsgIntRange, MsgBool, MsgIDInvalid, MsgRoleInvalid,
		MsgUserIDInvalid, MsgUserNameInvalid, MsgMobileInvalid, MsgEmailInvalid, MsgDeptNameInvalid,
		MsgKeyWordTooLong, MsgRowCount, MsgTraceIDInvalid, MsgRouteNotFound, MsgMethodNotAllowed,
		MsgDeptNotFound, MsgUserNotFound, MsgOrgNotInit, MsgDeptTaken, MsgValueTaken, MsgMaxLevels,
		MsgUserLimit, MsgAuthMissing, MsgAuthInvalid, MsgAuthScheme, MsgAppAuthFailed, MsgAppAuthNotHere, MsgUserDisabled,
		MsgLoginCode, MsgSessionID, MsgAppNotFound, MsgAppNameInvalid, MsgStatusInvalid, MsgGraceInvalid,
		MsgCursorWithOffset, MsgForbiddenSelf, MsgForbiddenManage, MsgLastAdmin, MsgDeleteActive, MsgMoveIntoSelf,
		MsgMoveRoot, MsgMaxLevelsMove, MsgDeleteRoot, MsgDeptNotEmpty, MsgSpaceHoldsData, MsgFirstAllocation,
		MsgBelowUsed, MsgInsufficientSpace, MsgSpaceNotFound, MsgSpaceExists, MsgSpaceType,
		MsgCapacityBelowAllocated, MsgMaxUsersBelowCount, MsgTimeInvalid,
		MsgFileFormat, MsgFileEmpty, MsgFileColumnMissing, MsgFileColumnTwice, MsgFileLine, MsgFileTooManyRows,
		MsgYesNo, MsgUserIDRequired,
		MsgImportStarted, MsgTaskEnded, MsgUploadNotFound, MsgTaskNotFound, MsgTaskType,
		MsgForbiddenRole, MsgForbiddenScope, MsgForbiddenGrant,
		MsgRowDeptNotFound, MsgRowDeptAmbiguous, MsgRowCapacityRange, MsgRowCapacityNotZero,
		MsgRowCapacityZero, MsgRowCapacityExceeded, MsgRowUserLimit, MsgRowDuplicate, MsgRowExists,
		MsgListSeparator,
	}
}
